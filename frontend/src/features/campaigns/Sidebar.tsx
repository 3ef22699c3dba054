import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../lib/format';
import { actionTypeLabel } from '../../lib/labels';
import { useInboxNavigate } from '../inbox/hooks';
import { useActions, useCampaigns } from './hooks';
import { AdminNav } from '../admin/AdminNav';

/** Left column, as in a mail client: campaigns, their actions, then the inbox (children). */
export function Sidebar({ children }: { children: ReactNode }) {
  const { campaignId = '', actionId } = useParams();
  const navigate = useNavigate();
  const go = useInboxNavigate();
  const campaigns = useCampaigns().data ?? [];
  const actions = useActions(campaignId);
  const current = campaigns.find((c) => c.id === campaignId);
  const others = campaigns.filter((c) => c.id !== campaignId);
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
                <button type="button" className="nav-item" onClick={() => navigate(`/c/${c.id}`)}>
                  {c.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="link" onClick={() => go('/join')}>
          Join another campaign
        </button>
      </section>

      <section className="actions" aria-labelledby="actions-heading">
        <h2 className="sidebar-heading" id="actions-heading">
          Actions
        </h2>
        {actions.data?.length === 0 && <p className="muted small">No actions yet.</p>}
        <ul>
          {actions.data?.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`nav-item action-item${a.id === actionId ? ' selected' : ''}`}
                aria-current={a.id === actionId ? 'true' : undefined}
                onClick={() => go(`/action/${a.id}`)}
              >
                <span className="action-title">{a.title}</span>{' '}
                <span className={`type-label type-${a.type}`}>{actionTypeLabel(a.type)}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>

      <AdminNav />

      {actions.isError && (
        <p role="alert" className="error small">
          {errorMessage(actions.error)}
        </p>
      )}
      {children}
    </aside>
  );
}
