// Client-side checks, so a volunteer learns what is wrong before a round trip.
// The server checks again; its message is shown as it is.

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(email: string): string | undefined {
  const e = email.trim();
  if (e === '') return 'Enter your email address.';
  if (!emailPattern.test(e)) return `"${e}" is not an email address: it should look like name@example.org.`;
  return undefined;
}

export const minPasswordLength = 8;

export function newPasswordError(password: string): string | undefined {
  if (password === '') return 'Choose a password.';
  if (password.length < minPasswordLength)
    return `The password is too short: use at least ${minPasswordLength} characters.`;
  return undefined;
}

export function nameError(name: string): string | undefined {
  if (name.trim() === '') return 'Enter your name: contacts and your campaign see it.';
  return undefined;
}

export function joinCodeError(code: string): string | undefined {
  const c = code.trim();
  if (c === '') return 'Enter the 6-digit join code your campaign gave you.';
  if (!/^\d{6}$/.test(c)) return `"${c}" is not a join code: a join code is 6 digits.`;
  return undefined;
}
