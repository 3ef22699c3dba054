import { errorMessage, errorSentence, hasName, sentence, shortTime } from './format';

describe('errorMessage and errorSentence', () => {
  it('keep the words of a Go error for a screen to put after its own', () => {
    expect(errorMessage('wrong email or password')).toBe('wrong email or password');
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage(undefined)).toBe('Something went wrong.');
    expect(errorMessage('')).toBe('Something went wrong.');
  });

  it('say what to do about an unreachable server, not what the transport said', () => {
    const raw =
      'cannot reach the campaign server at http://127.0.0.1:8787: Post "http://127.0.0.1:8787/api/v1/login": dial tcp 127.0.0.1:8787: connect: connection refused';
    const said = errorSentence(raw);
    expect(said).toBe(
      "Can't reach the campaign server at http://127.0.0.1:8787. Check your internet connection, or the server address in Settings.",
    );
    expect(said).not.toMatch(/dial tcp|connection refused|Post "/);
    // Inside a sentence of the app's own, too.
    expect(errorMessage(`the texts waiting to go out were not sent first, so no new contacts were asked for: ${raw}`)).toMatch(
      /asked for: can't reach the campaign server at http:\/\/127\.0\.0\.1:8787\. Check your internet connection/,
    );
  });

  it('errorSentence stands alone: a capital first letter and one full stop', () => {
    expect(errorSentence('wrong email or password')).toBe('Wrong email or password.');
    expect(errorSentence('No active campaign has join code 999999')).toBe('No active campaign has join code 999999.');
    expect(errorSentence('No contacts can be texted right now. Try Text Again later.')).toBe(
      'No contacts can be texted right now. Try Text Again later.',
    );
    expect(sentence('  ')).toBe('');
  });
});

describe('shortTime', () => {
  it('gives the clock time today without a leading zero on a 12-hour clock, the date on other days', () => {
    const now = new Date(2026, 4, 12, 18, 0);
    const morning = new Date(2026, 4, 12, 9, 5).toISOString();
    const h12 = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle === 'h12';
    if (h12) expect(shortTime(morning, now)).toMatch(/^9:05\s?AM$/);
    else expect(shortTime(morning, now)).toMatch(/^0?9[:.]05$/);
    expect(shortTime(new Date(2026, 4, 10, 9, 5).toISOString(), now)).not.toMatch(/9:05/);
    expect(shortTime('0001-01-01T00:00:00Z', now)).toBe('');
  });
});

describe('hasName', () => {
  it('tells a name of their own from the number the Go side names a contact by otherwise', () => {
    expect(hasName('Ada Lovelace', '(602) 555-0107')).toBe(true);
    expect(hasName('(602) 555-0107', '(602) 555-0107')).toBe(false);
    expect(hasName(' +44 20 7946 0958 ', '+44 20 7946 0958')).toBe(false);
    expect(hasName('', '(602) 555-0107')).toBe(false);
    expect(hasName(undefined, '')).toBe(false);
  });
});
