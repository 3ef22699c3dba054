import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { outbox, type PendingMutation } from '../../backend';
import { Modal } from '../../components/Modal';
import { errorMessage, errorSentence, plural, sentence } from '../../lib/format';
import { keys } from '../../lib/queryKeys';
import { useOutbox } from '../outbox/hooks';
import { awayWords, useHoldup, type Holdup } from '../outbox/connection';
import { useSignOut } from './hooks';

/**
 * The footer's Sign out. Signing out deletes this computer's copy of the
 * inbox, the outbox with it: with nothing waiting it signs out at once;
 * otherwise it first says how many changes would be lost and asks.
 */
export function SignOut() {
  const signOut = useSignOut();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [checking, setChecking] = useState(false);

  async function onClick() {
    if (checking || signOut.isPending) return;
    setChecking(true);
    // Asked afresh: the list on screen may be a moment old.
    let items: PendingMutation[] | undefined;
    try {
      items = await qc.fetchQuery({ queryKey: keys.outbox, queryFn: outbox, staleTime: 0 });
    } catch {
      items = undefined; // unknown: ask rather than lose anything
    } finally {
      setChecking(false);
    }
    if (items && items.length === 0) signOut.mutate();
    else setAsking(true);
  }

  return (
    <>
      {/* An alert: pressed with nothing waiting, no dialog opens, and Sign out keeps focus, so words that only
          appeared beside it were not heard. */}
      {signOut.isError && !asking && (
        <span role="alert" className="error-text">
          {errorSentence(signOut.error)}
        </span>
      )}
      <button type="button" className="quiet" onClick={onClick}>
        Sign out
      </button>
      {asking && <ConfirmSignOut signOut={signOut} onClose={() => setAsking(false)} />}
    </>
  );
}

function ConfirmSignOut({ signOut, onClose }: { signOut: ReturnType<typeof useSignOut>; onClose: () => void }) {
  const { data: items, isError } = useOutbox();
  const holdup = useHoldup();
  const describedBy = useId();
  const known = items !== undefined && !isError;
  const refused = items?.filter((m) => m.rejected).length ?? 0;
  const waiting = (items?.length ?? 0) - refused;
  const n = waiting + refused;

  let what: string;
  if (!known) what = 'Textbank could not check for changes that have not reached the campaign server.';
  else if (n === 0) what = 'Everything has reached the campaign server: nothing will be lost.';
  else {
    const parts: string[] = [];
    if (waiting > 0) parts.push(`${plural(waiting, 'change')} ${waiting === 1 ? 'is' : 'are'} still waiting to be sent`);
    if (refused > 0) parts.push(`${plural(refused, 'change')} ${refused === 1 ? 'was' : 'were'} refused by the campaign server`);
    what = sentence(parts.join(' and '));
  }

  const confirm = !known
    ? 'Sign out and discard unsent changes'
    : n === 0
      ? 'Sign out'
      : `Sign out and discard ${plural(n, 'unsent change')}`;

  return (
    <Modal title="Sign out with unsent changes?" onClose={onClose} role="alertdialog" describedBy={describedBy}>
      <div id={describedBy}>
        <p>{what}</p>
        {(!known || n > 0) && (
          <p>
            Signing out deletes this computer's copy of your inbox, and {n === 1 ? 'that change' : 'those changes'} with it.
            {waiting > 0 && ` ${keepWords(holdup)}`}
            {refused > 0 && ' The Outbox shows what was refused and why.'}
          </p>
        )}
      </div>
      {signOut.isError && (
        <p role="alert" className="error">
          {sentence(`You are still signed in: ${errorMessage(signOut.error)}`)}
        </p>
      )}
      <div className="modal-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={known && n === 0 ? 'primary' : 'danger'}
          disabled={signOut.isPending}
          onClick={() => signOut.mutate()}
        >
          {signOut.isPending ? 'Signing out…' : confirm}
        </button>
      </div>
    </Modal>
  );
}

/**
 * What keeps the waiting changes if the volunteer stays signed in: offline, busy or at a refused address, in the
 * status bar's terms ("You are offline" beside "Server busy" was untrue). A refused address is not fixed by waiting:
 * the words say what it takes (the https:// address), the Outbox how, where "once the server address is fixed"
 * said neither who fixes it nor how.
 */
function keepWords(h: Holdup): string {
  switch (h) {
    case 'offline':
    case 'busy':
      return `${awayWords(h)}: stay signed in, and they go out ${h === 'offline' ? 'when you are back online' : 'once it has room again'}.`;
    case 'refused':
      return 'Textbank does not connect to this plain http:// server address: stay signed in, and they go out once Textbank has the server\'s https:// address, as the Outbox says.';
    default:
      return 'Textbank tries once more to send what is waiting as you sign out.';
  }
}
