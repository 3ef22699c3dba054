import { useState } from 'react';
import { useParams } from 'react-router';
import type { ReassignedThread } from '../../backend';
import { errorSentence } from '../../lib/format';
import { useActions } from '../campaigns/hooks';
import { useInboxNavigate } from '../inbox/hooks';
import { useAdminThread } from './hooks';
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
      <ol className="admin-exchange" aria-label={`Conversation with ${who}`}>
        {q.data.messages.map((m) => (
          <li key={m.id} className={m.direction === 'out' ? 'out' : 'in'}>
            <strong>{m.direction === 'out' ? m.sentByName || 'A volunteer' : who}:</strong> {m.body}{' '}
            <span className="muted small">
              · <When at={m.createdAt} />
            </span>
          </li>
        ))}
      </ol>
      {q.data.optOut && !optOutShown && (
        <OptOutLine threadId={threadId} who={who} o={q.data.optOut} inAdmin blocked={q.data.blocked} onUndone={() => setUndone(true)} />
      )}
      {undone && !q.data.optOut && <OptOutUndone who={who} />}
    </>
  );
}
