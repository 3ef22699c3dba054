import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Field } from '../../components/Field';
import { checkSignIn } from '../../backend';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { errorSentence, plural, sentence } from '../../lib/format';
import { useSignIn, useStatus } from './hooks';
import { ServerLine } from './ServerLine';
import type { Status } from '../../backend';

export function SignIn() {
  const status = useStatus().data;
  // Back here because the server stopped accepting the sign-in: same person, same inbox.
  const expired = status?.sessionExpired ? status : undefined;
  const signIn = useSignIn();
  const retrying = useBusyRetry(signIn.isPending, 'signIn');
  // Ended, it took this computer's copy of the inbox but for the changes waiting to be sent (client/ended.go).
  const ended = status?.signedIn ? '' : (status?.signInEnded ?? '');
  const waiting = ended ? (status?.pending ?? 0) : 0;
  const [email, setEmail] = useState(expired?.user?.email ?? ended);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Go's rules (backend/account), before any round trip.
    const p = await checkSignIn(email, password);
    const next = {
      email: p.email ? sentence(p.email) : undefined,
      password: p.password ? sentence(p.password) : undefined,
    };
    setErrors(next);
    signIn.reset();
    if (next.email || next.password) {
      document.getElementById(next.email ? 'signin-email' : 'signin-password')?.focus();
      return;
    }
    signIn.mutate({ email: email.trim(), password });
  }

  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Textbank</h1>
        {expired && (
          <p className="notice" role="status">
            Your sign-in has ended: sign-ins end after 30 days unused or 90 days after signing in, or when an organizer
            ends them. Sign in again to carry on: your inbox
            {expired.pending > 0 && ` and ${plural(expired.pending, 'unsent change')}`} stay on
            this computer. Signing in as someone else deletes them.
          </p>
        )}
        {!expired && ended && !waiting && (
          <p className="notice" role="status">
            Your sign-in has ended: sign-ins end after 30 days unused or 90 days after signing in, or when an organizer
            ends them. Nothing was waiting to be sent, so Textbank deleted this computer’s copy of your inbox. Sign in
            again and it comes back from the campaign server.
          </p>
        )}
        {!expired && ended && waiting > 0 && (
          <p className="notice" role="status">
            Your sign-in has ended: sign-ins end after 30 days unused or 90 days after signing in, or when an organizer
            ends them. Textbank deleted this computer’s copy of your inbox but kept your {plural(waiting, 'unsent change')}.
            Sign in again as {ended} to send {waiting === 1 ? 'it' : 'them'}; your inbox comes back from the campaign
            server. Signing in as someone else deletes {waiting === 1 ? 'it' : 'them'}.
          </p>
        )}
        {/* Signed out, and the new copy of the inbox could not be opened (client/reopen.go): signing in tries again. */}
        {status?.unopened && !signIn.isError && (
          <p role="alert" className="error">
            {status.problem}
          </p>
        )}
        <ServerLine />
        <DemoSignIns accounts={status?.demoSignIns} />
        <Field
          id="signin-email"
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={errors.email}
          autoFocus
        />
        <Field
          id="signin-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        {signIn.isError && (
          <p role="alert" className="error">
            {errorSentence(signIn.error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={signIn.isPending}>
          Sign in
        </button>
        {retrying && (
          <p role="status" className="muted">
            Server busy, trying again…
          </p>
        )}
        <p>
          New to Textbank?{' '}
          <Link to="/signup" className="link">
            Create an account
          </Link>
        </p>
        <p className="muted small">Forgot your password? Your campaign’s organizer can set a new one for you.</p>
      </form>
    </main>
  );
}

/**
 * Demo mode's accounts. The demo signs the volunteer in by itself, so a
 * newcomer who signs out (or wants the organizer's side) would otherwise
 * need the README to get back in.
 */
function DemoSignIns({ accounts }: { accounts?: Status['demoSignIns'] }) {
  if (!accounts?.length) return null;
  return (
    <div className="notice small demo-signins">
      <p id="signin-demo">In this demo, sign in as</p>
      <ul aria-labelledby="signin-demo">
        {accounts.map((a) => (
          <li key={a.email}>
            The {a.who}: {a.email}, password {a.password}
          </li>
        ))}
      </ul>
    </div>
  );
}
