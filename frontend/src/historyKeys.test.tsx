import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, aThreadView } from './test/fixtures';
import { renderApp } from './test/render';

// Alt+Left and Alt+Right are Back and Forward (the shortcuts sheet), except where the keys are a
// field's own: a reply half typed went with its page, and a theme radio changed on the way back.
describe('Alt+Left and Alt+Right', () => {
  beforeEach(() => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    fake.thread.mockResolvedValue(aThreadView({ allowFreeText: true }));
  });

  it('in the reply box they stay in the box: the words typed and the conversation stay', async () => {
    const { user, router } = renderApp('/c/c1');
    const row = (await screen.findAllByTestId('thread-row'))[0];
    await user.click(within(row).getByRole('button', { name: /^Contact 1/ }));
    const reply = await screen.findByRole('textbox', { name: 'Reply' });
    await user.type(reply, 'Polls close at 8');
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
    expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveValue('Polls close at 8');

    // Out of the box they go back, as the sheet says.
    reply.blur();
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1/thread/t1'));
  });

  it('on a radio they go back without picking the radio beside it', async () => {
    const { user, router } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const dark = await screen.findByRole('radio', { name: 'Dark' });
    await user.click(dark);
    await waitFor(() => expect(fake.setTheme).toHaveBeenCalledWith('dark'));
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(fake.setTheme).not.toHaveBeenCalledWith('light');
  });

  it('on Text size they go back and leave the size as it was', async () => {
    const { user, router } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const size = await screen.findByRole('combobox', { name: 'Text size' });
    size.focus();
    // The browser's own Alt+Left (WebKitGTK's: the size before) is what preventDefault stops;
    // jsdom has none, so the test reads whether it was stopped.
    const press = new KeyboardEvent('keydown', { key: 'ArrowLeft', altKey: true, bubbles: true, cancelable: true });
    act(() => {
      size.dispatchEvent(press);
    });
    expect(press.defaultPrevented).toBe(true);
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  it('in a dialog they leave the page alone (the report form would close unsaved)', async () => {
    const { user, router } = renderApp('/c/c1');
    const row = (await screen.findAllByTestId('thread-row'))[0];
    await user.click(within(row).getByRole('button', { name: /^Contact 1/ }));
    await user.click(await screen.findByRole('button', { name: 'Fill Report' }));
    const dialog = await screen.findByRole('dialog');
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
    expect(dialog).toBeInTheDocument();
  });
});
