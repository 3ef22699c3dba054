import { useEffect, useRef, useState } from 'react';
import { errorSentence } from '../../lib/format';
import { useNotices } from '../outbox/notices';
import { useHoldup } from '../outbox/connection';
import { useStatus } from '../session/hooks';
import { useOpenThread, useThread } from './hooks';
import { ConversationNotes, ConversationTools } from './ConversationPanel';
import { MessageList, type MessageListHandle } from './MessageList';
import { ReplyComposer } from './ReplyComposer';
import { ThreadHeader } from './ThreadHeader';

/**
 * The open conversation, top to bottom: the header (Back, who, Report abuse,
 * Archive), the report and hand-over tools, the notes and the report (which
 * give way in a short window once the messages have), the messages, and the
 * reply area. Each piece keeps its own shortcuts (E in the header, F and R in
 * the reply area); their errors are said in one place, above the reply.
 */
export function ThreadView({ threadId }: { threadId: string }) {
  const { data, error: loadError, isError } = useThread(threadId);
  const [actionError, setActionError] = useState('');
  const [savedWords, setSavedWords] = useState('');
  // Texts still in the outbox say why they wait: out of reach, busy, or sync failing.
  const me = useStatus().data?.user?.id;
  const holdup = useHoldup();

  useOpenThread(threadId, (err) => setActionError(errorSentence(err)));

  // The status bar's "New reply from ... Open" about this conversation is
  // old news once it is opened. Only on opening: a reply that arrives while
  // it is on screen is still announced there.
  // The messages, for Send to bring the volunteer's own text into view; and the box under them,
  // for their "2 new messages" (held at the pane's foot with the reply area in one column).
  const list = useRef<MessageListHandle>(null);
  const [foot, setFoot] = useState<HTMLDivElement | null>(null);

  const { lastReply, setLastReply } = useNotices();
  const notice = useRef(lastReply);
  notice.current = lastReply;
  useEffect(() => {
    if (notice.current?.threadId === threadId) setLastReply(null);
  }, [threadId, setLastReply]);

  // A conversation that left the inbox while open (reassigned, or blocked
  // from another computer: sync took it away) keeps its last data in the
  // query cache; the error is what is true now, and nothing here can act.
  if (!data || isError) {
    return (
      <section className="pane thread" aria-label="Conversation">
        {isError ? (
          <p role="alert" className="error">
            {errorSentence(loadError)}
          </p>
        ) : (
          <p className="muted">Loading the conversation…</p>
        )}
      </section>
    );
  }

  const t = data.thread;
  const canReply = !t.optedOut && !t.blocked;

  return (
    <section className="pane thread" aria-labelledby="thread-contact">
      <ThreadHeader view={data} onError={setActionError} />
      <ConversationTools view={data} onSavedWords={setSavedWords} />
      {/* Keyed by conversation (apart from the composer's key): another conversation's notes start at their top. */}
      <ConversationNotes key={`notes:${threadId}`} view={data} saved={savedWords} />

      <MessageList ref={list} foot={foot} messages={data.messages} holdup={holdup} me={me} who={t.contactName} />

      <div className="thread-foot" ref={setFoot}>
        {actionError && (
          <p role="alert" className="error">
            {actionError}
          </p>
        )}

        {/* Keyed by conversation: another one starts with an empty reply and a closed menu. */}
        {canReply && <ReplyComposer key={threadId} view={data} onError={setActionError} onSend={() => list.current?.toLatest()} />}
      </div>
    </section>
  );
}
