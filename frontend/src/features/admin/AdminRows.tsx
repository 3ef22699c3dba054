import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import type { AdminThread, ReassignedThread } from '../../backend';
import { errorSentence } from '../../lib/format';
import { useActions } from '../campaigns/hooks';
import { useInboxNavigate } from '../inbox/hooks';
import { useAdminThread, useEarlierTexts } from './hooks';
import { OptOutLine, OptOutUndone } from './UndoOptOut';
import { When } from './When';

/** A conversation reassigned to the admin; "Not answered yet" is the Go side's judgement (inbox.AwaitsAnswer). */
export function ReassignedRow({ t }: { t: ReassignedThread }) {
  const go = useInboxNavigate();
  const r = t.reassigned;
  // In a campaign of several actions, which one the conversation is of.
  const actions = useActions(t.campaignId).data ?? [];
  const action = actions.length > 1 ? actions.find((a) => a.id === t.actionId)?.title : undefined;
  return (
    <>
      <button type="button" className="link admin-open" onClick={() => go(`/thread/${t.id}`)}>
        {t.contactName}
      </button>
      {t.awaitsAnswer && <span className="badge">Not answered yet</span>}
      <p className="small">
        {action && `${action} · `}
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

/**
 * The whole exchange of a conversation the admin does not hold (a blocked
 * one, or one in a volunteer's inbox): read here, not opened, with its
 * number's opt-out (Undo Opt Out for a report's) unless the row around it
 * already says it (optOutShown: the list of opt-outs, whose second line and
 * second "Undo Opt Out: name" button would repeat the row's). Fetched when
 * opened. Its name says whose it is: a list has one per row.
 */
export function ReadConversation({ threadId, who, optOutShown = false }: { threadId: string; who: string; optOutShown?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="admin-conversation" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary aria-label={`Read the conversation with ${who}`}>Read the conversation</summary>
      {open && <Exchange threadId={threadId} who={who} optOutShown={optOutShown} />}
    </details>
  );
}

function Exchange({ threadId, who, optOutShown }: { threadId: string; who: string; optOutShown: boolean }) {
  const { campaignId = '' } = useParams();
  const q = useAdminThread(campaignId, threadId);
  // Undo Opt Out takes the opt-out line with its focused button: focus goes to the words saying it was undone.
  const [undone, setUndone] = useState(false);
  if (q.isError) {
    return (
      <p role="alert" className="error">
        {errorSentence(q.error)}
      </p>
    );
  }
  if (!q.data) return <p className="muted small">Loading…</p>;
  const details = q.data.contactDetails ?? [];
  return (
    <>
      {/* Every column of the contact list, as the exports have them: a volunteer's app gets only those the action shows. */}
      {details.length > 0 && (
        <dl className="contact-details muted" aria-label={`Contact details of ${who}`}>
          {details.map((d) => (
            <div key={d.key}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <Texts threadId={threadId} who={who} latest={q.data} />
      {q.data.optOut && !optOutShown && (
        <OptOutLine threadId={threadId} who={who} o={q.data.optOut} inAdmin blocked={q.data.blocked} onUndone={() => setUndone(true)} />
      )}
      {undone && !q.data.optOut && <OptOutUndone who={who} />}
    </>
  );
}

/**
 * The exchange, oldest first: the latest texts the read gave and, above them, Show earlier texts while the server has
 * more (a long conversation comes a page at a time, each within what the app reads of one answer). Once the first text is
 * shown the button goes, and focus with it to the list, where the earliest texts now are.
 */
function Texts({ threadId, who, latest }: { threadId: string; who: string; latest: AdminThread }) {
  const { campaignId = '' } = useParams();
  const [asked, setAsked] = useState(false);
  const from = latest.messages[0]?.id ?? '';
  const earlier = useEarlierTexts(campaignId, threadId, from, asked && (latest.earlier ?? 0) > 0);
  const pages = earlier.data?.pages ?? [];
  const left = pages.length > 0 ? (pages[pages.length - 1].earlier ?? 0) : (latest.earlier ?? 0);
  const shown = [...pages].reverse().flatMap((p) => p.messages).concat(latest.messages);
  const list = useRef<HTMLOListElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const moveFocus = useRef(false);
  useEffect(() => {
    if (left === 0 && moveFocus.current) {
      moveFocus.current = false;
      list.current?.focus();
    }
  }, [left]);
  // A page asked for, not the pages read again in the background (the Admin section changed).
  const loading = earlier.isFetchingNextPage || (earlier.isFetching && !earlier.data);
  const more = () => {
    if (loading) return;
    moveFocus.current = document.activeElement === button.current;
    if (!asked) setAsked(true);
    else if (earlier.data) void earlier.fetchNextPage();
    else void earlier.refetch();
  };
  return (
    <>
      {earlier.error != null && (
        <p role="alert" className="error small">
          {errorSentence(earlier.error)}
        </p>
      )}
      {left > 0 && (
        <p className="admin-actions admin-earlier">
          <button type="button" ref={button} className="quiet small" aria-disabled={loading} onClick={more}>
            Show earlier texts
          </button>
          <span className="muted small" role="status">
            {loading ? 'Loading…' : `${left} earlier ${left === 1 ? 'text' : 'texts'}`}
          </span>
        </p>
      )}
      <ol className="admin-exchange" aria-label={`Conversation with ${who}`} ref={list} tabIndex={-1}>
        {shown.map((m) => (
          <li key={m.id} className={m.direction === 'out' ? 'out' : 'in'}>
            <strong>{m.direction === 'out' ? m.sentByName || 'A volunteer' : who}:</strong> {m.body}{' '}
            <span className="muted small">
              · <When at={m.createdAt} />
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
