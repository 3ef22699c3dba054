import { useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import type { AbuseReport, OptIn, Thread, UnroutableText } from '../../backend';
import { fullTime, errorSentence } from '../../lib/format';
import { useInboxNavigate } from '../inbox/hooks';
import { useAdminOverview, useAdminThread, useIsAdmin } from './hooks';
import '../thread/conversations.css';

const reasonLabels: Record<string, string> = { harassment: 'Harassment', threats: 'Threats', spam: 'Spam', other: 'Other' };

/** The Admin section: what the campaign's organizers must look at. The server checks the role again. */
export function AdminPage() {
  const { campaignId = '' } = useParams();
  const isAdmin = useIsAdmin(campaignId);
  const q = useAdminOverview(campaignId, isAdmin);

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
      {q.isError && (
        <p role="alert" className="error">
          {errorSentence(q.error)}
        </p>
      )}
      {q.isPending && <p className="muted">Loading…</p>}
      {o && (
        <SectionIndex
          sections={[
            ['Reassigned to me', o.reassigned.length],
            ['Reports of abuse', o.abuseReports.length],
            ['Unroutable texts', o.unroutable.length],
            ['Opt-ins', o.optIns.length],
          ]}
        />
      )}
      {o && (
        <div className="admin-sections">
          <AdminList title="Reassigned to me" items={o.reassigned} empty="No volunteer has handed you a conversation." render={(t) => <ReassignedRow t={t} />} />
          <AdminList title="Reports of abuse" items={o.abuseReports} empty="No volunteer has reported abuse in this campaign." render={(r) => <AbuseRow r={r} />} />
          <AdminList title="Unroutable texts" items={o.unroutable} empty="Every incoming text reached its conversation." render={(u) => <UnroutableRow u={u} />} />
          <AdminList title="Opt-ins" items={o.optIns} empty="No opted-out contact has texted START." render={(i) => <OptInRow i={i} />} />
        </div>
      )}
    </section>
  );
}

const sectionId = (title: string) => `admin-${title.toLowerCase().replace(/\W+/g, '-')}`;

/**
 * The sections and their counts at the top: a long list of reassigned
 * conversations would otherwise hide the reports of abuse and the
 * unroutable texts below the fold. Each goes to its section (focus on its heading).
 */
function SectionIndex({ sections }: { sections: [string, number][] }) {
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
              {title} <span className="muted">({n})</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AdminList<T>({ title, items, empty, render }: { title: string; items: T[]; empty: string; render: (item: T) => ReactNode }) {
  const id = sectionId(title);
  return (
    <section className="admin-section" aria-labelledby={id}>
      <h2 id={id} tabIndex={-1}>
        {title} <span className="muted">({items.length})</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="admin-list">
          {items.map((it, i) => (
            <li key={i}>{render(it)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function When({ at }: { at: string }) {
  return <time dateTime={at}>{fullTime(at)}</time>;
}

/** The contact's latest text has no answer after it (from anyone holding the conversation). */
export function awaitsAnswer(t: Thread): boolean {
  if (!t.lastInboundAt || t.optedOut || t.blocked) return false;
  return !t.lastOutboundAt || Date.parse(t.lastInboundAt) > Date.parse(t.lastOutboundAt);
}

function ReassignedRow({ t }: { t: Thread }) {
  const go = useInboxNavigate();
  const r = t.reassigned;
  return (
    <>
      <button type="button" className="link admin-open" onClick={() => go(`/thread/${t.id}`)}>
        {t.contactName || t.contactPhone}
      </button>
      {awaitsAnswer(t) && <span className="badge">Not answered yet</span>}
      <p className="small">
        {r ? `From ${r.fromUserName || 'a volunteer'}${r.note ? `: ${r.note}` : ''}` : 'Reassigned to you'}
        {r?.at && (
          <>
            {' · '}
            <When at={r.at} />
          </>
        )}
      </p>
    </>
  );
}

function AbuseRow({ r }: { r: AbuseReport }) {
  return (
    <>
      <p>
        <strong>{r.contactName || r.contactPhone}</strong> · {reasonLabels[r.reason] ?? r.reason} · reported by {r.reportedBy}
      </p>
      <p className="small muted">
        {r.actionTitle} · <When at={r.at} />
      </p>
      {r.note && <p className="small">Note: {r.note}</p>}
      {r.lastMessage && <p className="small">Last text: “{r.lastMessage}”</p>}
      <ReadConversation threadId={r.threadId} who={r.contactName || r.contactPhone} />
    </>
  );
}

/**
 * The whole exchange of a blocked conversation: it left the volunteer's
 * inbox for good and is nobody's to answer, so it is read here, not opened.
 * Fetched when opened.
 */
function ReadConversation({ threadId, who }: { threadId: string; who: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="admin-conversation" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Read the conversation</summary>
      {open && <Exchange threadId={threadId} who={who} />}
    </details>
  );
}

function Exchange({ threadId, who }: { threadId: string; who: string }) {
  const { campaignId = '' } = useParams();
  const q = useAdminThread(campaignId, threadId);
  if (q.isError) {
    return (
      <p role="alert" className="error">
        {errorSentence(q.error)}
      </p>
    );
  }
  if (!q.data) return <p className="muted small">Loading…</p>;
  return (
    <ol className="admin-exchange" aria-label={`Conversation with ${who}`}>
      {q.data.map((m) => (
        <li key={m.id} className={m.direction === 'out' ? 'out' : 'in'}>
          <strong>{m.direction === 'out' ? m.sentByName || 'A volunteer' : who}:</strong> {m.body}{' '}
          <span className="muted small">
            · <When at={m.createdAt} />
          </span>
        </li>
      ))}
    </ol>
  );
}

function UnroutableRow({ u }: { u: UnroutableText }) {
  return (
    <>
      <p>
        <strong>{u.from}</strong> to {u.to}: “{u.body}”
      </p>
      <p className="small muted">
        <When at={u.at} />
      </p>
    </>
  );
}

function OptInRow({ i }: { i: OptIn }) {
  return (
    <>
      <p>
        <strong>{i.contactName || i.contactPhone}</strong>: “{i.body}”
      </p>
      <p className="small muted">
        Still opted out: Textbank never texts an opted-out number again · <When at={i.at} />
      </p>
    </>
  );
}
