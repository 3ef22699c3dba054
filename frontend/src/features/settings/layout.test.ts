import { describe, expect, it } from 'vitest';
import { layoutFor } from './hooks';

describe('layoutFor', () => {
  it('folds at 64 and 52 of the app rem, as the CSS did at the default size', () => {
    expect(layoutFor(1280, 16)).toBe('wide');
    expect(layoutFor(1024, 16)).toBe('medium'); // 64rem exactly, as max-width: 64rem
    expect(layoutFor(900, 16)).toBe('medium'); // the smallest window the app allows
    expect(layoutFor(832, 16)).toBe('narrow');
    expect(layoutFor(640, 16)).toBe('narrow'); // 200% zoom of 1280
  });

  it('folds sooner with a larger Text size', () => {
    expect(layoutFor(1280, 16 * 1.25)).toBe('medium'); // 64 rem of 20px
    expect(layoutFor(1280, 32)).toBe('narrow'); // 200%: 40 rem
    expect(layoutFor(900, 16 * 1.5)).toBe('narrow');
    expect(layoutFor(1280, 16 * 0.75)).toBe('wide');
  });

  it('takes an unreadable font size as the default', () => {
    expect(layoutFor(1280, NaN)).toBe('wide');
    expect(layoutFor(900, 0)).toBe('medium');
  });
});
