import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrowingTextarea } from './GrowingTextarea';

// jsdom lays nothing out: the box's measures are given as a browser would
// give them for a text of `lines` lines of 20px, 8px of padding each side
// and 1px borders, in a box of two rows.
function measure(lines: () => number) {
  vi.spyOn(HTMLTextAreaElement.prototype, 'scrollHeight', 'get').mockImplementation(() => lines() * 20 + 16);
  vi.spyOn(HTMLTextAreaElement.prototype, 'clientHeight', 'get').mockImplementation(() => 2 * 20 + 16);
  vi.spyOn(HTMLTextAreaElement.prototype, 'offsetHeight', 'get').mockImplementation(() => 2 * 20 + 16 + 2);
}

function Box({ maxLines, initial }: { maxLines?: number; initial: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <GrowingTextarea aria-label="Note" maxLines={maxLines} value={value} onChange={(e) => setValue(e.target.value)} style={{ lineHeight: '20px', padding: '8px' }} />
      <button onClick={() => setValue('')}>Clear</button>
    </>
  );
}

describe('GrowingTextarea', () => {
  afterEach(() => vi.restoreAllMocks());

  it('grows with its text to show it whole, up to maxLines, then scrolls', () => {
    let lines = 5;
    measure(() => lines);
    render(<Box maxLines={8} initial="five lines" />);
    const box = screen.getByRole('textbox', { name: 'Note' });
    expect(box.style.height).toBe(`${5 * 20 + 16 + 2}px`);
    lines = 12;
    fireEvent.change(box, { target: { value: 'twelve lines' } });
    expect(box.style.height).toBe(`${8 * 20 + 16 + 2}px`);
  });

  it('keeps its rows for text that fits them, and goes back to them when emptied', () => {
    let lines = 4;
    measure(() => lines);
    render(<Box initial="four lines" />);
    const box = screen.getByRole('textbox', { name: 'Note' });
    expect(box.style.height).not.toBe('');
    lines = 1;
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(box.style.height).toBe('');
  });
});
