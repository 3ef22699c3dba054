import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, vi } from 'vitest';
import { ShortcutsProvider } from './Shortcuts';

/** The keys of each shortcut as the sheet prints them, by what the shortcut does. */
async function sheetKeys(what: string): Promise<string> {
  const user = userEvent.setup();
  render(
    <ShortcutsProvider>
      <p>Inbox</p>
    </ShortcutsProvider>,
  );
  await user.keyboard('?');
  const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
  return within(sheet).getByText(what).previousElementSibling?.textContent ?? '';
}

describe('the sheet of shortcuts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the chord keys Ctrl and Alt off a Mac', async () => {
    expect(await sheetKeys('Send the reply you wrote')).toBe('Ctrl + Enter');
  });

  it('names them Cmd and Option on a Mac, as its keyboard prints them', async () => {
    vi.spyOn(navigator, 'platform', 'get').mockReturnValue('MacIntel');
    expect(await sheetKeys('Send the reply you wrote')).toBe('Cmd + Enter');
    expect(within(screen.getByRole('dialog')).getByText('Back (outside a text box or dialog)').previousElementSibling).toHaveTextContent(/^Option \+ ←$/);
  });

  it('puts no plus between keys pressed one after the other', async () => {
    expect(await sheetKeys('Move between conversations in the list')).toBe('↓ ↑');
  });
});
