import { useEffect, useRef, useState } from 'react';
import type { ResponseScript, ThreadView } from '../../backend';
import { errorSentence } from '../../lib/format';
import { keyNames, notAShortcut } from '../../lib/keys';
import { useNotices } from '../outbox/notices';
import { FollowUp } from './FollowUp';
import { InstructionsDisclosure } from '../campaigns/ActionInstructions';
import { useActions } from '../campaigns/hooks';
import { useReply } from './hooks';
import { SegmentCount } from './SegmentCount';
import { GrowingTextarea } from '../../components/GrowingTextarea';

interface ReplyComposerProps {
  view: ThreadView;
  /** A failed send, said above the composer with the conversation's other errors ('' clears it). */
  onError: (sentence: string) => void;
  /** A text sent: the volunteer expects to see it come in at the end of the messages. */
  onSend?: () => void;
}

/**
 * The reply area, as in a messenger: Follow Up, the reply and Send on one
 * row, the segment count under them, so the messages keep their room in a
 * short window (900x560). Mounted for a conversation that can be answered.
 */
export function ReplyComposer({ view, onError, onSend }: ReplyComposerProps) {
  const threadId = view.thread.id;
  const [reply, setReply] = useState('');
  const [scriptId, setScriptId] = useState('');
  const [menuOpen, setMenuOpen] = useState(false);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const sendRef = useRef<HTMLButtonElement>(null);
  const followUpRef = useRef<HTMLButtonElement>(null);
  // Bumped on each pick: focus moves once the picked script is on screen (Send is enabled by then).
  const [picked, setPicked] = useState(0);
  // A reply the Go side refuses after the volunteer moved on (J/K, Back)
  // is said window-wide: this composer, and its error line, are gone then.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const { addRejected } = useNotices();
  const who = view.thread.contactName;
  const send = useReply(threadId, (err) => {
    if (!mounted.current) addRejected({ id: crypto.randomUUID(), summary: `your reply to ${who}`, reason: errorSentence(err) });
  });
  // The reply box as it is now, for a send that lands after more typing.
  const replyNow = useRef(reply);
  replyNow.current = reply;

  function pick(s: ResponseScript) {
    setReply(s.body);
    setScriptId(s.id);
    setMenuOpen(false);
    setPicked((n) => n + 1);
  }

  // Without free text there is no box to edit: Send is next.
  useEffect(() => {
    if (picked > 0) (replyRef.current ?? sendRef.current)?.focus();
  }, [picked]);

  function edit(value: string) {
    setReply(value);
    // An edited script is the volunteer's own words, not the script.
    const script = view.responseScripts.find((s) => s.id === scriptId);
    if (script && script.body !== value) setScriptId('');
  }

  function submit() {
    const body = reply.trim();
    if (body === '' || send.isPending) return;
    onError('');
    onSend?.();
    // Send is disabled while the reply goes out: keep the keyboard in the reply box, not on the
    // page. With scripts only there is no box: the next step is Follow Up, to pick the next script.
    (replyRef.current ?? followUpRef.current)?.focus();
    send.mutate(
      { body, scriptId },
      {
        // Only what was sent is cleared: words typed since are the next text.
        onSuccess: () => {
          if (replyNow.current.trim() !== body) return;
          setReply('');
          setScriptId('');
        },
        onError: (err) => onError(errorSentence(err)),
      },
    );
  }

  // The action's instructions (which script answers what), from the cached actions.
  const instructions = useActions(view.thread.campaignId).data?.find((a) => a.id === view.thread.actionId)?.instructions ?? '';

  // F opens Follow Up, R goes to the reply box (when focus is not in a field).
  const hasScripts = view.responseScripts.length > 0;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (notAShortcut(e)) return;
      const k = e.key.toLowerCase();
      if (k === 'f' && hasScripts) {
        e.preventDefault();
        setMenuOpen(true);
      } else if (k === 'r') {
        e.preventDefault();
        replyRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasScripts]);

  const tagLabel = (key: string) => view.reportFields.find((f) => f.key === key)?.label ?? key;
  return (
    <div className="composer">
      <FollowUp scripts={view.responseScripts} tagLabel={tagLabel} open={menuOpen} onOpenChange={setMenuOpen} onPick={pick} buttonRef={followUpRef} />
      {view.allowFreeText ? (
        <>
          {/* Named for screen readers; the placeholder says it on screen, as a messenger's box does. */}
          <label htmlFor="reply" className="sr-only">
            Reply
          </label>
          <GrowingTextarea
            id="reply"
            maxLines={6}
            ref={replyRef}
            aria-keyshortcuts="R"
            value={reply}
            placeholder="Type a reply or use Follow Up"
            rows={2}
            aria-describedby="reply-segments reply-send-keys"
            onChange={(e) => edit(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              } else if (e.key === 'Escape') {
                // Out of the box, onto the messages (a Tab stop of their own), where the letter
                // shortcuts (E, P, J, K) work again; the words typed stay in the box.
                e.preventDefault();
                replyRef.current?.closest('.thread')?.querySelector<HTMLElement>('.messages')?.focus();
              }
            }}
          />
        </>
      ) : (
        // Only the action's scripts may be sent: no box to type in, the picked script shown as it will go.
        <>
          <span id="reply-label" className="sr-only">
            Reply
          </span>
          <p id="reply" className={`reply-preview${reply ? '' : ' muted'}`} aria-labelledby="reply-label" aria-live="polite">
            {reply ||
              (hasScripts
                ? 'Pick a reply with Follow Up.'
                : // Follow Up is disabled, and no box to type in: say so, and the way out.
                  'There is no response script to reply with here, and this action allows only its scripts. ' +
                  'Reassign Conversation to an organizer if they need an answer.')}
          </p>
        </>
      )}
      <button
        type="button"
        ref={sendRef}
        className="primary"
        onClick={submit}
        disabled={send.isPending || reply.trim() === ''}
        aria-describedby="reply-segments"
      >
        Send
      </button>
      <div className="composer-foot">
        <SegmentCount id="reply-segments" body={reply.trim()} />
        {/* As the send screen's "or press Enter": the keys are on the Shortcuts sheet too, but a
            volunteer typing a reply looks here. */}
        {view.allowFreeText && (
          <span id="reply-send-keys" className="send-keys muted small">
            {keyNames().mod}+Enter sends
          </span>
        )}
        {!view.allowFreeText && <span className="muted small">This action allows only its response scripts.</span>}
        <InstructionsDisclosure text={instructions} />
      </div>
    </div>
  );
}
