// The volunteer's path through the demo, in the real window's UI served by
// `wails dev` (real Go bindings, embedded server, simulated contacts).
// Controls are found by role and accessible name, as a screen reader would.
//
// One app and one page for every test, in this order: each starts where the
// one before left the app (signed in, a thread open, what was texted,
// blocked or reassigned). The steps live in flows/<feature>.mjs; the page,
// its error guard, axe, screenshots and polling in session.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSession, openSession, pageErrors } from './session.mjs';
import { signOutInAndUp } from './flows/accounts.mjs';
import { repliesAndFollowUp } from './flows/conversation.mjs';
import { adminSection, blockRudeContact, reassignConversation } from './flows/handoff.mjs';
import { archiveFromTheList, filtersByActionType, searchByMiddleOfName } from './flows/inbox.mjs';
import { fillReport, optOutBanner } from './flows/report.mjs';
import { actionIntroRules, joinAndSendBatch } from './flows/send.mjs';
import { outboxAndAutomaticArchive, settingsAndShortcuts } from './flows/settings.mjs';
import { smallestWindow, zoomAndLargeFont } from './flows/zoom.mjs';
import { adminAtTheSmallestWindow, halfScreenAndLargeText } from './flows/halfscreen.mjs';
import { secondCampaignUnread } from './flows/campaigns.mjs';

before(openSession);
after(closeSession);

test('join, send, Text Again, replies arrive, Follow Up', async () => {
  await joinAndSendBatch();
  await repliesAndFollowUp();
});
test('search finds a contact by the middle of their name', searchByMiddleOfName);
test('archive threads from the list (button and E); a reply brings one back into All', archiveFromTheList);
test('Friends, Team and Canvassing show their threads', filtersByActionType);
test('the Outbox and the Automatic Archive Setting', outboxAndAutomaticArchive);
test('Settings and the keyboard shortcuts sheet pass axe; ? opens the sheet, Esc closes it', settingsAndShortcuts);
test('sign out, the sign-in and sign-up screens against the real server', signOutInAndUp);
test('at 200% zoom every main screen keeps its width; with a larger font, rows grow instead of overlapping', zoomAndLargeFont);
test('at 640x560 and at half a 1366x768 screen with 150% text every screen keeps its width, and Send, Start and the report\'s buttons are in view', halfScreenAndLargeText);

// ---- issue 7: what a volunteer does after the first text ----

test('the action intro shows the texting hours and the batch size', actionIntroRules);
test('Fill Report with a toggle and a choice; the thread shows the latest values', fillReport);
test('a contact asks in their own words to stop: the banner opts them out', optOutBanner);
test('block a rude contact: the thread leaves the inbox', blockRudeContact);
test('Reassign Conversation: the thread leaves the inbox', reassignConversation);
test('the demo organizer sees the Admin section; the volunteer does not', adminSection);
test('at 900x560 the conversation fits without scrolling, keeps its messages, and the report its buttons', smallestWindow);
test('at the smallest window the Admin section and each of its parts keep to its width', adminAtTheSmallestWindow);

test('a second campaign: its unread replies are named beside the switcher, one click from its Unread', secondCampaignUnread);

// Anything the page reported as an error (session.mjs's guard) fails the run.
test('the page logged no errors', () => {
  assert.deepEqual(pageErrors, []);
});
