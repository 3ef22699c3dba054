import { fireEvent, screen, waitFor } from '@testing-library/react';
import * as fake from '../test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from '../test/fixtures';
import { renderApp } from '../test/render';

// jsdom lays nothing out: every element counts as drawn (in the app, a folded sidebar's controls do not).
beforeEach(() => {
  vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([new DOMRect(0, 0, 10, 10)] as unknown as DOMRectList);
});

async function inTheInbox() {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign()]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1)]);
  const r = renderApp('/c/c1');
  await screen.findByRole('button', { name: /^Unread/ });
  return r;
}

describe("Tab at the window's ends", () => {
  it('Tab on Sign out, the last control, comes round to the first (Menu); Shift+Tab there goes back to Sign out', async () => {
    const { user } = await inTheInbox();
    const signOut = screen.getByRole('button', { name: 'Sign out' });
    signOut.focus();
    await user.tab();
    const menu = screen.getByRole('button', { name: 'Menu' });
    expect(menu).toHaveFocus();
    await user.tab({ shift: true });
    expect(signOut).toHaveFocus();
  });

  it("WebKitGTK's Shift+Tab (key Unidentified on the Tab key, GTK's ISO_Left_Tab) on the first control goes to Sign out", async () => {
    await inTheInbox();
    const menu = screen.getByRole('button', { name: 'Menu' });
    menu.focus();
    fireEvent.keyDown(menu, { key: 'Unidentified', code: 'Tab', shiftKey: true });
    expect(screen.getByRole('button', { name: 'Sign out' })).toHaveFocus();
  });

  // The ends are looked for from the window's ends: what follows Sign out in the page and is no
  // Tab stop (disabled, tabindex -1, inert, not drawn) is passed over, as is what comes before Menu.
  it('controls after Sign out that Tab does not stop on leave Sign out the last', async () => {
    const { user } = await inTheInbox();
    const after = document.createElement('div');
    after.innerHTML =
      '<button disabled>Off</button><div tabindex="-1">Row</div><div inert><button>Inert</button></div><button data-undrawn>Folded</button><input type="hidden">';
    document.body.append(after);
    const before = document.createElement('button');
    before.dataset.undrawn = '';
    document.body.prepend(before);
    vi.mocked(Element.prototype.getClientRects).mockImplementation(function (this: Element) {
      return (this.hasAttribute('data-undrawn') ? [] : [new DOMRect(0, 0, 10, 10)]) as unknown as DOMRectList;
    });
    try {
      const signOut = screen.getByRole('button', { name: 'Sign out' });
      signOut.focus();
      await user.tab();
      expect(screen.getByRole('button', { name: 'Menu' })).toHaveFocus();
      await user.tab({ shift: true });
      expect(signOut).toHaveFocus();
    } finally {
      after.remove();
      before.remove();
    }
  });

  it('in between, Tab goes on as usual', async () => {
    const { user } = await inTheInbox();
    const settings = screen.getByRole('button', { name: 'Settings' });
    settings.focus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Sign out' })).toHaveFocus();
  });

  it('a dialog keeps its own Tab: Tab on its last button stays in it', async () => {
    const { user } = await inTheInbox();
    await user.click(screen.getByRole('button', { name: 'Shortcuts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = screen.getByRole('button', { name: 'Close' });
    close.focus();
    await user.tab();
    await waitFor(() => expect(dialog).toContainElement(document.activeElement as HTMLElement));
  });
});
