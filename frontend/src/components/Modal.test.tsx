import { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Modal } from './Modal';

function Page({ closeButton = false }: { closeButton?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Before</button>
      <button type="button" onClick={() => setOpen(true)}>
        Fill Report
      </button>
      {open && (
        <Modal title="Report on Rosa" onClose={() => setOpen(false)} closeButton={closeButton}>
          {!closeButton && (
            <form>
              <label>
                Notes <input />
              </label>
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit">Submit Report</button>
            </form>
          )}
        </Modal>
      )}
    </>
  );
}

async function openIt(closeButton = false) {
  const user = userEvent.setup();
  render(<Page closeButton={closeButton} />);
  const opener = screen.getByRole('button', { name: 'Fill Report' });
  await user.click(opener);
  return { user, opener, dialog: screen.getByRole('dialog', { name: 'Report on Rosa' }) };
}

describe('Modal', () => {
  it('is a labelled modal dialog and puts focus on its first field', async () => {
    const { dialog } = await openIt();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByRole('textbox', { name: 'Notes' })).toHaveFocus();
  });

  it('keeps Tab and Shift+Tab inside', async () => {
    const { user } = await openIt();
    const notes = screen.getByRole('textbox', { name: 'Notes' });
    const submit = screen.getByRole('button', { name: 'Submit Report' });
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(submit).toHaveFocus();
    await user.tab();
    expect(notes).toHaveFocus();
    await user.tab({ shift: true });
    expect(submit).toHaveFocus();
  });

  it("keeps WebKitGTK's Shift+Tab inside from the first control", async () => {
    await openIt();
    const notes = screen.getByRole('textbox', { name: 'Notes' });
    expect(notes).toHaveFocus();
    // WebKitGTK names Shift+Tab "Unidentified" (GTK's ISO_Left_Tab), on the Tab key.
    const press = new KeyboardEvent('keydown', { key: 'Unidentified', code: 'Tab', shiftKey: true, bubbles: true, cancelable: true });
    notes.dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true);
    expect(screen.getByRole('button', { name: 'Submit Report' })).toHaveFocus();
  });

  it('brings back focus that leaves it another way', async () => {
    await openIt();
    screen.getByRole('button', { name: 'Cancel' }).focus();
    screen.getByRole('button', { name: 'Before' }).focus();
    expect(screen.getByRole('textbox', { name: 'Notes' })).toHaveFocus();
    // Leaving from the first control (as Shift+Tab does) wraps to the last.
    screen.getByRole('button', { name: 'Before' }).focus();
    expect(screen.getByRole('button', { name: 'Submit Report' })).toHaveFocus();
  });

  it('closes on Escape and returns focus to the control that opened it', async () => {
    const { user, opener } = await openIt();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('returns focus to the opener when closed by a button inside', async () => {
    const { user, opener } = await openIt();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('closes on a click on the backdrop, not on one inside', async () => {
    const { user, dialog } = await openIt();
    await user.click(dialog);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.click(dialog.parentElement!);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('with only a Close button, focuses it and Tab stays on it', async () => {
    const { user, opener } = await openIt(true);
    const close = screen.getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();
    await user.tab();
    expect(close).toHaveFocus();
    await user.click(close);
    expect(opener).toHaveFocus();
  });
});
