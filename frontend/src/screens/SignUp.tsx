import { useState, type FormEvent } from 'react';
import { signUp, type User } from '../backend';
import { Field } from '../components/Field';
import { errorMessage } from '../format';
import { emailError, minPasswordLength, nameError, newPasswordError } from '../validate';

interface SignUpProps {
  onSignedUp: (user: User) => void;
  onSignIn: () => void;
}

interface Errors {
  name?: string;
  email?: string;
  password?: string;
}

export function SignUp({ onSignedUp, onSignIn }: SignUpProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: Errors = {
      name: nameError(name),
      email: emailError(email),
      password: newPasswordError(password),
    };
    setErrors(next);
    setServerError('');
    const firstBad = (['name', 'email', 'password'] as const).find((k) => next[k]);
    if (firstBad) {
      document.getElementById(`signup-${firstBad}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const user = await signUp(name.trim(), email.trim(), password);
      onSignedUp(user);
    } catch (err) {
      setServerError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} noValidate aria-labelledby="signup-title">
        <h1 id="signup-title">Create your Textbank account</h1>
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
          placeholder={`At least ${minPasswordLength} characters`}
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
          Sign up
        </button>
        <p>
          Already have an account?{' '}
          <button type="button" className="link" onClick={onSignIn}>
            Sign in
          </button>
        </p>
      </form>
    </main>
  );
}
