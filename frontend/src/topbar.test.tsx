import { screen, within } from '@testing-library/react';
import { renderShell } from './test/render';

// Where the sidebar folds behind Menu (1024 px wide at 100%), the top bar is all that is left of it: as a
// mail client's title names the folder, it names the filter the list shows, else Archive read as the inbox.
describe('the top bar of a smaller window', () => {
  it('names the filter the list shows after the campaign', async () => {
    renderShell('/c/c1?filter=archive', { width: 1024 });
    const bar = await screen.findByRole('banner');
    await within(bar).findByText('Demo for Democracy', { selector: '.sr-only' });
    expect(spoken(bar)).toMatch(/^Menu\s*Demo for Democracy\s*Archive$/);
    expect(bar).toHaveTextContent(/·\s*Archive$/);
  });

  it('names none for All, the inbox itself', async () => {
    renderShell('/c/c1', { width: 1024 });
    const bar = await screen.findByRole('banner');
    await within(bar).findByText('Demo for Democracy', { selector: '.sr-only' });
    expect(spoken(bar)).toMatch(/^Menu\s*Demo for Democracy$/);
  });
});

/** What a screen reader reads of el: its text without what is hidden from them (a cut name's visible halves). */
function spoken(el: HTMLElement): string {
  const copy = el.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  return copy.textContent ?? '';
}
