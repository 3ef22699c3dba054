import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Field } from '../../components/Field';
import { checkSignUp } from '../../backend';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { errorSentence, sentence } from '../../lib/format';
import { usePasswordHint, useSignUp } from './hooks';
import { ServerLine } from './ServerLine';

interface Errors {
  name?: string;
  email?: string;
  password?: string;
}

export function SignUp() {
  const signUp = useSignUp();
  const retrying = useBusyRetry(signUp.isPending, 'signUp');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const passwordHint = usePasswordHint();

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Go's rules (backend/account), before any round trip.
    const p = await checkSignUp(name, email, password);
    const next: Errors = {
      name: p.name ? sentence(p.name) : undefined,
      email: p.email ? sentence(p.email) : undefined,
      password: p.password ? sentence(p.password) : undefined,
    };
    setErrors(next);
    signUp.reset();
    const firstBad = (['name', 'email', 'password'] as const).find((k) => next[k]);
    if (firstBad) {
      document.getElementById(`signup-${firstBad}`)?.focus();
      return;
    }
    signUp.mutate({ name: name.trim(), email: email.trim(), password });
  }

  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} noValidate aria-labelledby="signup-title">
        <h1 id="signup-title">Create your Textbank account</h1>
        <ServerLine />
        <Field
          id="signup-name"
          label="Name"
          autoComplete="name"
          value={name}
          onChange={setName}
          error={errors.name}
          autoFocus
        />
        <Field
          id="signup-email"
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
        />
        <Field
          id="signup-password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={passwordHint}
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        {signUp.isError && (
          <p role="alert" className="error">
            {errorSentence(signUp.error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={signUp.isPending}>
          Sign up
        </button>
        {retrying && (
          <p role="status" className="muted">
            Server busy, trying again…
          </p>
        )}
        <p>
          Already have an account?{' '}
          <Link to="/signin" className="link">
            Sign in
          </Link>
        </p>
      </form>
    </main>
  );
}
