import { render, screen } from '@testing-library/react';
import { ConnectionStatus } from './ConnectionStatus';
import { aStatus } from '../../test/fixtures';

describe('ConnectionStatus', () => {
  it.each([
    [aStatus(), 'Online'],
    [aStatus({ pending: 1 }), 'Online · 1 change sending'],
    [aStatus({ connection: 'connecting', online: false }), 'Connecting…'],
    [
      aStatus({
        connection: 'offline',
        online: false,
        pending: 3,
        lastError: 'push 3 mutations: dial tcp 127.0.0.1:8787: connect: connection refused',
        problem: "Can't reach the campaign server. Your changes are kept and will go out when it is back.",
      }),
      'Offline · 3 changes waiting to send',
    ],
    [aStatus({ connection: 'connecting', online: false, pending: 2 }), 'Connecting… · 2 changes waiting to send'],
    [
      aStatus({ online: true, problem: 'Something went wrong syncing with the campaign server. Textbank keeps trying.' }),
      'Online · Something went wrong syncing with the campaign server. Textbank keeps trying.',
    ],
    [
      // A 429 on a push or on the event stream: online, and why replies may be slow.
      aStatus({
        online: true,
        problem: 'The campaign server asked Textbank to slow down. Your changes are kept and go out in a moment.',
      }),
      'Online · The campaign server asked Textbank to slow down. Your changes are kept and go out in a moment.',
    ],
    [
      // A server at its connection cap: busy, not gone (the sentence is the tooltip, below).
      aStatus({
        connection: 'offline',
        online: false,
        pending: 2,
        serverBusy: true,
        problem: 'The campaign server is busy. Textbank will try again in a moment; your changes are kept until then.',
      }),
      'Server busy · 2 changes waiting to send',
    ],
    [
      // A refused address looks offline to sync; what to do about it is the news.
      aStatus({ connection: 'offline', online: false, serverRefused: 'Use https://.', problem: 'Use https://.' }),
      'Offline · Use https://.',
    ],
  ])('says the connection and what is waiting in one line of volunteer words (%#)', (status, words) => {
    render(<ConnectionStatus status={status} />);
    const line = screen.getByRole('status');
    // Exactly these words: nothing said twice after them.
    expect(line.textContent?.replace(/\s+/g, ' ').trim()).toBe(words);
    expect(line).not.toHaveTextContent(/dial tcp|mutations/);
  });

  it('offline, says it once: the count on the line, the full sentence in the tooltip', () => {
    const problem = "Can't reach the campaign server. Your changes are kept and will go out when it is back.";
    render(<ConnectionStatus status={aStatus({ connection: 'offline', online: false, pending: 3, problem })} />);
    const line = screen.getByRole('status');
    expect(line).toHaveTextContent(/^Offline · 3 changes waiting to send$/);
    expect(line).not.toHaveTextContent(/Can't reach|kept/);
    expect(line).toHaveAttribute('title', problem);
  });

  it('busy, says the server is busy and Textbank tries again, not that it cannot be reached', () => {
    const problem = 'The campaign server is busy. Textbank will try again in a moment; your inbox still works.';
    render(<ConnectionStatus status={aStatus({ connection: 'offline', online: false, serverBusy: true, problem })} />);
    const line = screen.getByRole('status');
    expect(line).toHaveTextContent(/^Server busy$/);
    expect(line).not.toHaveTextContent(/Offline|reach/);
    expect(line).toHaveAttribute('title', problem);
  });

  it('an older Go side without a connection field is read from online', () => {
    const status = aStatus({ online: false });
    delete (status as { connection?: string }).connection;
    render(<ConnectionStatus status={status} />);
    expect(screen.getByRole('status')).toHaveTextContent('Offline');
  });
});
