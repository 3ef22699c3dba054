// Reports of abuse and opt-ins are decided on, not only read: the
// organizer marks the report of the contact blocked earlier reviewed (it
// leaves the list, Show reviewed has it with who, Open Again brings it
// back), and opts the demo's Ida Wells back in after her START, through
// the dialog that says what that does; her conversation then takes a reply.
import assert from 'node:assert/strict';
import { axe, eventually, page, shot } from '../session.mjs';

/** Mark Reviewed and Open Again on the report of abuse on who. */
export async function reviewAbuseReport(who) {
  const abuse = page.getByRole('region', { name: /^Reports of abuse/ });
  await abuse.getByRole('button', { name: `Mark Reviewed: the report on ${who}` }).click();
  await abuse.getByText('1 reviewed report is hidden.').waitFor();
  await abuse.getByRole('button', { name: 'Show reviewed' }).click();
  const reviewed = abuse.getByRole('list', { name: 'Reviewed reports of abuse' });
  await reviewed.getByText(who).waitFor();
  assert.match(await reviewed.innerText(), /Reviewed by Orla Organizer/);
  await axe('abuse-reviewed');
  await shot('abuse-reviewed');
  await reviewed.getByRole('button', { name: `Open Again: the report on ${who}` }).click();
  // The last reviewed report opened again: the reviewed list closes.
  await abuse.getByRole('button', { name: 'Hide reviewed' }).waitFor({ state: 'detached' });
  await abuse.getByRole('button', { name: `Mark Reviewed: the report on ${who}` }).waitFor();
}

/** Opt Back In on the demo's opt-in: the dialog first, then the opt-in reviewed and the conversation open to replies. */
export async function optBackIn() {
  const optIns = page.getByRole('region', { name: /^Opt-ins/ });
  await optIns.getByRole('button', { name: 'Opt Back In: Ida Wells' }).click();
  const dialog = page.getByRole('dialog', { name: 'Opt Ida Wells back in?' });
  assert.match(await dialog.innerText(), /lifts your organization's opt-out of their number: you can reply in the conversation again/);
  await axe('opt-back-in-dialog');
  await shot('opt-back-in-dialog');
  await dialog.getByRole('button', { name: 'Opt Back In' }).click();
  await dialog.waitFor({ state: 'detached' });
  await optIns.getByText('1 reviewed opt-in is hidden.').waitFor();
  await optIns.getByRole('button', { name: 'Show reviewed' }).click();
  const reviewed = optIns.getByRole('list', { name: 'Reviewed opt-ins' });
  await reviewed.getByText(/Opted back in by Orla Organizer/).waitFor();
  assert.equal(await reviewed.getByRole('button', { name: /^Opt Back In/ }).count(), 0, 'opted back in: no Opt Back In left');
  await reviewed.scrollIntoViewIfNeeded();
  await axe('opt-ins-reviewed');
  await shot('opt-ins-reviewed');
  // The organizer holds her conversation: the sync feed says she is opted in again.
  await reviewed.getByRole('button', { name: 'Open the conversation with Ida Wells' }).click();
  await page.getByRole('list', { name: 'Messages' }).getByText('START').waitFor();
  await eventually(async () => (await page.getByText('Ida Wells opted out: they will not be texted again.').count()) === 0,
    'the opted-out notice to leave Ida Wells’s conversation once the sync feed says she opted back in');
  await page.getByText(/^Orla Organizer opted Ida Wells back in on .+, after they texted START: you can text them again\.$/).waitFor();
  await axe('opted-back-in-conversation');
  await shot('opted-back-in-conversation');
  await page.getByRole('button', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
}
