import { useEffect, useRef, useState } from 'react';
import type { Action, Batch } from '../../backend';
import { errorMessage, hasName, plural, errorSentence, sentence } from '../../lib/format';
import { clockLabel } from '../../lib/hours';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { useInitialLockHours } from '../../lib/useInitialLockHours';
import { useRelease, useSendQueue, useTextAgain } from './hooks';
import { ActionFacts } from '../campaigns/ActionFacts';
import { InstructionsDisclosure } from '../campaigns/ActionInstructions';
import { TypeLabel } from '../../components/TypeLabel';
import { archivedCampaignNotice } from '../../lib/labels';
import { useCampaigns } from '../campaigns/hooks';

interface SendProps {
  action: Action;
  onBackToInbox: () => void;
}

/**
 * Enter sends only when focus is not somewhere Enter means something else,
 * nor in a dialog over the screen (the shortcuts sheet, Sign out): the
 * contact behind it is not what the volunteer is looking at.
 */
function enterIsOurs(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' || e.defaultPrevented || e.repeat || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  const t = e.target as HTMLElement | null;
  if (!t || !(t instanceof HTMLElement)) return true;
  if (t.isContentEditable || t.closest('[aria-modal="true"]')) return false;
  return !['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(t.tagName);
}

/** Why a Text Again brought fewer contacts than it could, in the volunteer's words ("" when none were passed over). */
function heldBackNotice(batch: Batch | undefined, action: Action, lock: string): string {
  if (!batch) return '';
  const sentences: string[] = [];
  if (batch.heldBack > 0) {
    const h = action.textingHours;
    const hours = h?.start && h?.end ? ` (${clockLabel(h.start)}–${clockLabel(h.end)} their time)` : '';
    const were = batch.heldBack === 1 ? 'contact was' : 'contacts were';
    sentences.push(`${batch.heldBack} ${were} held back: it is outside texting hours for them now${hours}.`);
  }
  if (batch.recentlyTexted > 0) {
    const were = batch.recentlyTexted === 1 ? 'contact was' : 'contacts were';
    sentences.push(`${batch.recentlyTexted} ${were} held back: your organization sent them a first text in the last ${lock}.`);
  }
  if (sentences.length === 0) return '';
  return `${sentences.join(' ')} They stay in the pool for later.`;
}

export function Send({ action, onBackToInbox }: SendProps) {
  const { query, items, remaining, send, sent, skip, reveal, errors: sendErrors, clearErrors } = useSendQueue(action.id);
  const again = useTextAgain(action.id, sent, reveal);
  const lock = useInitialLockHours();
  const stop = useRelease(action.id, sent);
  const busy = again.isPending || stop.isPending;
  const againRetrying = useBusyRetry(again.isPending, 'textAgain', action.id);
  const stopRetrying = useBusyRetry(stop.isPending, 'release', action.id);
  const retrying = againRetrying || stopRetrying;

  // Pressing Start means "give me people to text": with nothing queued yet,
  // ask for the first batch (once) instead of showing an empty screen. Only that press
  // brings this screen up empty (pages.tsx SendOrIntro): history lands on the action's page.
  const asked = useRef(false);
  const loaded = query.isSuccess;
  const emptyAtStart = loaded && query.data.items.length === 0;
  useEffect(() => {
    if (!loaded || asked.current) return;
    asked.current = true;
    if (emptyAtStart) again.mutate();
  }, [loaded, emptyAtStart, again]);

  const current = items?.[0];
  // What took the last contact off the screen, for the announcement below:
  // a Skip or Stop for now sent nothing, and must not be heard as "Sent".
  const lastStep = useRef<'sent' | 'skipped' | 'stopped'>('sent');
  // Whether anyone was texted on this screen: a Text Again that brings no one before that
  // (an archived campaign, an action with no contacts) ends nothing, so no "Batch done" or thanks.
  const [textedHere, setTextedHere] = useState(false);
  const sendCurrent = () => {
    if (!current || current.error) return;
    lastStep.current = 'sent';
    setTextedHere(true);
    send(current);
  };
  const skipCurrent = () => {
    if (!current) return;
    lastStep.current = 'skipped';
    skip(current);
  };
  const stopForNow = () => {
    lastStep.current = 'stopped';
    stop.mutate();
  };
  const sendRef = useRef(sendCurrent);
  sendRef.current = sendCurrent;

  // A screen reader hears who is next and how many are left after each Send
  // (the Send button keeps focus, so nothing else would be read).
  const [announcement, setAnnouncement] = useState('');
  const shownId = current?.contactId;
  const left = items?.length ?? 0;
  const nextName = current?.name ?? '';
  const lastShown = useRef<string | undefined>(undefined);
  useEffect(() => {
    const before = lastShown.current;
    lastShown.current = shownId;
    if (before === undefined || before === shownId) return;
    // Stop for now says what happened in its own notice (a status).
    if (lastStep.current === 'stopped') {
      setAnnouncement('');
      return;
    }
    const done = lastStep.current === 'skipped' ? 'Skipped.' : 'Sent.';
    setAnnouncement(shownId ? `${done} Next: ${nextName}. ${left} left.` : `${done} Batch done.`);
  }, [shownId, nextName, left]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!enterIsOurs(e)) return;
      e.preventDefault();
      sendRef.current();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const loadError = query.isError ? errorSentence(query.error) : '';
  // The server's answer that it handed out no one, in its words (texting hours, no one left,
  // an archived campaign...): news, not a fault.
  const answer = again.isSuccess && again.data.nothing ? sentence(again.data.nothing) : '';
  // A Text Again that failed (offline, the server unreachable): a fault, and Text Again the way on.
  const failed = again.isError ? errorSentence(again.error) : '';
  // Nobody assigned: with the server's reason, or without (everyone left passed over for now).
  const nobody = again.isSuccess && again.data.assigned === 0;
  const noneNow = nobody && !answer;
  const heldBack = again.isSuccess ? heldBackNotice(again.data, action, lock) : '';
  const noneNowText = `No contacts can be texted right now.${heldBack ? ` ${heldBack}` : ''} Try Text Again later.`;
  // The batch ended by Stop for now (its contacts went back), or with no one left in the action.
  const stopped = stop.isSuccess;
  const allDone = !stopped && remaining === 0;
  const notice = stop.isSuccess ? `${plural(stop.data, 'unsent contact')} went back to the pool for other volunteers.` : '';
  // The step focused after Stop for now carries its notice: a status inserted with its words already in
  // is often not read, and the send screen's own announcement leaves a stop to it.
  const stopSaid = notice ? 'stop-notice' : undefined;
  // No one left in the action, or a Text Again that brought no one: Text Again is no longer the
  // next step. Held while a Text Again is on its way, so the buttons do not swap back and forth.
  // Before anyone was texted here, a Text Again that brought no one (refused: an archived
  // campaign, an action with no contacts yet, texting hours; or everyone held back) ends no batch.
  // No one left at all is still "All done": they may have texted everyone on another day.
  const nothingYet = !stopped && !textedHere && !allDone && nobody;
  // A first Text Again that failed ends no batch either; asking again is the next step.
  const notAsked = !stopped && !textedHere && !allDone && again.isError;
  const nothingLeftNow = !stopped && (allDone || nobody);
  const [nothingLeftShown, setNothingLeftShown] = useState(nothingLeftNow);
  if (!again.isPending && nothingLeftShown !== nothingLeftNow) setNothingLeftShown(nothingLeftNow);
  // An archived campaign hands out no one ever again (an archive is for good): the inbox is the
  // one step left, and Text Again could only be refused again.
  const archived = useCampaigns().data?.find((c) => c.id === action.campaignId)?.archived === true;
  const nothingLeft = archived || (again.isPending ? nothingLeftShown : nothingLeftNow);
  // Archived while this screen was open (mid-batch): the batch's unsent contacts went back with
  // the archive and no one is texted again, so neither "Batch done" nor "still waiting" holds.
  const archivedHere = archived && !stopped && !nothingYet && !notAsked;
  const textAgain = () => {
    stop.reset();
    again.mutate();
  };
  const allErrors = stop.isError ? [...sendErrors, sentence(`Could not release the unsent contacts: ${errorMessage(stop.error)}`)] : sendErrors;

  return (
    // A held Enter repeats its keydown, and a focused button clicks on each one: one text per
    // repeat (5 in 160 ms). The window's Enter already ignores repeats; this stops the button's.
    // One press, one text (the same for Skip and Text Again).
    <section
      className="pane send"
      aria-labelledby="send-action-title"
      onKeyDown={(e) => {
        if (e.repeat && (e.key === 'Enter' || e.key === ' ')) e.preventDefault();
      }}
    >
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="send-announcement">
        {announcement}
      </p>
      <header className="pane-header">
        <h1 id="send-action-title">{action.title}</h1>
        <TypeLabel type={action.type} />
      </header>
      <ActionFacts action={action} />
      <InstructionsDisclosure text={action.instructions} />

      {allErrors.length > 0 && (
        <div role="alert" className="error">
          {allErrors.map((m, i) => (
            <p key={i}>{m}</p>
          ))}
          <button
            type="button"
            className="link"
            onClick={() => {
              clearErrors();
              stop.reset();
            }}
          >
            Dismiss
          </button>
        </div>
      )}
      {loadError && (
        <div role="alert" className="error">
          <p>{loadError}</p>
          <button type="button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      )}
      {retrying && (
        <p role="status" className="notice">
          Server busy, trying again…
        </p>
      )}
      {notice && (
        <p id="stop-notice" role="status" className="notice">
          {notice}
        </p>
      )}
      {heldBack && !noneNow && (
        <p role="status" className="notice" data-testid="held-back">
          {heldBack}
        </p>
      )}

      {!items && !loadError && <p className="muted">Loading contacts…</p>}

      {current && (
        <div className="recipient">
          <p className="muted">Texting</p>
          <h2 id="send-recipient" className="recipient-name" data-testid="recipient-name">
            {current.name}
          </h2>
          {hasName(current.name, current.phoneDisplay) && <p className="muted phone">{current.phoneDisplay}</p>}

          {current.error ? (
            <>
              <p role="alert" className="error">
                The text for {current.name} could not be prepared: {current.error}
              </p>
              <div className="send-controls">
                <button type="button" className="primary big" onClick={skipCurrent} autoFocus>
                  Skip
                </button>
                <span className="count">{items.length} left</span>
              </div>
            </>
          ) : (
            <>
              {current.scriptChanged && (
                <p role="status" className="notice" data-testid="script-changed">
                  The campaign changed this script after your app showed it, so that text was not sent. This is the
                  new text:
                </p>
              )}
              <div id="send-body" className="script" aria-label="Message to send">
                {current.body}
              </div>
              <p className="meta">
                {/* The SMS segment count, in the reply box's words (thread/SegmentCount);
                    "Sends as" so that "1 text" beside the count left is not read as one sent. */}
                <span title="A long message goes out as several SMS segments, each counted as a text">
                  Sends as {plural(current.segments, 'text')}
                </span>
                <span aria-hidden="true"> · </span>
                <span className="count">{items.length} left</span>
              </p>
              <div className="send-controls">
                {/* Start puts focus here, past the name and the text: a screen reader reads them with the button
                    (after each Send the announcement above names the next contact). */}
                <button type="button" className="primary big" onClick={sendCurrent} autoFocus aria-describedby="send-recipient send-body">
                  {current.scriptChanged ? 'Send new text' : 'Send'}
                </button>
                <span className="muted hint">or press Enter</span>
              </div>
            </>
          )}
          <p className="stop-row">
            <button type="button" onClick={stopForNow} disabled={busy} aria-describedby="stop-hint">
              Stop for now
            </button>
            <span id="stop-hint" className="muted">
              Releases your unsent contacts to other volunteers.
            </span>
          </p>
        </div>
      )}

      {items && items.length === 0 && !loadError && (
        <div className="batch-done">
          <h2>
            {stopped
              ? 'Stopped for now'
              : archivedHere
                ? 'Campaign archived'
                : nothingYet
                ? 'Nothing to text now'
                : notAsked
                  ? 'No contacts yet'
                  : allDone
                    ? 'All done'
                    : 'Batch done'}
          </h2>
          {/* The server's reason is news, not a fault; with no one left it already says
              everyone was texted, so the thanks below does not say it again. Before anyone
              was texted here, the reason (archived, no contacts) is the whole story. */}
          {answer && (
            <p role="status" className="notice" data-testid="why-nothing">
              {answer}
            </p>
          )}
          {archivedHere && !answer && <p className="notice">{archivedCampaignNotice}</p>}
          {!nothingYet && !notAsked && !archivedHere && (
            <p>
              {stopped
                ? 'Press Text Again whenever you are ready for more.'
                : allDone
                  ? `${answer ? '' : 'No one is left to text in this action. '}Thank you! Replies to your texts come to your inbox.`
                  : 'Everyone in this batch has been texted.'}
              {!allDone && remaining > 0 && ` ${plural(remaining, 'contact')} still waiting in this action.`}
            </p>
          )}
          {failed && (
            <p role="alert" className="error">
              {failed}
            </p>
          )}
          {noneNow && (
            <p role="status" className="notice" data-testid="none-now">
              {noneNowText}
            </p>
          )}
          {nothingLeft ? (
            // The server says no one is left (for now): another press would bring nobody, so the
            // inbox, where the replies come, is the main step; Text Again stays, for later.
            <div className="send-controls">
              <button type="button" className="primary big" onClick={onBackToInbox} autoFocus aria-describedby={stopSaid}>
                Back to the inbox
              </button>
              {!archived && (
                <button type="button" onClick={textAgain} disabled={busy}>
                  Text Again
                </button>
              )}
            </div>
          ) : (
            <div className="send-controls">
              <button type="button" className="primary big" onClick={textAgain} disabled={busy} autoFocus aria-describedby={stopSaid}>
                Text Again
              </button>
              <button type="button" onClick={onBackToInbox}>
                Back to the inbox
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
