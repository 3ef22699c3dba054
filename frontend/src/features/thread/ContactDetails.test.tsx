import { act, screen } from '@testing-library/react';
import { aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';

// jsdom lays nothing out: the details' sizes are set by hand, and the stub's callbacks run as the
// browser's would when the window is resized.
const resized: (() => void)[] = [];
class FakeResizeObserver {
  constructor(cb: () => void) {
    resized.push(cb);
  }
  observe() {}
  disconnect() {}
}

/** The details line as laid out: as many px as `size` says, in a box of `box`. */
function laidOut(el: HTMLElement, size: { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number }) {
  for (const k of Object.keys(size) as (keyof typeof size)[]) Object.defineProperty(el, k, { configurable: true, get: () => size[k] });
  act(() => resized.forEach((cb) => cb()));
}

// Cut to its lines in the wider layouts, the contact's details had no way to the rest from the
// keyboard (a long polling place could not be read): Show all, as the reassign note has.
describe('the contact’s details in the conversation header', () => {
  beforeEach(() => {
    resized.length = 0;
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  });
  afterEach(() => vi.unstubAllGlobals());

  const view = () =>
    aThreadView({
      contactDetails: [
        { key: 'zip', label: 'ZIP', value: '62701' },
        { key: 'polling_place', label: 'Polling place', value: 'Lincoln Elementary School Gymnasium, 1234 North Riverside Boulevard' },
        { key: 'precinct', label: 'Precinct', value: 'Springfield Ward 12 Precinct 7 (North)' },
      ],
    });

  it('cut to their lines, offer Show all, a button the keyboard reaches, and Show less after', async () => {
    const { user } = await openThread(view());
    const details = screen.getByLabelText('Contact details');
    expect(screen.queryByRole('button', { name: /contact details/ })).not.toBeInTheDocument();
    laidOut(details, { scrollWidth: 600, clientWidth: 600, scrollHeight: 140, clientHeight: 58 });
    const more = screen.getByRole('button', { name: 'Show all contact details' });
    expect(more).toHaveTextContent('Show all');
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(more).toHaveAttribute('aria-controls', details.id);
    await user.click(more);
    expect(details).toHaveClass('all');
    const less = screen.getByRole('button', { name: 'Show less of the contact details' });
    expect(less).toHaveFocus();
    expect(less).toHaveAttribute('aria-expanded', 'true');
    expect(less).toHaveTextContent('Show less');
    await user.keyboard('{Enter}');
    expect(details).not.toHaveClass('all');
    expect(screen.getByRole('button', { name: 'Show all contact details' })).toHaveFocus();
  });

  it('cut at the end of one line (a short window, an ellipsis) offer it too', async () => {
    await openThread(view());
    laidOut(screen.getByLabelText('Contact details'), { scrollWidth: 900, clientWidth: 500, scrollHeight: 20, clientHeight: 20 });
    expect(screen.getByRole('button', { name: 'Show all contact details' })).toBeInTheDocument();
  });

  it('whole, offer nothing', async () => {
    await openThread(view());
    laidOut(screen.getByLabelText('Contact details'), { scrollWidth: 500, clientWidth: 500, scrollHeight: 40, clientHeight: 40 });
    expect(screen.queryByRole('button', { name: /contact details/ })).not.toBeInTheDocument();
  });
});
