import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { anItem, deferred } from '../../test/fixtures';
import { keys } from '../../lib/queryKeys';
import { action, show, setup } from './sendTestKit';
import { Send } from './Send';
import { renderScreen } from '../../test/render';
import stylesCss from '../../styles.css?raw';

describe('Send', () => {
  it("shows the recipient's name, the rendered script, segments and the count left", async () => {
    await setup(10);
    expect(fake.queue).toHaveBeenCalledWith('a1');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByText('Hi Ada, this is Vera. Will you vote on Tuesday?')).toBeInTheDocument();
    // In the words the reply box uses for the same count ("1 text"), not "segment".
    expect(screen.getByText('Sends as 1 text')).toBeInTheDocument();
    expect(screen.getByText('10 left')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Texting rules' })).toHaveTextContent("Texting hours: 9 AM–9 PM in each contact's time zone");
    expect(screen.getByRole('list', { name: 'Texting rules' })).toHaveTextContent('Batch size: 100 contacts');
  });

  it('Send, which has focus from the start, is described by whom it texts and the text', async () => {
    await setup(10);
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send).toHaveFocus();
    expect(send).toHaveAccessibleDescription('Ada Lovelace Hi Ada, this is Vera. Will you vote on Tuesday?');
  });

  it('names the number texts go from among the rules', async () => {
    const numbered = { ...action, sendingNumber: '+12025550180', sendingNumberDisplay: '(202) 555-0180' };
    fake.queue.mockResolvedValue({ action: numbered, items: [anItem(0)], remaining: 0 });
    renderScreen(<Send action={numbered} onBackToInbox={vi.fn()} />);
    await screen.findByTestId('recipient-name');
    expect(screen.getByRole('list', { name: 'Texting rules' })).toHaveTextContent('Texts go from (202) 555-0180');
  });

  it('a contact without a name is shown by number, as people write it, and only once', async () => {
    fake.queue.mockResolvedValue({ action, items: [anItem(0, { name: '(555) 000-0000' })], remaining: 0 });
    show();
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('(555) 000-0000');
    expect(screen.getAllByText(/555/)).toHaveLength(1);
  });

  it("shows a named contact's number under the name as people write it, not as stored", async () => {
    await setup(1);
    expect(screen.getByText('(555) 000-0000')).toBeInTheDocument();
    expect(screen.queryByText('+15550000000')).not.toBeInTheDocument();
  });

  // The intro showed them before Start; on the send screen they are one click away.
  it("the action's instructions are folded under Instructions", async () => {
    const { user } = await setup(1);
    const summary = screen.getByText('Instructions', { selector: 'summary' });
    const text = screen.getByText('Be friendly. Stop if they ask you to.');
    expect(text).not.toBeVisible();
    await user.click(summary);
    expect(text).toBeVisible();
  });

  it('Send shows the next contact before the send has finished', async () => {
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValue(pending.promise);
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(fake.sendInitial).toHaveBeenCalledWith('a1', 'k0');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    expect(screen.getByText('2 left')).toBeInTheDocument();
    await act(async () => pending.resolve());
  });

  it('Enter sends when focus is not in a text field', async () => {
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValue(pending.promise);
    const { user } = await setup();
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('{Enter}');
    expect(fake.sendInitial).toHaveBeenCalledTimes(1);
    expect(fake.sendInitial).toHaveBeenCalledWith('a1', 'k0');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    await act(async () => pending.resolve());
  });

  it('the focused Send wears the focus ring, however focus came (Enter sends, so it must look focused)', async () => {
    const sheet = document.createElement('style');
    sheet.textContent = stylesCss;
    document.head.append(sheet);
    try {
      await setup(3);
      const send = screen.getByRole('button', { name: /^Send/ });
      // Focused by the screen, as after a mouse click on Start: the browser then matches :focus but
      // not :focus-visible (jsdom matches both, so the sheet's rules are read instead).
      expect(send).toHaveFocus();
      const ringOnFocus = [...sheet.sheet!.cssRules].some(
        (r) =>
          r instanceof CSSStyleRule &&
          r.selectorText.includes(':focus') &&
          !r.selectorText.includes(':focus-visible') &&
          send.matches(r.selectorText) &&
          /solid/.test(r.style.outline),
      );
      expect(ringOnFocus).toBe(true);
    } finally {
      sheet.remove();
    }
  });

  it('Enter on the focused Send button sends once, not twice', async () => {
    const { user } = await setup();
    expect(screen.getByRole('button', { name: 'Send' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(fake.sendInitial).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
  });

  it('Enter held on the focused Send button sends one text, not one per key-repeat', async () => {
    const { user } = await setup(5);
    expect(screen.getByRole('button', { name: 'Send' })).toHaveFocus();
    // Down, four repeats (keydowns with repeat set), up.
    await user.keyboard('{Enter>5/}');
    expect(fake.sendInitial).toHaveBeenCalledTimes(1);
    expect(screen.getByText('4 left')).toBeInTheDocument();
  });

  it('a send that failed says why and puts the contact back', async () => {
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValueOnce(pending.promise);
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    await act(async () => pending.reject('the outbox could not be written: disk full'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not send to Ada Lovelace: the outbox could not be written: disk full');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByText('3 left')).toBeInTheDocument();
  });

  it('a queue refetched while a send is on its way does not bring the contact back', async () => {
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValue(pending.promise);
    const { user, queryClient } = await setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    // The Go side has not removed Ada yet: its queue still starts with her.
    await act(() => queryClient.invalidateQueries({ queryKey: keys.queue('a1') }));
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
    expect(screen.getByText('2 left')).toBeInTheDocument();
    await act(async () => pending.resolve());
  });

  it('a contact whose script could not be rendered is skipped, not sent', async () => {
    fake.queue.mockResolvedValue({
      action,
      items: [anItem(0, { error: 'unknown merge field {shoe_size}', body: '' }), anItem(1)],
      remaining: 0,
    });
    const { user } = show();
    expect(await screen.findByRole('alert')).toHaveTextContent('unknown merge field {shoe_size}');
    expect(screen.queryByRole('button', { name: 'Send' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Skip' }));
    expect(fake.sendInitial).not.toHaveBeenCalled();
    // Handed back to the campaign, not kept in this volunteer's queue.
    expect(fake.skipContact).toHaveBeenCalledWith('a1', 'k0');
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
  });

  it('a skip that cannot reach the campaign server says so', async () => {
    fake.queue.mockResolvedValue({ action, items: [anItem(0, { error: 'unknown merge field {shoe_size}', body: '' }), anItem(1)], remaining: 0 });
    fake.skipContact.mockRejectedValue('the campaign server is not reachable');
    const { user } = show();
    await user.click(await screen.findByRole('button', { name: 'Skip' }));
    expect(await screen.findByText(/Could not hand Ada Lovelace back to the campaign: the campaign server is not reachable/)).toBeInTheDocument();
    expect(screen.getByTestId('recipient-name')).toHaveTextContent('Grace Hopper');
  });

  it('Stop for now releases the unsent contacts', async () => {
    fake.release.mockResolvedValue(3);
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Stop for now' }));
    expect(fake.release).toHaveBeenCalledWith('a1');
    expect(await screen.findByRole('status')).toHaveTextContent('3 unsent contacts went back to the pool');
    await waitFor(() => expect(within(document.body).queryByTestId('recipient-name')).not.toBeInTheDocument());
    // Focused in the place of Stop for now, Text Again carries what the stop did, as a screen reader reads it there.
    expect(screen.getByRole('button', { name: 'Text Again' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Text Again' })).toHaveAccessibleDescription('3 unsent contacts went back to the pool for other volunteers.');
    // The contacts went back unsent: not "Everyone in this batch has been texted".
    expect(screen.getByRole('heading', { name: 'Stopped for now' })).toBeInTheDocument();
    expect(screen.queryByText(/Everyone in this batch has been texted/)).not.toBeInTheDocument();
  });

  it('Stop for now right after Send waits for that send to reach the Go side', async () => {
    const pending = deferred<void>();
    fake.sendInitial.mockReturnValue(pending.promise);
    fake.release.mockResolvedValue(2);
    const { user } = await setup(3);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await user.click(screen.getByRole('button', { name: 'Stop for now' }));
    // Released first, the contact just texted would go back with the rest.
    expect(fake.release).not.toHaveBeenCalled();
    await act(async () => pending.resolve());
    await waitFor(() => expect(fake.release).toHaveBeenCalledWith('a1'));
  });

  it('Enter in a dialog over the screen does not send the contact behind it', async () => {
    const { user } = await setup(3);
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    // Reading the sheet: a click on its text puts focus on the dialog box itself.
    await user.click(screen.getByText('Open the next conversation'));
    expect(dialog).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(fake.sendInitial).not.toHaveBeenCalled();
  });

  it('after each Send a polite live region names the next contact and the count left', async () => {
    const { user } = await setup();
    const live = screen.getByTestId('send-announcement');
    expect(live).toHaveAttribute('aria-live', 'polite');
    expect(live).toHaveTextContent('');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(live).toHaveTextContent('Next: Grace Hopper. 2 left.');
  });

  // The live region speaks for Send alone: after Stop for now or a Skip nothing was sent.
  it('Stop for now is not announced as a send', async () => {
    fake.release.mockResolvedValue(3);
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Stop for now' }));
    await waitFor(() => expect(screen.queryByTestId('recipient-name')).not.toBeInTheDocument());
    expect(screen.getByTestId('send-announcement')).not.toHaveTextContent(/Sent/);
  });

  it('a Skip is announced as a skip, with the next contact', async () => {
    fake.queue.mockResolvedValue({ action, items: [anItem(0, { error: 'unknown merge field {shoe_size}', body: '' }), anItem(1)], remaining: 0 });
    const { user } = show();
    await user.click(await screen.findByRole('button', { name: 'Skip' }));
    const live = screen.getByTestId('send-announcement');
    await waitFor(() => expect(live).toHaveTextContent('Skipped. Next: Grace Hopper. 1 left.'));
    expect(live).not.toHaveTextContent(/Sent/);
  });
});
