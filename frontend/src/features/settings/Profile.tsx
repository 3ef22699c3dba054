import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePassword, rename, type User } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { errorSentence, plural, sentence } from '../../lib/format';
import { usePasswordHint } from '../session/hooks';
import { Field } from '../../components/Field';

/**
 * The volunteer's name, which every text they send carries ({volunteer_name}): changed on the
 * server (it needs a connection), then shown and used for the next texts at once.
 */
export function YourName({ user, away }: { user: User; away: string }) {
  const qc = useQueryClient();
  const [name, setName] = useState(user.name);
  // A rename that arrives (saved here, or made elsewhere) shows; adjusted while rendering, not
  // in an effect, whose run after the first paint could put the name back over what was typed.
  const [shown, setShown] = useState(user.name);
  if (user.name !== shown) {
    setShown(user.name);
    setName(user.name);
  }
  const save = useMutation({
    mutationFn: (n: string) => rename(n),
    onSuccess: (u) => {
      qc.setQueryData(keys.status, (prev: { user?: User } | undefined) => (prev ? { ...prev, user: u } : prev));
      void qc.invalidateQueries({ queryKey: keys.status });
      // The texts waiting on the send screen are rendered with the name.
      void qc.invalidateQueries({ queryKey: keys.every.queue });
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
          aria-describedby={save.isError ? 'your-name-hint your-name-error' : 'your-name-hint'}
          aria-invalid={!trimmed || save.isError ? true : undefined}
        />
        <button type="submit" disabled={!changed || !trimmed || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save name'}
        </button>
      </form>
      <p id="your-name-hint" className="muted small">
        {!trimmed
          ? 'Your name cannot be empty.'
          : away
            ? `${away}: changing your name needs the campaign server.`
            : 'Your texts say who they are from with this name. Texts already sent keep the name they were sent with.'}
      </p>
      {save.isSuccess && !changed && (
        <p role="status" className="notice small">
          Saved. Your next texts say they are from {save.data.name}.
        </p>
      )}
      {save.isError && (
        <p id="your-name-error" role="alert" className="error small">
          {errorSentence(save.error)}
        </p>
      )}
    </>
  );
}

type PasswordField = 'current' | 'new' | 'again';

/**
 * A new password: the current one to confirm it is them, the new one twice. A field found
 * wrong, here or by the server, is said beside that field; the rest (offline, a busy server)
 * under the form.
 */
export function ChangePassword({ away }: { away: string }) {
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const passwordHint = usePasswordHint();
  const ids: Record<PasswordField, string> = { current: 'current-password', new: 'new-password', again: 'new-password-again' };
  const showProblem = (field: PasswordField, words: string) => {
    setErrors({ [field]: sentence(words) });
    document.getElementById(ids[field])?.focus();
  };
  const close = () => {
    setCurrent('');
    setNext('');
    setAgain('');
    setErrors({});
    setOpen(false);
  };
  const change = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: (res) => {
      if (res.field === 'current' || res.field === 'new') showProblem(res.field, res.problem ?? '');
      else close();
    },
  });
  const done = change.isSuccess && !change.data.field ? change.data : undefined;
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
        {done && (
          <span role="status" className="notice small">
            Password changed.
            {done.signedOut > 0 && ` ${plural(done.signedOut, 'other computer')} signed in as you must sign in again with it.`}
          </span>
        )}
      </div>
    );
  }
  const edit = (field: PasswordField, set: (v: string) => void) => (v: string) => {
    set(v);
    if (errors[field]) setErrors({ ...errors, [field]: undefined });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.reset();
    if (next !== again) {
      showProblem('again', 'the two new passwords are not the same');
      return;
    }
    setErrors({});
    change.mutate();
  };
  return (
    <form className="settings-password" onSubmit={submit} aria-label="Change password" noValidate>
      <Field beside id={ids.current} label="Current password" type="password" autoComplete="current-password" value={current}
        onChange={edit('current', setCurrent)} error={errors.current} autoFocus />
      <Field beside id={ids.new} label="New password" type="password" autoComplete="new-password" value={next}
        onChange={edit('new', setNext)} error={errors.new} hint={passwordHint} />
      <Field beside id={ids.again} label="New password again" type="password" autoComplete="new-password" value={again}
        onChange={edit('again', setAgain)} error={errors.again} />
      {change.isError && (
        <p role="alert" className="error small">
          {errorSentence(change.error)}
        </p>
      )}
      <p className="muted small">
        {away
          ? `${away}: changing your password needs the campaign server.`
          : 'Your sign-ins on other computers end; this one stays.'}
      </p>
      <div className="settings-row">
        <button type="submit" className="primary" disabled={!current || !next || !again || change.isPending}>
          {change.isPending ? 'Saving…' : 'Save new password'}
        </button>
        <button
          type="button"
          onClick={() => {
            change.reset();
            close();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
