// The Admin section's Results: the demo organizer reads each action's
// results per script (what `textbankd stats` prints) after Dana's texts.
import assert from 'node:assert/strict';
import { axe, eventually, page, shot } from '../session.mjs';

/** Results: Get Out The Vote's texts counted, per script and in total; Refresh counts again. */
export async function adminResults() {
  const results = page.getByRole('region', { name: 'Results' });
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('button', { name: 'Results' }).click();
  const gotv = results.getByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
  await gotv.waitFor();
  // The last row is the action's total (or its one script's); its Sent column counts Dana's texts.
  const sent = async () => {
    const cells = await gotv.getByRole('row').last().getByRole('cell').allInnerTexts();
    return Number(cells[1].replace(/,/g, ''));
  };
  await eventually(async () => (await sent()) > 0, "Get Out The Vote's texts counted as sent", 30_000);
  assert.match(await gotv.innerText(), /Contacts\s+Sent\s+Delivered\s+Failed\s+Replies\s+Opt-outs/);
  // Under it, what the reports say per script: reported, and each tag of the report form
  // (the volunteer filed Will vote on a conversation of this action earlier in the run).
  const reports = gotv.locator('xpath=..').getByRole('table', { name: 'What the reports say' });
  assert.match(await reports.innerText(), /Script\s+Reported\s+Will vote\s+Needs a ride/);
  // Then the text and number questions: answered, and a number's answers added up.
  assert.match(await reports.innerText(), /Top issue: answered[\s\S]*Voters in household: sum/);
  const reportsFit = await reports.evaluate((t) => t.scrollWidth <= t.parentElement.clientWidth + 1);
  assert.ok(reportsFit, 'What the reports say fits its action box at 1280 px');
  const reported = Number((await reports.getByRole('row').last().getByRole('cell').first().innerText()).replace(/,/g, ''));
  assert.ok(reported >= 1, `the conversations reported in Get Out The Vote are counted (${reported})`);
  await reports.scrollIntoViewIfNeeded();
  await shot('admin-results-reports');
  // The report form's question (Support) has a table of its own, a column a choice,
  // its headers wrapped so that the five fit the pane.
  const support = gotv.locator('xpath=..').getByRole('table', { name: 'Support' });
  assert.match(await support.innerText(), /Strong Supporter[\s\S]*Strongly Against/);
  const fits = await support.evaluate((t) => t.scrollWidth <= t.parentElement.clientWidth + 1);
  assert.ok(fits, 'the Support table fits its action box at 1280 px');
  await support.scrollIntoViewIfNeeded();
  await shot('admin-results-choices');
  await results.getByRole('button', { name: 'Refresh' }).click();
  await results.getByRole('button', { name: 'Refresh' }).waitFor();
  await page.getByRole('heading', { name: 'Results', level: 2 }).scrollIntoViewIfNeeded();
  await axe('admin-results');
  await shot('admin-results');
  // The app's first window (1200x780): beside the sidebar and the list, every column of the
  // texts' figures shows, Opt-outs too, with no sideways scroll (a rule keyed to the window's
  // width left it behind one there).
  await page.setViewportSize({ width: 1200, height: 780 });
  try {
    await gotv.scrollIntoViewIfNeeded();
    const fit = await gotv.evaluate((t) => ({ scroll: t.scrollWidth, box: t.parentElement.clientWidth }));
    assert.ok(fit.scroll <= fit.box + 1, `the texts' figures fit their action box at 1200 px (${fit.scroll}px in ${fit.box}px)`);
    // What the reports say names each row on one line ("Script" over "1" read as two names).
    const names = await reports.getByRole('rowheader').evaluateAll((ths) =>
      ths.map((th) => {
        const r = document.createRange();
        r.selectNodeContents(th);
        return { name: th.innerText, lines: new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size };
      }),
    );
    for (const n of names) assert.equal(n.lines, 1, `"${n.name}" in What the reports say is on one line at 1200 px`);
    await shot('admin-results-1200');
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  // In a 900x560 window (halfscreen.mjs checks 640x560), the table scrolls in its own
  // box: the Admin pane itself never needs a sideways scroll.
  await page.setViewportSize({ width: 900, height: 560 });
  try {
    await page.getByRole('heading', { name: 'Results', level: 2 }).scrollIntoViewIfNeeded();
    const pane = await page.evaluate(() => {
      const el = document.querySelector('.pane.admin');
      return { scroll: el.scrollWidth, client: el.clientWidth };
    });
    assert.ok(pane.scroll <= pane.client + 1, `the Admin pane fits 900 px (${pane.scroll}px in ${pane.client}px)`);
    await shot('admin-results-small');
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
}
