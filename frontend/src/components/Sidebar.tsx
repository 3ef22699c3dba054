import type { ReactNode } from 'react';
import type { Action, Campaign } from '../backend';
import { actionTypeLabel } from '../labels';

interface SidebarProps {
  campaigns: Campaign[];
  current?: Campaign;
  onSwitch: (id: string) => void;
  onJoinAnother: () => void;
  actions: Action[];
  activeActionId?: string;
  onOpenAction: (a: Action) => void;
  error?: string;
  /** The inbox filters, below the actions. */
  children: ReactNode;
}

/** Left column, as in a mail client: campaigns, their actions, the inbox filters. */
export function Sidebar(props: SidebarProps) {
  const { campaigns, current, onSwitch, onJoinAnother, actions, activeActionId, onOpenAction, error, children } =
    props;
  const others = campaigns.filter((c) => c.id !== current?.id);
  return (
    <aside className="sidebar" aria-label="Campaigns, actions and inbox">
      <section className="campaigns" aria-labelledby="campaign-heading">
        <h2 className="sidebar-heading" id="campaign-heading">
          Campaign
        </h2>
        <p className="current-campaign" title={current?.issue}>
          {current?.name ?? 'No campaign'}
        </p>
        {others.length > 0 && (
          <ul className="campaign-list" aria-label="Switch campaign">
            {others.map((c) => (
              <li key={c.id}>
                <button type="button" className="nav-item" onClick={() => onSwitch(c.id)}>
                  {c.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="link" onClick={onJoinAnother}>
          Join another campaign
        </button>
      </section>

      <section className="actions" aria-labelledby="actions-heading">
        <h2 className="sidebar-heading" id="actions-heading">
          Actions
        </h2>
        {actions.length === 0 && <p className="muted small">No actions yet.</p>}
        <ul>
          {actions.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`nav-item action-item${a.id === activeActionId ? ' selected' : ''}`}
                aria-current={a.id === activeActionId ? 'true' : undefined}
                onClick={() => onOpenAction(a)}
              >
                <span className="action-title">{a.title}</span>{' '}
                <span className={`type-label type-${a.type}`}>{actionTypeLabel(a.type)}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
      {children}
    </aside>
  );
}
