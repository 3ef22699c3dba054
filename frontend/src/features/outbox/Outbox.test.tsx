import { screen, waitFor, within } from '@testing-library/react';
import { Outbox } from './Outbox';
import * as fake from '../../test/fakeBackend';
import { renderScreen } from '../../test/render';
import { aStatus } from '../../test/fixtures';

const setup = () => renderScreen(<Outbox />, { pattern: '/c/:campaignId/outbox', path: '/c/c1/outbox' });

describe('Outbox', () => {
  it('lists pending and refused changes with the reasons', async () => {
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 2, rejected: false },
      { id: 'x2', type: 'send_initial', summary: 'Text to Alan Turing', createdAt: '2026-01-01T10:01:00Z', attempts: 1, rejected: true, reason: 'outside texting hours for this contact' },
    ]);
    setup();
    expect(await screen.findByText('Reply to Ada Lovelace')).toBeInTheDocument();
    // The heading says they wait; each change does not say it again.
    expect(screen.getByRole('heading', { name: 'Waiting to send (1)' })).toBeInTheDocument();
    expect(screen.queryByText('Waiting to send')).not.toBeInTheDocument();
    expect(screen.queryByText(/attempt/)).not.toBeInTheDocument();
    expect(screen.getByText('Text to Alan Turing')).toBeInTheDocument();
    expect(screen.getByText('Refused: outside texting hours for this contact')).toBeInTheDocument();
  });

  it('Dismiss removes a refused change once read', async () => {
    fake.outbox.mockResolvedValueOnce([
      { id: 'x2', type: 'reply', summary: 'Reply to Alan Turing', createdAt: '2026-01-01T10:01:00Z', attempts: 1, rejected: true, reason: 'this contact opted out' },
    ]);
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Dismiss Reply to Alan Turing' }));
    expect(fake.dismissRejected).toHaveBeenCalledWith('x2');
    expect(await screen.findByText('Everything has reached the campaign server.')).toBeInTheDocument();
  });

  // The Dismiss pressed goes with its change: the keyboard goes on to the next one, then to the heading.
  it('Dismiss by keyboard moves on to the next refused change, then to the heading', async () => {
    const refused = (id: string, who: string) => ({ id, type: 'reply', summary: `Reply to ${who}`, createdAt: '2026-01-01T10:01:00Z', attempts: 1, rejected: true, reason: 'this contact opted out' });
    fake.outbox
      .mockResolvedValueOnce([refused('x1', 'Ada Lovelace'), refused('x2', 'Alan Turing')])
      .mockResolvedValueOnce([refused('x2', 'Alan Turing')])
      .mockResolvedValue([]);
    const { user } = setup();
    (await screen.findByRole('button', { name: 'Dismiss Reply to Ada Lovelace' })).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Dismiss Reply to Alan Turing' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await screen.findByText('Everything has reached the campaign server.');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Outbox' })).toHaveFocus());
  });

  // A refusal is something to act on: the conversation it concerns opens from it (to answer
  // again, or file the report again), in its own campaign; one gone from the inbox has no link.
  it('opens the conversation a refused change concerns, while it is still in the inbox', async () => {
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'report', summary: 'Report on Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 1, rejected: true,
        reason: 'The campaign server refused this: support must be one of the choices', threadId: 't9', campaignId: 'c2' },
      { id: 'x2', type: 'reply', summary: 'Reply to Alan Turing', createdAt: '2026-01-01T10:01:00Z', attempts: 1, rejected: true,
        reason: 'This conversation is no longer assigned to you.' },
    ]);
    const { user, router } = setup();
    await screen.findByText('Reply to Alan Turing');
    expect(screen.queryByRole('link', { name: /Reply to Alan Turing/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Open the conversation: Report on Ada Lovelace' }));
    expect(router.state.location.pathname).toBe('/c/c2/thread/t9');
  });

  // A refused report leaves its conversation, and a conversation reassigned meanwhile takes the
  // reply along: what the volunteer wrote stays in the Outbox, to file or send again.
  it('keeps what a refused reply or report said', async () => {
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'report', summary: 'Report on Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 1, rejected: true,
        reason: 'This conversation is no longer assigned to you.', said: 'Will vote: Yes; Notes: call back Friday' },
      { id: 'x2', type: 'reply', summary: 'Reply to Alan Turing', createdAt: '2026-01-01T10:01:00Z', attempts: 1, rejected: true,
        reason: 'This conversation is no longer assigned to you.', said: 'Polls close at 8pm.' },
    ]);
    setup();
    const items = within(await screen.findByRole('list')).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Your report: Will vote: Yes; Notes: call back Friday');
    expect(items[1]).toHaveTextContent('Your text: Polls close at 8pm.');
  });

  // Changes go in order: one the server keeps failing holds back all after it, and the volunteer may give it up.
  it('offers to discard a change the server keeps failing, and asks first', async () => {
    const failing = { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 4, rejected: false, faults: 3, discardable: true };
    const waiting = { id: 'x2', type: 'send_initial', summary: 'Text to Alan Turing', createdAt: '2026-01-01T10:01:00Z', attempts: 0, rejected: false };
    fake.outbox.mockResolvedValueOnce([failing, waiting]).mockResolvedValue([waiting]);
    const { user } = setup();
    expect(await screen.findByText('The campaign server could not save this change (tried 3 times). The changes after it wait for it.')).toBeInTheDocument();
    // Only the failing one: a change still on its way is not given up.
    expect(screen.queryByRole('button', { name: 'Discard Text to Alan Turing' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Discard Reply to Ada Lovelace' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Discard this change?' });
    expect(dialog).toHaveAccessibleDescription(
      'Reply to Ada Lovelace will not reach the campaign server. The reply stays in its conversation, marked as not sent. The changes waiting after it are sent at once.',
    );
    // Cancel keeps it.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(fake.discardFailing).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Discard Reply to Ada Lovelace' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard change' }));
    expect(fake.discardFailing).toHaveBeenCalledWith('x1');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.queryByText('Reply to Ada Lovelace')).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Waiting to send (1)' })).toBeInTheDocument();
  });

  it('says why a discard failed, and keeps the dialog open', async () => {
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'send_initial', summary: 'Text to Alan Turing', createdAt: '2026-01-01T10:00:00Z', attempts: 3, rejected: false, faults: 3, discardable: true },
    ]);
    fake.discardFailing.mockRejectedValueOnce('That change is no longer waiting: it has reached the campaign server or was discarded already');
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Discard Text to Alan Turing' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('The contact goes back to your queue, to text later.');
    await user.click(within(dialog).getByRole('button', { name: 'Discard change' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'That change is no longer waiting: it has reached the campaign server or was discarded already.',
    );
  });

  // The server may have saved it though it answered with a fault: nothing is discarded, and it leaves the list.
  it('says when the server saved the change after all, and then offers only Close', async () => {
    const saved = { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 4, rejected: false, faults: 3, discardable: true };
    fake.outbox.mockResolvedValueOnce([saved]).mockResolvedValue([]);
    const words =
      'Nothing was discarded: the campaign server saved this change after all, so it is shown as the server has it, and the changes after it are on their way';
    fake.discardFailing.mockRejectedValueOnce(words);
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Discard Reply to Ada Lovelace' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Discard this change?' });
    await user.click(within(dialog).getByRole('button', { name: 'Discard change' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(`${words}.`);
    await waitFor(() => expect(within(dialog).queryByRole('button', { name: 'Discard change' })).not.toBeInTheDocument());
    expect(fake.discardFailing).toHaveBeenCalledTimes(1);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(await screen.findByText('Everything has reached the campaign server.')).toBeInTheDocument();
  });

  it('says when everything has been sent', async () => {
    setup();
    expect(await screen.findByText('Everything has reached the campaign server.')).toBeInTheDocument();
  });

  it('Back, as in a conversation and Settings, returns to the inbox when opened first', async () => {
    const { user, router } = setup();
    // The same control as the others: "‹" named Back, no Close.
    expect(screen.queryByRole('button', { name: 'Close' })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Back' }));
    expect(router.state.location.pathname).toBe('/c/c1');
  });

  it("says the status bar's offline sentence in full", async () => {
    const problem = "Can't reach the campaign server. Your changes are kept and will go out when it is back.";
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 1, problem }));
    setup();
    expect(await screen.findByText(problem)).toBeInTheDocument();
  });

  it('Esc closes "Discard this change?" keeping the change, focus back on its Discard', async () => {
    const failing = { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 4, rejected: false, faults: 3, discardable: true };
    fake.outbox.mockResolvedValue([failing]);
    const { user } = setup();
    const discard = await screen.findByRole('button', { name: 'Discard Reply to Ada Lovelace' });
    await user.click(discard);
    await screen.findByRole('alertdialog', { name: 'Discard this change?' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(discard).toHaveFocus();
    expect(fake.discardFailing).not.toHaveBeenCalled();
  });
});
