import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Field } from '../../components/Field';
import { errorMessage } from '../../lib/format';
import { emailError } from '../../lib/validate';
import { useSignIn, useStatus } from './hooks';

export function SignIn() {
  const serverUrl = useStatus().data?.serverUrl;
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = {
      email: emailError(email),
      password: password === '' ? 'Enter your password.' : undefined,
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
        {signIn.isError && (
          <p role="alert" className="error">
            {errorMessage(signIn.error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={signIn.isPending}>
          Sign in
        </button>
        <p>
          New to Textbank?{' '}
          <Link to="/signup" className="link">
            Create an account
          </Link>
        </p>
      </form>
    </main>
  );
}
