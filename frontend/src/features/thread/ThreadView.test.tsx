import { act, screen, waitFor, within } from '@testing-library/react';
import { ThreadView } from './ThreadView';
import * as fake from '../../test/fakeBackend';
import { aStatus, anAction, aThreadView } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import { keys } from '../../lib/queryKeys';

async function setup(view = aThreadView()) {
  fake.thread.mockResolvedValue(view);
  const utils = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
  await screen.findByRole('heading', { name: view.thread.contactName });
  return utils;
}

describe('ThreadView', () => {
  it('opening a thread marks it read, tells the Go side it is open, and shows its header and messages', async () => {
    const { unmount } = await setup();
    // Both are the conversation's effects: under load they run a moment after the heading paints.
    await waitFor(() => expect(fake.markRead).toHaveBeenCalledWith('t1'));
    await waitFor(() => expect(fake.setOpenThread).toHaveBeenCalledWith('t1'));
    // The number as people write it, not as stored (+15550001111).
    expect(screen.getByText('(555) 000-1111')).toBeInTheDocument();
    expect(screen.queryByText('+15550001111')).not.toBeInTheDocument();
    expect(screen.getByText('Get Out The Vote')).toBeInTheDocument();
    expect(screen.getByText('Peer-to-Peer')).toBeInTheDocument();
    const list = screen.getByTestId('message-list');
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveClass('out');
    expect(items[0]).toHaveTextContent('Hi Ada, will you vote?');
    expect(items[1]).toHaveClass('in');
    expect(items[1]).toHaveTextContent('Where do I vote?');
    unmount();
    expect(fake.setOpenThread).toHaveBeenLastCalledWith('');
  });

  it('renders a thread of 500 messages', async () => {
    const view = aThreadView();
    view.messages = Array.from({ length: 500 }, (_, i) => ({
      ...view.messages[i % 2],
      id: `m${i}`,
      body: `message ${i}`,
    }));
    await setup(view);
    // All of them, in order, the latest last (the older ones join right
    // after the first frame, which holds the latest FIRST_MESSAGES).
    await waitFor(() => expect(within(screen.getByTestId('message-list')).getAllByRole('listitem')).toHaveLength(500));
    const items = within(screen.getByTestId('message-list')).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('message 0');
    expect(items[499]).toHaveTextContent('message 499');
  });

  it('a contact without a name, whom the Go side names by their number, is not named twice', async () => {
    const view = aThreadView();
    view.thread.contactName = view.contactPhoneDisplay;
    await setup(view);
    expect(screen.getByRole('heading', { name: '(555) 000-1111' })).toBeInTheDocument();
    // Once, in the heading: the line under it does not say the number again.
    expect(screen.getAllByText(/555\)? ?000-?1111/)).toHaveLength(1);
  });

  it('shows the number under the name as the Go side writes it, never as stored', async () => {
    const view = aThreadView({ contactPhoneDisplay: '+44 20 7946 0958' });
    view.thread.contactPhone = '+442079460958';
    await setup(view);
    expect(screen.getByText('+44 20 7946 0958')).toBeInTheDocument();
    expect(screen.queryByText(/\+442079460958/)).toBeNull();
  });

  it('marks pending messages Sending… and refused ones with their reason', async () => {
    const view = aThreadView();
    view.messages.push(
      { id: 'm3', threadId: 't1', direction: 'out', body: 'On my way', status: 'queued', createdAt: '2026-01-01T10:05:00Z', pending: true },
      { id: 'm4', threadId: 't1', direction: 'out', body: 'Hello?', status: 'queued', createdAt: '2026-01-01T10:06:00Z', pending: false, error: 'the contact opted out' },
    );
    await setup(view);
    const items = within(screen.getByTestId('message-list')).getAllByRole('listitem');
    expect(items[2]).toHaveTextContent('Sending…');
    expect(items[3]).toHaveTextContent('Not sent: the contact opted out');
  });

  it('offline, a text still in the outbox says it waits for the connection, and Sending… once back', async () => {
    fake.status.mockResolvedValue(aStatus({ online: false, connection: 'offline', pending: 1 }));
    const view = aThreadView();
    view.messages.push(
      { id: 'm3', threadId: 't1', direction: 'out', body: 'On my way', status: 'queued', createdAt: '2026-01-01T10:05:00Z', pending: true },
      // Taken by the server before the connection dropped: it sends it.
      { id: 'm4', threadId: 't1', direction: 'out', body: 'See you', status: 'queued', createdAt: '2026-01-01T10:06:00Z', pending: false },
    );
    const { queryClient } = await setup(view);
    const items = () => within(screen.getByTestId('message-list')).getAllByRole('listitem');
    await waitFor(() => expect(items()[2]).toHaveTextContent('Waiting to send: goes out when you are back online'));
    expect(items()[3]).toHaveTextContent('Sending…');
    // Back online (as a sync:status event writes it).
    act(() => queryClient.setQueryData(keys.status, aStatus({ connection: 'online', pending: 1 })));
    await waitFor(() => expect(items()[2]).toHaveTextContent('Sending…'));
  });

  it('shows each outbound status in words under the text, and nothing under an inbound one', async () => {
    const view = aThreadView();
    const out = (id: string, status: string, error = '') =>
      ({ id, threadId: 't1', direction: 'out', body: `text ${id}`, status, createdAt: '2026-01-01T10:05:00Z', pending: false, error });
    view.messages = [
      { id: 'in1', threadId: 't1', direction: 'in', body: 'Who is this?', status: 'received', createdAt: '2026-01-01T10:00:00Z', pending: false },
      out('q', 'queued'),
      out('s', 'sending'),
      out('st', 'sent'),
      out('d', 'delivered'),
      out('u', 'undelivered', "error 30003: Unreachable destination handset"),
      out('f', 'failed', "error 21211: Invalid 'To' Phone Number"),
      out('x', 'unknown'),
    ];
    await setup(view);
    const items = within(screen.getByTestId('message-list')).getAllByRole('listitem');
    const status = (i: number) => items[i].querySelector('.message-status')?.textContent?.replace(/^ · /, '') ?? null;
    expect(status(0)).toBeNull();
    expect(status(1)).toBe('Sending…');
    expect(status(2)).toBe('Sending…');
    expect(status(3)).toBe('Sent');
    expect(status(4)).toBe('Delivered');
    expect(status(5)).toBe('Not delivered: error 30003: Unreachable destination handset');
    expect(status(6)).toBe("Not sent: error 21211: Invalid 'To' Phone Number");
    expect(status(7)).toBe('May not have been sent — ask your organizer');
    expect(items[6]).toHaveClass('failed');
    expect(items[4]).not.toHaveClass('failed');
  });

  it('Follow Up fills the reply with the picked script, and Send sends it with the script id', async () => {
    const { user } = await setup();
    // Scripts only: no box to type in, the picked script is shown as it will go.
    expect(screen.queryByRole('textbox', { name: 'Reply' })).not.toBeInTheDocument();
    const reply = screen.getByLabelText('Reply');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    const menu = screen.getByRole('menu');
    await user.click(within(menu).getByRole('menuitem', { name: /^Polling place/ }));
    expect(reply).toHaveTextContent('You can find your polling place at vote.example.org.');
    expect(screen.getByRole('button', { name: 'Send' })).toHaveFocus();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(fake.sendReply).toHaveBeenCalledWith('t1', 'You can find your polling place at vote.example.org.', 'rs1');
    await waitFor(() => expect(reply).toHaveTextContent('Pick a reply with Follow Up.'));
  });

  // Scripts only, and none to send (the action has none, or none can be filled in for this
  // contact): Follow Up is disabled, so the reply says why and what to do instead.
  it('scripts only with no response script: the reply says so and points to Reassign Conversation', async () => {
    const view = aThreadView();
    view.responseScripts = [];
    await setup(view);
    expect(screen.getByRole('button', { name: 'Follow Up' })).toBeDisabled();
    expect(screen.getByLabelText('Reply')).toHaveTextContent(
      /no response script to reply with here.*Reassign Conversation to an organizer/,
    );
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  // Which script answers what is in the action's instructions: beside the reply, folded.
  it("the thread's action's instructions are folded beside the reply", async () => {
    fake.actions.mockResolvedValue([anAction({ id: 'a1', campaignId: 'c1', instructions: 'If they ask where to vote, use Polling place.' })]);
    const view = aThreadView();
    view.thread = { ...view.thread, actionId: 'a1', campaignId: 'c1' };
    const { user } = await setup(view);
    const summary = await screen.findByText('Instructions', { selector: 'summary' });
    const text = screen.getByText('If they ask where to vote, use Polling place.');
    expect(text).not.toBeVisible();
    await user.click(summary);
    expect(text).toBeVisible();
  });

  // What the contact list says of them, for a volunteer asked where to vote; none shown when only the name is known.
  it("shows the contact's columns under the number", async () => {
    const view = aThreadView({
      contactDetails: [
        { key: 'zip', label: 'ZIP', value: '62701' },
        { key: 'polling_place', label: 'Polling place', value: 'Lincoln Elementary' },
      ],
    });
    const { unmount } = await setup(view);
    const details = screen.getByLabelText('Contact details');
    expect(within(details).getAllByRole('term').map((t) => t.textContent)).toEqual(['ZIP', 'Polling place']);
    expect(within(details).getAllByRole('definition').map((d) => d.textContent)).toEqual(['62701', 'Lincoln Elementary']);
    unmount();
    await setup(aThreadView());
    expect(screen.queryByLabelText('Contact details')).not.toBeInTheDocument();
  });

  it('the Follow Up menu works from the keyboard', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    expect(screen.getByRole('menuitem', { name: /^Polling place/ })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: /^Thanks/ })).toHaveFocus();
    // Home and End: the first and the last script (WAI-ARIA menu).
    await user.keyboard('{Home}');
    expect(screen.getByRole('menuitem', { name: /^Polling place/ })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('menuitem', { name: /^Thanks/ })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByLabelText('Reply')).toHaveTextContent('Thank you, Ada!');
  });

  it('free text is typed only when the action allows it', async () => {
    const { user } = await setup(aThreadView({ allowFreeText: true }));
    const reply = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(reply, 'See you there');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(fake.sendReply).toHaveBeenCalledWith('t1', 'See you there', '');
  });

  it('shows why a reply could not be sent', async () => {
    fake.sendReply.mockRejectedValue('free-typed replies are not allowed in this action');
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    await user.click(screen.getByRole('menuitem', { name: /^Thanks/ }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Free-typed replies are not allowed in this action.');
  });

  it('archives and unarchives, saying why it is archived', async () => {
    const archived = aThreadView({ archived: true, archivedReason: 'user' });
    archived.thread.archived = true;
    const { user } = await setup();
    fake.thread.mockResolvedValue(archived);
    await user.click(screen.getByRole('button', { name: 'Archive' }));
    expect(fake.archive).toHaveBeenCalledWith('t1', true);
    expect(await screen.findByText(/Archived by you/)).toBeInTheDocument();
    fake.thread.mockResolvedValue(aThreadView());
    await user.click(screen.getByRole('button', { name: 'Unarchive' }));
    expect(fake.archive).toHaveBeenLastCalledWith('t1', false);
    expect(await screen.findByRole('button', { name: 'Archive' })).toBeInTheDocument();
  });

  it('shows "Archived: no activity in 2 months" for a thread the server archived for age', async () => {
    const view = aThreadView({ archived: true, archivedReason: 'inactive' });
    view.thread.archived = true;
    await setup(view);
    expect(screen.getByText(/Archived: no activity in 2 months/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Unarchive' })).toBeInTheDocument();
  });

  it('a change to this thread reported by the Go side refetches it without marking read again', async () => {
    const { queryClient } = await setup();
    const updated = aThreadView();
    updated.messages.push({ id: 'm9', threadId: 't1', direction: 'in', body: 'Thanks!', status: 'received', createdAt: '2026-01-01T11:00:00Z', pending: false });
    fake.thread.mockResolvedValue(updated);
    await act(() => queryClient.invalidateQueries({ queryKey: keys.thread('t1') }));
    expect(await screen.findByText('Thanks!')).toBeInTheDocument();
    expect(fake.markRead).toHaveBeenCalledTimes(1);
  });

  it('Back returns to the inbox when the thread was the first screen', async () => {
    const { user, router } = await setup();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(router.state.location.pathname).toBe('/c/c1');
  });

  it('an opted-out contact cannot be replied to', async () => {
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    expect(screen.getByText(/opted out/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Reply')).not.toBeInTheDocument();
  });

  it('notes taller than their box (a short window) scroll in it, which is then a Tab stop', async () => {
    // jsdom lays nothing out: the sizes are set by hand, and the stub's
    // callbacks run as the browser's would when the window is resized.
    const resized: (() => void)[] = [];
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(cb: () => void) {
          resized.push(cb);
        }
        observe() {}
        disconnect() {}
      },
    );
    try {
      const view = aThreadView();
      view.thread.reassigned = { fromUserId: 'u2', fromUserName: 'Sam Second', note: 'asks about ballots', at: '2026-01-01T10:00:00Z' };
      const { container, user } = await setup(view);
      expect(screen.queryByRole('region', { name: 'Conversation notes' })).not.toBeInTheDocument();
      const box = container.querySelector<HTMLElement>('.thread-notes')!;
      const size = { scrollHeight: 300, clientHeight: 110 };
      Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => size.scrollHeight });
      Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => size.clientHeight });
      act(() => resized.forEach((cb) => cb()));
      const region = screen.getByRole('region', { name: 'Conversation notes' });
      expect(region).toHaveAttribute('tabindex', '0');
      expect(region).toHaveTextContent('Reassigned to you by Sam Second: asks about ballots');
      // A taller window: everything fits again, and the box is no longer a stop.
      size.clientHeight = 300;
      act(() => resized.forEach((cb) => cb()));
      expect(screen.queryByRole('region', { name: 'Conversation notes' })).not.toBeInTheDocument();
      expect(box).not.toHaveAttribute('tabindex');

      // A note cut to its two lines offers the rest, and takes it back.
      const note = screen.getByText('Reassigned to you by Sam Second: asks about ballots');
      Object.defineProperty(note, 'scrollHeight', { configurable: true, get: () => 66 });
      Object.defineProperty(note, 'clientHeight', { configurable: true, get: () => 44 });
      expect(screen.queryByRole('button', { name: 'Show all' })).not.toBeInTheDocument();
      act(() => resized.forEach((cb) => cb()));
      await user.click(screen.getByRole('button', { name: 'Show all' }));
      expect(note).not.toHaveClass('clamp');
      expect(screen.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
      await user.click(screen.getByRole('button', { name: 'Show less' }));
      expect(note).toHaveClass('clamp');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('Tab out of the open Follow Up menu closes it and goes on to Reply; F opens it again', async () => {
    const { user } = await setup(aThreadView({ allowFreeText: true }));
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    expect(screen.getByRole('menuitem', { name: /^Polling place/ })).toHaveFocus();
    await user.tab();
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument());
    expect(screen.getByLabelText('Reply')).toHaveFocus();
    // F from outside a field opens it (the Reply box is a field: leave it first).
    screen.getByRole('button', { name: 'Archive' }).focus();
    await user.keyboard('f');
    expect(await screen.findByRole('menu')).toBeInTheDocument();
  });

  it('a script item is named by the words it shows', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    const item = screen.getByRole('menuitem', { name: /^Polling place/ });
    // Named by all it shows (axe: label-content-name-mismatch): the label, then the script.
    expect(item).not.toHaveAttribute('aria-label');
    expect(item).toHaveAccessibleName(/^Polling place\s*You can find your polling place/);
  });

  it('after Send the keyboard stays in the Reply box', async () => {
    const { user } = await setup(aThreadView({ allowFreeText: true }));
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    await user.click(screen.getByRole('menuitem', { name: /^Thanks/ }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(fake.sendReply).toHaveBeenCalled());
    expect(screen.getByLabelText('Reply')).toHaveFocus();
  });

  it('keeps the keyboard on the conversation once the banner’s Opt Out is done: on the line that says so', async () => {
    const view = aThreadView({ optOutSuggested: true });
    const { user } = await setup(view);
    // The server's answer after the report: opted out, so the banner and the reply box go.
    fake.thread.mockResolvedValue(aThreadView({ thread: { ...view.thread, optedOut: true } }));
    screen.getByRole('button', { name: 'Opt Out' }).focus();
    await user.keyboard('{Enter}');
    const said = await screen.findByText('Ada Lovelace opted out: they will not be texted again.');
    await waitFor(() => expect(said).toHaveFocus());
  });
});

describe('ThreadView while the window is left', () => {
  it('a window left for another app has no thread on screen; coming back opens it and marks it read again', async () => {
    fake.thread.mockResolvedValue(aThreadView());
    renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await waitFor(() => expect(fake.setOpenThread).toHaveBeenLastCalledWith('t1'));
    await waitFor(() => expect(fake.markRead).toHaveBeenCalledTimes(1));
    act(() => void window.dispatchEvent(new Event('blur')));
    expect(fake.setOpenThread).toHaveBeenLastCalledWith('');
    act(() => void window.dispatchEvent(new Event('focus')));
    expect(fake.setOpenThread).toHaveBeenLastCalledWith('t1');
    await waitFor(() => expect(fake.markRead).toHaveBeenCalledTimes(2));
  });
});

describe('ThreadView of a conversation sync took away', () => {
  it('a conversation reassigned away while open says so and offers nothing to do', async () => {
    fake.thread.mockResolvedValue(aThreadView({ allowFreeText: true }));
    const { queryClient } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    expect(await screen.findByRole('textbox', { name: 'Reply' })).toBeInTheDocument();
    fake.thread.mockRejectedValue('that conversation is not in your inbox');
    // What the inbox change does for the conversation's id after the pull that took it away.
    await act(() => queryClient.invalidateQueries({ queryKey: keys.thread('t1') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That conversation is not in your inbox.');
    expect(screen.queryByRole('textbox', { name: 'Reply' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Archive' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Fill Report/ })).not.toBeInTheDocument();
  });
});
