import { act, screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, anItem, deferred } from '../../test/fixtures';
import { keys } from '../../lib/queryKeys';
import { renderScreen } from '../../test/render';
import { Send } from './Send';
import { action, show, setup } from './sendTestKit';

describe('Text Again', () => {
  it('after Text Again a contact still queued on the Go side shows again', async () => {
    // Ada's send was refused for the hour: the Go side queues her again,
    // and Text Again hands her back as still waiting.
    const { user } = await setup(1);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByText('Batch done')).toBeInTheDocument();
    await act(async () => {}); // the send settles
    fake.textAgain.mockResolvedValue({ assigned: 1, heldBack: 0, remaining: 10 });
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByText('1 left')).toBeInTheDocument();
  });

  it('when the batch is done, Text Again loads the next batch', async () => {
    const { user } = await setup(1);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByText('Batch done')).toBeInTheDocument();
    await act(async () => {}); // the send settles
    fake.textAgain.mockResolvedValue({ assigned: 2, heldBack: 0, remaining: 10 });
    fake.queue.mockResolvedValue({ action, items: [anItem(5), anItem(6)], remaining: 10 });
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    expect(fake.textAgain).toHaveBeenCalledWith('a1');
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Grace Hopper 5');
    expect(screen.getByText('2 left')).toBeInTheDocument();
  });

  it("a pending Text Again says the server is busy only when Go retries this action's call", async () => {
    const { user } = await setup(1);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await act(async () => {}); // the send settles
    const answer = deferred<Awaited<ReturnType<typeof fake.textAgain>>>();
    fake.textAgain.mockReturnValue(answer.promise);
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    await waitFor(() => expect(fake.textAgain).toHaveBeenCalledWith('a1'));
    // Another action's retry, or another call's, is not this one.
    act(() => fake.emit('server:busy-retry', { call: 'textAgain', key: 'other-action', seconds: 1 }));
    act(() => fake.emit('server:busy-retry', { call: 'join', key: '', seconds: 1 }));
    expect(screen.queryByText('Server busy, trying again…')).not.toBeInTheDocument();
    act(() => fake.emit('server:busy-retry', { call: 'textAgain', key: 'a1', seconds: 1 }));
    expect(screen.getByText('Server busy, trying again…')).toHaveAttribute('role', 'status');
    fake.queue.mockResolvedValue({ action, items: [anItem(5)], remaining: 10 });
    await act(async () => answer.resolve({ assigned: 1, heldBack: 0, remaining: 10 }));
    await waitFor(() => expect(screen.queryByText('Server busy, trying again…')).not.toBeInTheDocument());
  });

  it('Text Again right after the last Send waits for that send to reach the Go side', async () => {
    // Each Go call runs on its own: asked first, Text Again would reach the
    // server before the last text is in the outbox, and the server would hand
    // back the contacts just texted (the e2e flake: no Send button after Text Again).
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValue(pending.promise);
    const { user } = await setup(1);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    fake.textAgain.mockResolvedValue({ assigned: 2, heldBack: 0, remaining: 10 });
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    expect(fake.textAgain).not.toHaveBeenCalled();
    fake.queue.mockResolvedValue({ action, items: [anItem(5), anItem(6)], remaining: 10 });
    await act(async () => pending.resolve());
    await waitFor(() => expect(fake.textAgain).toHaveBeenCalledWith('a1'));
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Grace Hopper 5');
  });

  it('Text Again says how many contacts were held back for texting hours', async () => {
    const held = anAction({ textingHours: { start: '09:00', end: '20:00' } });
    fake.queue
      .mockResolvedValueOnce({ action: held, items: [], remaining: 30 })
      .mockResolvedValue({ action: held, items: [anItem(0)], remaining: 28 });
    fake.textAgain.mockResolvedValue({ assigned: 1, heldBack: 2, remaining: 28 });
    renderScreen(<Send action={held} onBackToInbox={vi.fn()} />);
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByTestId('held-back')).toHaveTextContent(
      '2 contacts were held back: it is outside texting hours for them now (9 AM–8 PM their time). They stay in the pool for later.',
    );
  });

  it('Text Again says how many contacts were held back for the 6-hour rule, beside those held for the hour', async () => {
    const held = anAction({ textingHours: { start: '09:00', end: '20:00' } });
    fake.queue
      .mockResolvedValueOnce({ action: held, items: [], remaining: 30 })
      .mockResolvedValue({ action: held, items: [anItem(0)], remaining: 26 });
    fake.textAgain.mockResolvedValue({ assigned: 1, heldBack: 1, recentlyTexted: 3, remaining: 26 });
    renderScreen(<Send action={held} onBackToInbox={vi.fn()} />);
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByTestId('held-back')).toHaveTextContent(
      '1 contact was held back: it is outside texting hours for them now (9 AM–8 PM their time). 3 contacts were held back: your organization sent them a first text in the last 6 hours. They stay in the pool for later.',
    );
  });

  it('a Text Again that held everyone back for hours says so, not just that nobody came', async () => {
    const held = anAction({ textingHours: { start: '09:00', end: '20:00' } });
    fake.queue.mockResolvedValue({ action: held, items: [], remaining: 30 });
    fake.textAgain.mockResolvedValue({ assigned: 0, heldBack: 1, remaining: 30 });
    renderScreen(<Send action={held} onBackToInbox={vi.fn()} />);
    expect(await screen.findByTestId('none-now')).toHaveTextContent(
      'No contacts can be texted right now. 1 contact was held back: it is outside texting hours for them now (9 AM–8 PM their time). They stay in the pool for later. Try Text Again later.',
    );
    expect(screen.queryByTestId('held-back')).not.toBeInTheDocument();
  });

  it('a first text refused because the script changed comes back with the new text, and Send new text sends exactly that', async () => {
    const { user, queryClient } = await setup(2);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(fake.sendInitial).toHaveBeenCalledWith('a1', 'k0');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    // The server refused Ada's text: the Go side puts her back in the queue with its text.
    const newText = 'Hi Ada, this is Vera. Polls close at 8 on Tuesday. Will you vote?';
    fake.queue.mockResolvedValue({ action, items: [anItem(0, { body: newText, scriptChanged: true }), anItem(1)], remaining: 40 });
    await act(() => queryClient.invalidateQueries({ queryKey: keys.queue('a1') }));
    expect(await screen.findByTestId('script-changed')).toHaveTextContent('The campaign changed this script after your app showed it');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByLabelText('Message to send')).toHaveTextContent(newText);
    expect(screen.queryByRole('button', { name: 'Send' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send new text' }));
    expect(fake.sendNewText).toHaveBeenCalledWith('a1', 'k0', newText);
    expect(fake.sendInitial).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  });

  it('Start with nothing queued asks for the first batch by itself', async () => {
    fake.queue
      .mockResolvedValueOnce({ action, items: [], remaining: 50 })
      .mockResolvedValue({ action, items: [anItem(0), anItem(1)], remaining: 40 });
    fake.textAgain.mockResolvedValue({ assigned: 2, heldBack: 0, remaining: 10 });
    show();
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(fake.textAgain).toHaveBeenCalledTimes(1);
    expect(screen.getByText('2 left')).toBeInTheDocument();
  });

  it('with no one left in the action the screen says All done, and Text Again says so as news, not as a fault', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: 0 });
    fake.textAgain.mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 0, nothing: 'No one is left to text in this action: every contact has been texted or is with a volunteer' });
    const { user } = show();
    expect(await screen.findByRole('heading', { name: 'All done' })).toBeInTheDocument();
    expect(screen.getByText(/Thank you! Replies to your texts come to your inbox\./)).toBeInTheDocument();
    // Nobody is left: the inbox is the main step, Text Again a quiet one.
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Text Again' })).not.toHaveClass('primary');
    await user.click(await screen.findByRole('button', { name: 'Text Again' }));
    await waitFor(() => expect(fake.textAgain).toHaveBeenCalledTimes(2));
    expect(await screen.findByText('No one is left to text in this action: every contact has been texted or is with a volunteer.')).toHaveClass('notice');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Said once, not by the notice and again by the thanks.
    expect(screen.getAllByText(/No one is left to text in this action/)).toHaveLength(1);
    expect(screen.getByText('Thank you! Replies to your texts come to your inbox.')).toBeInTheDocument();
  });

  // Start on an action whose contacts were all texted before (or one with only conversations
  // under way): the app does not know the count until Text Again asks, and the Go side then
  // knows it is 0. Not "Batch done. Everyone in this batch has been texted." with a red error.
  it('Start with nobody left to text, the count not known yet, says All done, not a fault', async () => {
    fake.queue.mockResolvedValueOnce({ action, items: [], remaining: -1 }).mockResolvedValue({ action, items: [], remaining: 0 });
    fake.textAgain.mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 0, nothing: 'No one is left to text in this action: every contact has been texted or is with a volunteer' });
    show();
    expect(await screen.findByRole('heading', { name: 'All done' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Batch done' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Everyone in this batch has been texted/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
  });

  it('Text Again shows a refusal in the words the app gives, such as texting hours', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: 12 });
    fake.textAgain.mockResolvedValue({
      assigned: 0,
      heldBack: 0,
      remaining: 12,
      nothing: 'No contacts can be texted right now: it is outside texting hours (9 AM–9 PM) for the contacts left; 12 are held back until their morning. Try Text Again later.',
    });
    const { user } = show();
    // Nobody was texted on this screen: no batch ended, so neither "Batch done" nor thanks.
    expect(await screen.findByRole('heading', { name: 'Nothing to text now' })).toBeInTheDocument();
    expect(screen.getByTestId('why-nothing')).toHaveTextContent('12 are held back until their morning');
    expect(screen.queryByText(/Everyone in this batch has been texted/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    expect(fake.textAgain).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId('why-nothing')).toHaveTextContent('No contacts can be texted right now: it is outside texting hours');
  });

  it('Start in an archived campaign says why nothing comes, not "Batch done" with Text Again as the next step', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: -1 });
    fake.textAgain.mockResolvedValue({
      assigned: 0,
      heldBack: 0,
      remaining: -1,
      nothing: '"Vote Yes" has been archived by its organizers: no more contacts are handed out; your conversations stay in your inbox',
    });
    show();
    expect(await screen.findByRole('heading', { name: 'Nothing to text now' })).toBeInTheDocument();
    expect(screen.getByTestId('why-nothing')).toHaveTextContent('has been archived by its organizers');
    expect(screen.queryByRole('heading', { name: 'Batch done' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Everyone in this batch has been texted|Thank you/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
    expect(screen.getByRole('button', { name: 'Text Again' })).not.toHaveClass('primary');
  });

  // The app knows the campaign is archived (its campaigns list says so): no Text Again to be refused again.
  it('in a campaign the app knows is archived offers the inbox alone', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ archived: true })]);
    fake.queue.mockResolvedValue({ action, items: [], remaining: -1 });
    fake.textAgain.mockResolvedValue({
      assigned: 0,
      heldBack: 0,
      remaining: -1,
      nothing: '"Vote Yes" has been archived by its organizers: no more contacts are handed out; your conversations stay in your inbox',
    });
    show();
    expect(await screen.findByTestId('why-nothing')).toHaveTextContent('has been archived by its organizers');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Text Again' })).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
  });

  // The organizer archives the campaign mid-batch: its unsent contacts go back and no one is
  // texted again. It said "Batch done. Everyone in this batch has been texted. 40 contacts still waiting".
  it('a campaign archived mid-batch says so, not "Batch done" with contacts waiting', async () => {
    const { user, queryClient } = await setup(3);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    fake.campaigns.mockResolvedValue([aCampaign({ archived: true })]);
    fake.queue.mockResolvedValue({ action, items: [], remaining: 40 });
    await act(() => queryClient.invalidateQueries());
    expect(await screen.findByRole('heading', { name: 'Campaign archived' })).toBeInTheDocument();
    expect(screen.getByText('This campaign is archived: no more first texts go out. You can still answer your conversations in the inbox.')).toBeInTheDocument();
    expect(screen.queryByText(/Everyone in this batch has been texted|still waiting/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Text Again' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
  });

  // Offline (or any failure) on Start: nothing was asked, so nothing is known to be left. Not
  // "Nothing to text now" with the inbox as the next step: the fault, and Text Again to ask again.
  it('a first Text Again that failed says so as a fault, with Text Again the next step', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: -1 });
    fake.textAgain
      .mockRejectedValueOnce("You're offline: your texts are kept and will go out when the campaign server is back. Press Text Again then for new contacts.")
      .mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 0, nothing: 'No one is left to text in this action: every contact has been texted or is with a volunteer' });
    const { user } = show();
    expect(await screen.findByRole('heading', { name: 'No contacts yet' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent("You're offline");
    expect(screen.queryByRole('heading', { name: 'Nothing to text now' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Everyone in this batch has been texted/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Text Again' })).toHaveClass('primary');
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).not.toHaveClass('primary');
    // Back online, the server's answer replaces the fault.
    await user.click(screen.getByRole('button', { name: 'Text Again' }));
    expect(await screen.findByTestId('why-nothing')).toHaveTextContent('No one is left to text in this action');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('Text Again that assigns nobody says so instead of doing nothing', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: 12 });
    fake.textAgain.mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 12 });
    show();
    expect(await screen.findByRole('status')).toHaveTextContent('No contacts can be texted right now');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // Pressing it again now would bring no one: the inbox is the main step.
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).toHaveClass('primary');
    expect(screen.getByRole('button', { name: 'Text Again' })).not.toHaveClass('primary');
  });

  it('a batch done with contacts still waiting keeps Text Again the main step', async () => {
    fake.queue.mockResolvedValue({ action, items: [], remaining: 12 });
    fake.textAgain.mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 12 });
    fake.queue.mockResolvedValueOnce({ action, items: [anItem(0)], remaining: 12 });
    const { user } = show();
    await user.click(await screen.findByRole('button', { name: 'Send' }));
    expect(await screen.findByRole('heading', { name: 'Batch done' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Text Again' })).toHaveClass('primary');
    expect(screen.getByRole('button', { name: 'Back to the inbox' })).not.toHaveClass('primary');
  });
});
