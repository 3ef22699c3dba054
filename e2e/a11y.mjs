// Accessibility checks for the Playwright flows: axe-core injected into the
// page (every rule axe runs by default, WCAG 2.2 AA and best practices), and
// the keyboard's whereabouts: what has focus and how visible its ring is.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe on the page as it is, in the light and the dark scheme; fails on any violation. */
export async function assertNoViolations(page, screen, { shots } = {}) {
  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let the new colours paint before axe reads them.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (shots) await page.screenshot({ path: `${shots}axe-${screen}-${scheme}.png` });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
      }));
    });
    for (const v of violations) found.push(`[${screen}, ${scheme}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
    // axe skips disabled controls (WCAG exempts them); ours must stay readable all the same.
    for (const d of await disabledButtons(page)) {
      if (d.contrast < 4.5) found.push(`[${screen}, ${scheme}] disabled-contrast: "${d.name}" is ${d.fg} on ${d.bg}, ${d.contrast.toFixed(2)}:1, under 4.5:1`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(found, [], `axe found violations:\n${found.join('\n')}`);
}

/** What has focus, as a screen reader would name it. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { body: true, text: 'the page body' };
    const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '';
    return {
      body: false,
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role') || '',
      id: el.id,
      cls: el.className || '',
      name: name.replace(/\s+/g, ' ').trim(),
      text: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} class="${el.className}"> "${name.trim().slice(0, 60)}"`,
    };
  });
}

/**
 * What has focus once `wanted` holds, or after `timeout` ms what has it then:
 * for focus a component places in an effect after the element a test waited
 * for appeared (a dialog's first field, a menu's first item), which a busy
 * machine may run a frame or two later.
 */
export async function focusedSoon(page, wanted, timeout = 3_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const f = await focused(page);
    if (wanted(f) || Date.now() >= deadline) return f;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Presses Tab (or Shift+Tab) until the focused control matches, at most `max` times. */
export async function tabTo(page, matches, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (!f.body && matches(f)) return f;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached the control (last: ${(await focused(page)).text})`);
}

/**
 * The focus ring of the focused element: its style and its contrast against
 * the colour behind it (the element's own background for a ring drawn inside
 * it, else its parent's), as WCAG's non-text contrast asks.
 */
export async function focusRing(page) {
  await page.evaluate(installColours);
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const { parse, behind, contrast, css } = window.tbColours;
    const cs = getComputedStyle(el);
    const inside = parseFloat(cs.outlineOffset) < 0;
    const bg = behind(inside ? el : el.parentElement);
    const ring = parse(cs.outlineColor);
    return {
      style: cs.outlineStyle,
      width: parseFloat(cs.outlineWidth),
      ring: cs.outlineColor,
      background: css(bg),
      contrast: contrast(ring, bg),
    };
  });
}

/**
 * Every visible disabled button with words: the contrast of its words
 * against its fill as painted, opacity included (a faded button is as
 * hard to read as its blend).
 */
export async function disabledButtons(page) {
  await page.evaluate(installColours);
  return page.evaluate(() => {
    const { parse, behind, blend, contrast, css } = window.tbColours;
    const out = [];
    for (const el of document.querySelectorAll('button:disabled')) {
      const name = el.textContent.replace(/\s+/g, ' ').trim();
      if (!name || el.getClientRects().length === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
      const cs = getComputedStyle(el);
      const under = behind(el.parentElement);
      const own = parse(cs.backgroundColor);
      const fill = own && own.a > 0 ? blend(own, own.a, under) : under;
      const text = parse(cs.color);
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
      const bg = blend(fill, opacity, under);
      const fg = blend(blend(text, text.a, fill), opacity, under);
      out.push({ name: name.slice(0, 40), fg: css(fg), bg: css(bg), contrast: contrast(fg, bg) });
    }
    return out;
  });
}

/** Colour arithmetic for the checks above, put on the page once. */
function installColours() {
  if (window.tbColours) return;
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) =>
    [r, g, b]
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  // The first painted background from el outwards; white past the root.
  const behind = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const blend = (top, a, under) => ({
    r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a), b: top.b * a + under.b * (1 - a), a: 1,
  });
  const contrast = (x, y) => {
    const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const css = ({ r, g, b }) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
  window.tbColours = { parse, behind, blend, contrast, css };
}

/** Asserts the focused control shows a ring of at least 3:1 against what is behind it. */
export async function assertVisibleRing(page, where) {
  const ring = await focusRing(page);
  assert.ok(ring, `${where}: something has focus`);
  assert.notEqual(ring.style, 'none', `${where}: the focused control shows a ring`);
  assert.ok(ring.width >= 2, `${where}: the ring is at least 2px wide (${ring.width})`);
  assert.ok(ring.contrast >= 3, `${where}: ring ${ring.ring} on ${ring.background} is ${ring.contrast.toFixed(2)}:1, under 3:1`);
  return ring;
}
