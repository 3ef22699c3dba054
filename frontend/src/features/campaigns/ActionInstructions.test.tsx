import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InstructionsDisclosure } from './ActionInstructions';

// jsdom lays nothing out: the box's sizes are set by hand, and the stub's callbacks run as the
// browser's would when the box opens or the window is resized.
const resized: (() => void)[] = [];
class FakeResizeObserver {
  constructor(cb: () => void) {
    resized.push(cb);
  }
  observe() {}
  disconnect() {}
}

describe('InstructionsDisclosure', () => {
  beforeEach(() => {
    resized.length = 0;
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('opened instructions longer than their box scroll in it, which is then a Tab stop named Instructions', async () => {
    const long = Array.from({ length: 20 }, (_, i) => `Step ${i + 1}: say what the script says.`).join('\n\n');
    const { container } = render(<InstructionsDisclosure text={long} />);
    const user = userEvent.setup();
    const box = container.querySelector<HTMLElement>('.instructions')!;
    const size = { scrollHeight: 0, clientHeight: 0 }; // closed: nothing laid out
    Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => size.scrollHeight });
    Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => size.clientHeight });
    await user.click(screen.getByText('Instructions', { selector: 'summary' }));
    Object.assign(size, { scrollHeight: 900, clientHeight: 192 });
    act(() => resized.forEach((cb) => cb()));
    const region = screen.getByRole('region', { name: 'Instructions' });
    expect(region).toHaveTextContent('Step 20: say what the script says.');
    // The next stop after the summary: the keyboard scrolls it from there.
    await user.tab();
    expect(region).toHaveFocus();
    // Instructions that fit are no stop: nothing to scroll.
    Object.assign(size, { scrollHeight: 192, clientHeight: 192 });
    act(() => resized.forEach((cb) => cb()));
    expect(screen.queryByRole('region', { name: 'Instructions' })).not.toBeInTheDocument();
    expect(box).not.toHaveAttribute('tabindex');
  });
});
