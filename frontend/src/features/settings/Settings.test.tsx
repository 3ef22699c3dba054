import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus, someAppSettings } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import shellCss from '../../shell.css?raw';
import stylesCss from '../../styles.css?raw';
import conversationsCss from '../thread/conversations.css?raw';

const section = (name: string) => screen.getByRole('region', { name });

async function open() {
  const r = renderApp('/settings');
  await screen.findByRole('heading', { name: 'Account' });
  return r;
}

afterEach(() => {
  delete document.documentElement.dataset.theme;
  document.documentElement.style.fontSize = '';
});

describe('Settings', () => {
  it('is opened from the Settings button in the status bar, and Back returns', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    const { user, router } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/settings');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  // The status bar pressed goes with the screen it was on: focus fell to the page, and a keyboard started again from the top.
  it('opened from the status bar, puts focus on its heading', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    const { user } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Settings', level: 1 })).toHaveFocus());
  });

  it('opened first, Back goes to the inbox, not out of the app', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    const { user, router } = await open();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(router.state.location.pathname).not.toBe('/settings'));
    expect(router.state.location.pathname).toMatch(/^\/(c\/c1)?$/);
  });

  it('has the status bar, as every screen of a signed-in window: Account says who is signed in, the status bar has Sign out', async () => {
    const { user, router } = await open();
    const account = section('Account');
    expect(account).toHaveTextContent('Signed in as Vera Volunteer (vera@example.org)');
    const bar = screen.getByRole('contentinfo');
    expect(within(bar).getByText('Online')).toBeInTheDocument();
    expect(within(bar).getByRole('button', { name: 'Shortcuts' })).toBeInTheDocument();
    // Settings pressed here is this screen: no second copy of it for Back to return to.
    const settings = within(bar).getByRole('button', { name: 'Settings' });
    expect(settings).toHaveAttribute('aria-current', 'page');
    await user.click(settings);
    expect(router.state.historyAction).toBe('REPLACE');
    // One Sign out on the screen, the status bar's.
    expect(screen.getAllByRole('button', { name: 'Sign out' })).toHaveLength(1);
    fake.outbox.mockResolvedValue([]);
    await user.click(within(bar).getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(fake.signOut).toHaveBeenCalled());
  });

  it('opened from sign-in, with no one signed in, has no status bar', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    renderApp('/settings');
    await screen.findByRole('heading', { name: 'Settings', level: 1 });
    expect(screen.queryByRole('contentinfo')).not.toBeInTheDocument();
  });

  it('applies the saved theme and text size when the app starts', async () => {
    fake.appSettings.mockResolvedValue(someAppSettings({ theme: 'dark', textSize: 125 }));
    renderApp('/');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(document.documentElement.style.fontSize).toBe('125%');
  });

  it('Account: saves the server address, says a restart is needed, and where the sign-in is kept', async () => {
    fake.appSettings.mockResolvedValue(someAppSettings({ tokenStorage: 'file' }));
    fake.setServerURL.mockResolvedValue(
      someAppSettings({ serverUrl: 'https://texts.example.org', restartNeeded: true, tokenStorage: 'file' }),
    );
    const { user } = await open();
    const account = section('Account');
    expect(account).toHaveTextContent('Your sign-in is kept in a private file on this computer');
    expect(within(account).queryByText(/Restart needed/)).not.toBeInTheDocument();
    await user.type(within(account).getByLabelText('Server address'), 'https://texts.example.org');
    await user.click(within(account).getByRole('button', { name: 'Save address' }));
    expect(fake.setServerURL).toHaveBeenCalledWith('https://texts.example.org');
    expect(await within(account).findByText(/Restart needed/)).toBeInTheDocument();
    // The button is disabled once saved; the keyboard stays in the field.
    expect(within(account).getByRole('button', { name: 'Save address' })).toBeDisabled();
    expect(within(account).getByLabelText('Server address')).toHaveFocus();
  });

  it('Account: an old plain http:// address in use says what to do, until a new one is saved', async () => {
    const why = 'Textbank no longer connects to http://old.example.org: enter its https:// address in Settings.';
    fake.appSettings.mockResolvedValue(someAppSettings({ serverUrl: 'http://old.example.org', serverRefused: why }));
    fake.setServerURL.mockResolvedValue(
      someAppSettings({ serverUrl: 'https://old.example.org', serverRefused: why, restartNeeded: true, restartKeepsCache: true }),
    );
    const { user } = await open();
    const account = section('Account');
    expect(within(account).getByText(why)).toBeInTheDocument();
    const field = within(account).getByLabelText('Server address');
    await user.clear(field);
    await user.type(field, 'https://old.example.org');
    await user.click(within(account).getByRole('button', { name: 'Save address' }));
    expect(await within(account).findByText(/Restart needed/)).toHaveTextContent('your conversations and unsent changes stay');
    expect(within(account).queryByText(why)).not.toBeInTheDocument();
  });

  it('Account: an address from TEXTBANK_SERVER is shown read-only, saying where it comes from and how to change it', async () => {
    fake.appSettings.mockResolvedValue(
      someAppSettings({
        activeServer: 'https://env.example.org',
        serverFromFlag: true,
        serverFromEnv: true,
        serverUrl: 'https://saved.example.org',
      }),
    );
    const { user } = await open();
    const account = section('Account');
    const field = within(account).getByLabelText('Server address');
    expect(field).toHaveValue('https://env.example.org');
    expect(field).toHaveAttribute('readonly');
    expect(field).toHaveAccessibleDescription(/comes from the TEXTBANK_SERVER setting on this computer/);
    expect(field).toHaveAccessibleDescription(/remove TEXTBANK_SERVER/);
    expect(field).toHaveAccessibleDescription(/Without it, Textbank would use https:\/\/saved\.example\.org/);
    // Nothing pretends to save.
    expect(within(account).queryByRole('button', { name: 'Save address' })).not.toBeInTheDocument();
    await user.type(field, 'https://other.example.org{Enter}');
    expect(field).toHaveValue('https://env.example.org');
    expect(fake.setServerURL).not.toHaveBeenCalled();
    expect(within(account).queryByText(/Restart needed/)).not.toBeInTheDocument();
  });

  it('a setter that fails shows its error beside the control, and nothing changes', async () => {
    fake.setServerURL.mockRejectedValue('server address "nope": use http:// or https://');
    fake.setStartAtLogin.mockRejectedValue('starting at login is not available on this computer');
    const { user } = await open();
    await user.type(screen.getByLabelText('Server address'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await within(section('Account')).findByRole('alert')).toHaveTextContent(
      'Server address "nope": use http:// or https://',
    );
    const login = within(section('Start at login')).getByRole('switch', { name: 'Start Textbank when I log in' });
    await user.click(login);
    expect(await within(section('Start at login')).findByRole('alert')).toHaveTextContent(
      'Starting at login is not available on this computer.',
    );
    expect(login).not.toBeChecked();
    expect(within(section('Notifications')).queryByRole('alert')).not.toBeInTheDocument();
  });

  // The demo runs its own server and starts clean each time: an address saved here would
  // never be used, and Save would seem to do nothing. Say so instead of offering it.
  it('Account in demo mode: says the demo runs its own server, and offers no address to save', async () => {
    fake.appSettings.mockResolvedValue(someAppSettings({ demo: true, activeServer: 'http://127.0.0.1:41234' }));
    await open();
    const account = section('Account');
    expect(within(account).queryByLabelText('Server address')).not.toBeInTheDocument();
    expect(within(account).queryByRole('button', { name: 'Save address' })).not.toBeInTheDocument();
    // In words: the loopback address says nothing to a volunteer (the log has it).
    expect(account).toHaveTextContent('Campaign server: Demo server on this computer, started clean by this demo.');
    expect(account).not.toHaveTextContent('127.0.0.1');
  });

  // The demo keeps nothing once it quits: started at login, it would only begin again clean.
  it('Start at login in demo mode: off and not offered, saying why', async () => {
    fake.appSettings.mockResolvedValue(someAppSettings({ demo: true, startAtLogin: true }));
    await open();
    const login = within(section('Start at login')).getByRole('switch', { name: 'Start Textbank when I log in' });
    expect(login).toBeDisabled();
    expect(login).not.toBeChecked();
    expect(login).toHaveAccessibleDescription('The demo does not start at login: it keeps nothing once it quits.');
  });

  // It read as an off switch that would not turn on: drawn and worded as every other switch, with a hand.
  it('Start at login in demo mode looks disabled: its words muted, no hand, unlike the switches beside it', async () => {
    const sheet = document.createElement('style');
    sheet.textContent = stylesCss + conversationsCss;
    document.head.append(sheet);
    try {
      fake.appSettings.mockResolvedValue(someAppSettings({ demo: true }));
      await open();
      const login = within(section('Start at login')).getByRole('switch', { name: 'Start Textbank when I log in' });
      const sound = within(section('Notifications')).getByRole('switch', { name: 'Play a sound' });
      expect(getComputedStyle(login).cursor).toBe('default');
      expect(getComputedStyle(sound).cursor).toBe('pointer');
      expect(getComputedStyle(login.closest('label')!).color).not.toBe(getComputedStyle(sound.closest('label')!).color);
    } finally {
      sheet.remove();
    }
  });

  it('Notifications: off and on, pause for an hour or until tomorrow, resume, sound', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    fake.pauseNotifications.mockResolvedValue(someAppSettings({ pausedUntil: later }));
    fake.setNotifications.mockResolvedValue(someAppSettings({ notifications: 'off' }));
    fake.setSound.mockResolvedValue(someAppSettings({ sound: false }));
    const { user } = await open();
    const n = section('Notifications');
    await user.click(within(n).getByRole('button', { name: 'Pause for 1 hour' }));
    expect(fake.pauseNotifications).toHaveBeenCalledWith('hour');
    await user.click(await within(n).findByRole('button', { name: 'Resume notifications' }));
    expect(fake.resumeNotifications).toHaveBeenCalledTimes(1);
    await user.click(await within(n).findByRole('button', { name: 'Pause until tomorrow' }));
    expect(fake.pauseNotifications).toHaveBeenLastCalledWith('tomorrow');

    await user.click(within(n).getByRole('switch', { name: 'Play a sound' }));
    expect(fake.setSound).toHaveBeenCalledWith(false);
    await waitFor(() => expect(within(n).getByRole('switch', { name: 'Play a sound' })).not.toBeChecked());

    await user.click(within(n).getByRole('switch', { name: 'Notify me of new replies' }));
    expect(fake.setNotifications).toHaveBeenCalledWith(false);
    await waitFor(() => expect(within(n).queryByRole('button', { name: 'Pause for 1 hour' })).not.toBeInTheDocument());
  });

  it('Notifications: a pause set from the tray shows on the open screen at once', async () => {
    await open();
    const n = section('Notifications');
    expect(within(n).getByRole('button', { name: 'Pause for 1 hour' })).toBeInTheDocument();
    const later = new Date(Date.now() + 3600_000).toISOString();
    fake.appSettings.mockResolvedValue(someAppSettings({ pausedUntil: later }));
    fake.emit('settings:changed', {});
    expect(await within(n).findByRole('button', { name: 'Resume notifications' })).toBeInTheDocument();
  });

  // Linux: Textbank chooses the sound (Go names no system setting), so the switch is there.
  it('Notifications: Play a sound is a switch where Textbank can choose the sound', async () => {
    await open();
    const n = section('Notifications');
    expect(within(n).getByRole('switch', { name: 'Play a sound' })).toBeChecked();
    expect(within(n).queryByText(/plays a sound is set on this computer/)).not.toBeInTheDocument();
  });

  // macOS and Windows play their own sound for Wails' notifications: a switch there did nothing.
  it('Notifications: where the system decides the sound, no switch, but where to set it', async () => {
    fake.appSettings.mockResolvedValue(someAppSettings({ soundSetIn: 'System Settings > Notifications > Textbank' }));
    await open();
    const n = section('Notifications');
    expect(
      within(n).getByText('Whether a notification plays a sound is set on this computer, in System Settings > Notifications > Textbank.'),
    ).toBeInTheDocument();
    expect(within(n).queryByRole('switch', { name: 'Play a sound' })).not.toBeInTheDocument();
    expect(within(n).getByRole('switch', { name: 'Notify me of new replies' })).toBeInTheDocument();
  });

  // Pausing swaps the pause buttons for Resume (and back): the keyboard goes to the one
  // that undoes it, not to the page.
  it('Notifications: Show message text is on by default, and off keeps the contact\'s words off the notification', async () => {
    fake.setShowMessageText.mockResolvedValue(someAppSettings({ showMessageText: false }));
    const { user } = await open();
    const n = section('Notifications');
    const text = within(n).getByRole('switch', { name: 'Show message text in notifications' });
    expect(text).toBeChecked();
    expect(text).toHaveAccessibleDescription(/says who replied, not what they wrote/);
    await user.click(text);
    expect(fake.setShowMessageText).toHaveBeenCalledWith(false);
    await waitFor(() => expect(within(n).getByRole('switch', { name: 'Show message text in notifications' })).not.toBeChecked());
  });

  it('Pause and Resume keep the keyboard in Notifications', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    fake.pauseNotifications.mockResolvedValue(someAppSettings({ pausedUntil: later }));
    fake.resumeNotifications.mockResolvedValue(someAppSettings());
    const { user } = await open();
    const n = section('Notifications');
    within(n).getByRole('button', { name: 'Pause for 1 hour' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(n).getByRole('button', { name: 'Resume notifications' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(n).getByRole('button', { name: 'Pause for 1 hour' })).toHaveFocus());
  });

  it('Appearance: the theme and text size apply to the window at once', async () => {
    fake.setTheme.mockResolvedValue(someAppSettings({ theme: 'light' }));
    fake.setTextSize.mockResolvedValue(someAppSettings({ theme: 'light', textSize: 150 }));
    const { user } = await open();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    const a = section('Appearance');
    await user.click(within(a).getByRole('radio', { name: 'Light' }));
    expect(fake.setTheme).toHaveBeenCalledWith('light');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));
    await user.selectOptions(within(a).getByRole('combobox', { name: 'Text size' }), '150%');
    expect(fake.setTextSize).toHaveBeenCalledWith(150);
    await waitFor(() => expect(document.documentElement.style.fontSize).toBe('150%'));
  });

  // The sidebar's foot draws it bold, as the foot's only control; here it is one switch of several.
  it('the Automatic Archive Setting reads as the other switches: its label no bolder, its hint about conversations', async () => {
    const sheet = document.createElement('style');
    sheet.textContent = stylesCss + shellCss;
    document.head.append(sheet);
    try {
      await open();
      const inbox = section('Inbox');
      const label = (await within(inbox).findByRole('switch', { name: 'Automatic archive' })).closest('label')!;
      const other = within(section('Notifications')).getByRole('switch', { name: 'Play a sound' }).closest('label')!;
      expect(getComputedStyle(label).fontWeight).toBe(getComputedStyle(other).fontWeight);
      expect(within(inbox).getByRole('switch', { name: 'Automatic archive' })).toHaveAccessibleDescription('Archives what you report.');
    } finally {
      sheet.remove();
    }
  });

  it('the Automatic Archive Setting is here too, and Show logs and both versions', async () => {
    fake.showLogs.mockRejectedValue('could not open the log folder /tmp/logs: no file manager');
    const { user } = await open();
    expect(await within(section('Inbox')).findByRole('switch', { name: 'Automatic archive' })).toBeInTheDocument();
    const about = section('About');
    expect(about).toHaveTextContent('Textbank 0.9.0');
    expect(await within(about).findByText(/Campaign server 1\.4\.0/)).toBeInTheDocument();
    await user.click(within(about).getByRole('button', { name: 'Show logs' }));
    expect(fake.showLogs).toHaveBeenCalledTimes(1);
    expect(await within(about).findByRole('alert')).toHaveTextContent('Could not open the log folder');
  });

  it('a campaign server version not known is said in a sentence, with its full stop', async () => {
    fake.serverVersion.mockRejectedValue('not asked, as Textbank does not connect to this address (see Server address above)');
    await open();
    expect(
      await within(section('About')).findByText(
        'Campaign server version unknown: not asked, as Textbank does not connect to this address (see Server address above).',
      ),
    ).toBeInTheDocument();
  });
});
