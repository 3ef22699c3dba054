import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePassword, rename, type User } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { errorSentence, plural } from '../../lib/format';

/**
 * The volunteer's name, which every text they send carries ({volunteer_name}): changed on the
 * server (it needs a connection), then shown and used for the next texts at once.
 */
export function YourName({ user }: { user: User }) {
  const qc = useQueryClient();
  const [name, setName] = useState(user.name);
  useEffect(() => setName(user.name), [user.name]);
  const save = useMutation({
    mutationFn: (n: string) => rename(n),
    onSuccess: (u) => {
      qc.setQueryData(keys.status, (prev: { user?: User } | undefined) => (prev ? { ...prev, user: u } : prev));
      void qc.invalidateQueries({ queryKey: keys.status });
      // The texts waiting on the send screen are rendered with the name.
      void qc.invalidateQueries({ queryKey: ['queue'] });
    },
  });
  const trimmed = name.trim();
  const changed = trimmed !== user.name;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changed && trimmed) save.mutate(trimmed);
  };
  return (
    <>
      <form className="settings-row" onSubmit={submit}>
        <label htmlFor="your-name">Your name</label>
        <input
          id="your-name"
          type="text"
          autoComplete="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            save.reset();
          }}
          aria-describedby="your-name-hint"
        />
        <button type="submit" disabled={!changed || !trimmed || save.isPending}>
          Save name
        </button>
      </form>
      <p id="your-name-hint" className="muted small">
        {!trimmed
          ? 'Your name cannot be empty.'
          : 'Your texts say who they are from with this name. Texts already sent keep the name they were sent with.'}
      </p>
      {save.isSuccess && !changed && (
        <p role="status" className="notice small">
          Saved. Your next texts say they are from {save.data.name}.
        </p>
      )}
      {save.isError && (
        <p role="alert" className="error small">
          {errorSentence(save.error)}
        </p>
      )}
    </>
  );
}

/** A new password: the current one to confirm it is them, the new one twice. */
export function ChangePassword() {
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setAgain('');
      setOpen(false);
    },
  });
  if (!open) {
    return (
      <div className="settings-row">
        <button
          type="button"
          onClick={() => {
            change.reset();
            setOpen(true);
          }}
        >
          Change password
        </button>
        {change.isSuccess && (
          <span role="status" className="notice small">
            Password changed.
            {change.data > 0 && ` ${plural(change.data, 'other computer')} signed in as you must sign in again with it.`}
          </span>
        )}
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate();
  };
  return (
    <form className="settings-password" onSubmit={submit} aria-label="Change password">
      <div className="settings-row">
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" value={current}
          onChange={(e) => setCurrent(e.target.value)} autoFocus />
      </div>
      <div className="settings-row">
        <label htmlFor="new-password">New password</label>
        <input id="new-password" type="password" autoComplete="new-password" value={next}
          onChange={(e) => setNext(e.target.value)} />
      </div>
      <div className="settings-row">
        <label htmlFor="new-password-again">New password again</label>
        <input id="new-password-again" type="password" autoComplete="new-password" value={again}
          onChange={(e) => setAgain(e.target.value)} aria-invalid={mismatch} />
      </div>
      {mismatch && (
        <p role="alert" className="error small">
          The two new passwords are not the same.
        </p>
      )}
      {change.isError && (
        <p role="alert" className="error small">
          {errorSentence(change.error)}
        </p>
      )}
      <p className="muted small">Your sign-ins on other computers end; this one stays.</p>
      <div className="settings-row">
        <button type="submit" className="primary" disabled={!current || !next || !again || change.isPending}>
          Save new password
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
