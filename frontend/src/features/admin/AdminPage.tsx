import { useState, type ReactNode } from 'react';
import type { AdminOverview, OptIn, ReassignedThread, UnroutableText } from '../../backend';
import { useParams } from 'react-router';
import { useCampaigns } from '../campaigns/hooks';
import { errorSentence } from '../../lib/format';
import { ReassignedRow } from './AdminRows';
import { Results } from './Results';
import { OptBackInDialog } from './OptBackInDialog';
import { AbuseRow, OptInRow, ReviewedAbuseReports, ReviewedOptIns } from './Reviews';
import { HandledUnroutable, UnroutableRow, type Details } from './Unroutable';
import { UnroutableDialog } from './UnroutableDialog';
import { useAdminOptOuts, useAdminOverview, useIsAdmin, useIsArchived } from './hooks';
import { OlderOptOuts, OptOutRow, sameNumberAs } from './OptOuts';
import { openTotal } from './marks';
import '../thread/conversations.css';

/** The Admin section: what the campaign's organizers must look at. The server checks the role again. */
export function AdminPage() {
  const { campaignId = '' } = useParams();
  const isAdmin = useIsAdmin(campaignId);
  const archived = useIsArchived(campaignId);
  // The code to hand volunteers, where organizers look for it (textbankd campaign new-code changes it; the app hears at once).
  const joinCode = useCampaigns().data?.find((c) => c.id === campaignId)?.joinCode;
  const q = useAdminOverview(campaignId, isAdmin);
  const [shown, setShown] = useState<UnroutableText | null>(null);
  const details: Details = { shown, show: setShown };
  const [optingIn, setOptingIn] = useState<OptIn | null>(null);
  const outs = useAdminOptOuts(campaignId, isAdmin);
  const optOuts = outs.data?.pages.flatMap((p) => p.optOuts) ?? [];
  const optOutsTotal = Math.max(outs.data?.pages[0]?.total ?? 0, optOuts.length);
  const sameNumber = sameNumberAs(optOuts);

  if (!isAdmin) {
    return (
      <section className="pane admin" aria-labelledby="admin-title">
        <h1 id="admin-title">Admin</h1>
        <p className="muted">Only the organizers of this campaign see its Admin section.</p>
      </section>
    );
  }
  const o = q.data;
  return (
    <section className="pane admin" aria-labelledby="admin-title">
      <header className="pane-header">
        <h1 id="admin-title">Admin</h1>
      </header>
      {!archived && joinCode && (
        <p>
          Volunteers join with the code <strong>{joinCode}</strong>.
        </p>
      )}
      {archived && (
        <p className="notice">
          This campaign is archived: nobody can join it and no first texts go out. Replies, opt-ins and unroutable texts still come
          here, and its conversations can still be answered.
        </p>
      )}
      {q.isError && (
        <p role="alert" className="error">
          {errorSentence(q.error)}
        </p>
      )}
      {q.isPending && <p className="muted">Loading…</p>}
      {o && (
        <SectionIndex
          sections={[
            ['Reassigned to me', reassignedTotal(o)],
            ['Reports of abuse', openTotal(o, 'abuseReports')],
            ['Unroutable texts', openTotal(o, 'unroutable')],
            ['Opt-ins', openTotal(o, 'optIns')],
            ['Opt-outs', optOutsTotal],
            ['Results'],
          ]}
        />
      )}
      {o && (
        <div className="admin-sections">
          <AdminList
            title="Reassigned to me"
            items={waitingFirst(o.reassigned)}
            note={waitingNote(o.reassigned, reassignedTotal(o))}
            total={reassignedTotal(o)}
            older="The others are in your inbox."
            // A volunteer or another organizer: either may hand one over.
            empty="Nobody has handed you a conversation."
            itemKey={(t) => t.id}
            render={(t) => <ReassignedRow t={t} />}
          />
          <AdminList
            title="Reports of abuse"
            items={o.abuseReports}
            total={openTotal(o, 'abuseReports')}
            older="Older ones show here as these are marked reviewed."
            empty={o.abuseReportsReviewed ? 'Every report of abuse is marked reviewed.' : 'No volunteer has reported abuse in this campaign.'}
            itemKey={(r) => r.id}
            render={(r) => <AbuseRow r={r} onMarked={abuseMarked} />}
            footer={<ReviewedAbuseReports count={o.abuseReportsReviewed ?? 0} onMarked={abuseMarked} />}
          />
          <AdminList
            title="Unroutable texts"
            items={o.unroutable}
            total={openTotal(o, 'unroutable')}
            older="Older ones show here as these are marked handled."
            empty={o.unroutableHandled ? 'Every unroutable text is marked handled.' : 'Every incoming text reached its conversation.'}
            itemKey={(u) => u.id}
            render={(u) => <UnroutableRow u={u} details={details} onMarked={unroutableMarked} />}
            footer={<HandledUnroutable count={o.unroutableHandled ?? 0} details={details} onMarked={unroutableMarked} />}
          />
          <AdminList
            title="Opt-ins"
            items={o.optIns}
            total={openTotal(o, 'optIns')}
            older="Older ones show here as these are marked reviewed."
            empty={o.optInsReviewed ? 'Every opt-in is marked reviewed.' : 'No opted-out contact has texted START.'}
            itemKey={(i) => i.id}
            render={(i) => <OptInRow i={i} onOptBackIn={setOptingIn} onMarked={optInMarked} />}
            footer={<ReviewedOptIns count={o.optInsReviewed ?? 0} onOptBackIn={setOptingIn} onMarked={optInMarked} />}
          />
          <AdminList
            title="Opt-outs"
            items={optOuts}
            total={optOutsTotal}
            note="This campaign's conversations whose contact is opted out, the newest first."
            empty={outs.isPending ? 'Loading…' : outs.isError ? errorSentence(outs.error) : 'No contact of this campaign is opted out.'}
            itemKey={(r) => r.threadId}
            render={(r) => <OptOutRow r={r} sameAs={sameNumber.get(r.threadId)} onUndone={optOutUndone} />}
            footer={
              <OlderOptOuts
                more={outs.hasNextPage}
                loading={outs.isFetchingNextPage}
                error={outs.isFetchNextPageError ? outs.error : null}
                onMore={() => void outs.fetchNextPage()}
              />
            }
          />
          <Results campaignId={campaignId} id={sectionId('Results')} />
        </div>
      )}
      {optingIn && <OptBackInDialog i={optingIn} onClose={() => setOptingIn(null)} onDone={optInMarked} />}
      {o && shown && (
        <UnroutableDialog
          shown={shown}
          open={o.unroutable}
          more={openTotal(o, 'unroutable') > o.unroutable.length}
          onClose={() => setShown(null)}
          onGone={unroutableMarked}
        />
      )}
    </section>
  );
}

