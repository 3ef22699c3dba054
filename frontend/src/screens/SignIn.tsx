import { useState, type FormEvent } from 'react';
import { signIn, type User } from '../backend';
import { Field } from '../components/Field';
import { errorMessage } from '../format';
import { emailError } from '../validate';

interface SignInProps {
  onSignedIn: (user: User) => void;
  onCreateAccount: () => void;
  serverUrl?: string;
}

export function SignIn({ onSignedIn, onCreateAccount, serverUrl }: SignInProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [serverError, setServerError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next = {
      email: emailError(email),
      password: password === '' ? 'Enter your password.' : undefined,
    };
    setErrors(next);
    setServerError('');
    if (next.email || next.password) {
      document.getElementById(next.email ? 'signin-email' : 'signin-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      const user = await signIn(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setServerError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Textbank</h1>
        {serverUrl && <p className="muted">Server: {serverUrl}</p>}
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
        {serverError && (
          <p role="alert" className="error">
            {serverError}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
        <p>
          New to Textbank?{' '}
          <button type="button" className="link" onClick={onCreateAccount}>
            Create an account
          </button>
        </p>
      </form>
    </main>
  );
}
