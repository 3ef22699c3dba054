import type { ReactNode } from 'react';
import type { Campaign } from '../../backend';
import { useNavigate, useParams } from 'react-router';
import { errorSentence, plural } from '../../lib/format';
import { useInboxNavigate, useUnreadByCampaign } from '../inbox/hooks';
import { useActions, useCampaigns } from './hooks';
import { AdminNav } from '../admin/AdminNav';
import appIcon from '../../assets/appicon.png';
import { TypeLabel } from '../../components/TypeLabel';
import { ArchivedBadge, CampaignName } from './CampaignName';
import { CampaignSwitcher } from './CampaignSwitcher';

interface SidebarProps {
  /** The inbox (its filters), after the campaign and its actions. */
  children?: ReactNode;
  /** Kept in view at the foot (the Automatic Archive Setting), outside what scrolls. */
  footer?: ReactNode;
}

/**
 * Left column, as in a mail client: campaigns, their actions, then the inbox.
 * The footer has a row of its own under the part that scrolls, so a long list
 * of actions scrolls above it and never passes under it (as it did when it
 * was pinned over the list with position: sticky).
 */
export function Sidebar({ children, footer }: SidebarProps) {
  const { campaignId = '', actionId } = useParams();
  const navigate = useNavigate();
  const go = useInboxNavigate();
  const campaigns = useCampaigns().data ?? [];
  const actions = useActions(campaignId);
  const current = campaigns.find((c) => c.id === campaignId);
  const others = campaigns.filter((c) => c.id !== campaignId);
  const unread = useUnreadByCampaign(others.length > 0 ? campaigns.map((c) => c.id) : []);
  return (
    <aside className="sidebar" id="sidebar" aria-label="Campaigns, actions and inbox">
      <div className="sidebar-scroll">
        <p className="wordmark">
          <img src={appIcon} alt="" />
          Textbank
        </p>
        <section className="campaigns" aria-labelledby="campaign-heading">
          {/* Over the switcher the heading is for screen readers alone: the switcher says it holds the
              campaign, and its line of unread replies needs the room (two campaigns fit 1200x704). */}
          <h2 className={`sidebar-heading${others.length > 0 ? ' sr-only' : ''}`} id="campaign-heading">
            Campaign
          </h2>
          {others.length > 0 ? (
            <div className="campaign-switcher">
              <CampaignSwitcher campaigns={campaigns} currentId={campaignId} />
              {/* The tray and the window's title count unread replies in every campaign: say
                  where those not on screen wait, one click from their Unread. One line each, the
                  name cut in its middle as the switcher's (a wrapped line made the sidebar scroll),
                  and archived said as there. */}
              {others
                .filter((c) => (unread[c.id] ?? 0) > 0)
                .map((c) => (
                  <CampaignName
                    key={c.id}
                    campaign={c}
                    className="other-unread-name"
                    labelId={`other-unread-name-${c.id}`}
                    control={(name) => (
                      // Labelled by its parts, as the switcher: the count and the name are two boxes of a row.
                      <button
                        type="button"
                        className="quiet other-unread"
                        aria-labelledby={`other-unread-${c.id} other-unread-name-${c.id}`}
                        onClick={() => navigate(`/c/${c.id}?filter=unread`)}
                      >
                        <span id={`other-unread-${c.id}`} className="other-unread-count">
                          {/* The space is not drawn (the span's margin is), but joins the words for whoever reads the text. */}
                          {plural(unread[c.id], 'unread reply', 'unread replies')} in{' '}
                        </span>
                        {name}
                      </button>
                    )}
                  />
                ))}
            </div>
          ) : (
            <p className="current-campaign" title={current?.issue}>
              {current?.name ?? 'No campaign'}
              {/* Its volunteers keep answering an archived campaign's conversations: it says it is archived, in words. */}
              {current?.archived && (
                <>
                  {' '}
                  <ArchivedBadge />
                </>
              )}
            </p>
          )}
          <button type="button" className="quiet" onClick={() => go('/join')}>
            Join another campaign
          </button>
          {/* The campaign's own Admin section: with the campaign, not among its actions. */}
          <AdminNav />
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
                  <TypeLabel type={a.type} />
                </button>
              </li>
            ))}
          </ul>
        </section>

        {actions.isError && (
          <p role="alert" className="error small">
            {errorSentence(actions.error)}
          </p>
        )}
        {children}
      </div>
      {footer && <div className="sidebar-foot">{footer}</div>}
    </aside>
  );
}