const sectionId = (title: string) => `admin-${title.toLowerCase().replace(/\W+/g, '-')}`;

/**
 * A row marked handled or reviewed (or open again), or an opt-out undone,
 * leaves its list, and the control that had focus with it: focus goes to the section's heading,
 * which reads the new count. After the dialog it was marked from has
 * closed (its focus trap would take focus back); also when an unroutable
 * text's dialog closes after someone else marked it meanwhile (its Show
 * details button is gone).
 */
const focusSection = (title: string) => () => setTimeout(() => document.getElementById(sectionId(title))?.focus());
const unroutableMarked = focusSection('Unroutable texts');
const abuseMarked = focusSection('Reports of abuse');
const optInMarked = focusSection('Opt-ins');
const optOutUndone = focusSection('Opt-outs');

/**
 * The sections and their counts at the top: a long list of reassigned
 * conversations would otherwise hide the reports of abuse, the
 * unroutable texts and the results below the fold. Each goes to its section (focus on its heading).
 */
function SectionIndex({ sections }: { sections: [string, number?][] }) {
  function go(title: string) {
    const h = document.getElementById(sectionId(title));
    h?.scrollIntoView?.({ block: 'start' });
    h?.focus();
  }
  return (
    <nav className="admin-index" aria-label="Admin sections">
      <ul>
        {sections.map(([title, n]) => (
          <li key={title}>
            <button type="button" className="quiet" onClick={() => go(title)}>
              {title}
              {n !== undefined && ' '}
              {n !== undefined && <span className="muted">({n.toLocaleString()})</span>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** All the conversations handed to the admin here; the list shows the newest 200. */
const reassignedTotal = (o: AdminOverview) => Math.max(o.reassignedTotal ?? 0, o.reassigned.length);

/**
 * The conversations handed over stay in the list once answered (they are
 * the organizer's), so the count only grows: the ones whose contact waits
 * for an answer come first, and the line under the heading counts them.
 */
function waitingFirst(list: ReassignedThread[]): ReassignedThread[] {
  return [...list.filter((t) => t.awaitsAnswer), ...list.filter((t) => !t.awaitsAnswer)];
}

function waitingNote(list: ReassignedThread[], total: number): string | undefined {
  const n = list.filter((t) => t.awaitsAnswer).length;
  if (n === 0) return undefined;
  const among = total > list.length ? ` Of the newest ${list.length.toLocaleString()}, ` : '';
  const count = n === 1 ? '1 is not answered yet, listed first.' : `${n.toLocaleString()} are not answered yet, listed first.`;
  return among ? `${among.trim()} ${count}` : count;
}

function AdminList<T>({
  title,
  items,
  total = items.length,
  older,
  empty,
  render,
  footer,
  note,
  itemKey,
}: {
  title: string;
  items: T[];
  /** How many there are in all, when the server sends only the newest. */
  total?: number;
  /** Where the ones left out are, said when some are. */
  older?: string;
  empty: string;
  render: (item: T) => ReactNode;
  /** A line under the heading. */
  note?: string;
  footer?: ReactNode;
  /**
   * Keeps each row (a failed marking's error, the focused control) with its item when another
   * leaves the list or comes in above it: by its place, focus stayed on the first row's button
   * while the row became another contact's.
   */
  itemKey: (item: T) => string;
}) {
  const id = sectionId(title);
  return (
    <section className="admin-section" aria-labelledby={id}>
      <h2 id={id} tabIndex={-1}>
        {title} <span className="muted">({total.toLocaleString()})</span>
      </h2>
      {note && <p className="small">{note}</p>}
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="admin-list">
          {items.map((it) => (
            <li key={itemKey(it)}>{render(it)}</li>
          ))}
        </ul>
      )}
      {total > items.length && (
        <p className="muted small">
          Showing the newest {items.length.toLocaleString()} of {total.toLocaleString()}. {older}
        </p>
      )}
      {footer}
    </section>
  );
}
