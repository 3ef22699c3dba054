import { act, screen, within } from '@testing-library/react';
import { ThreadView } from './ThreadView';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aThreadView, deferred } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import { keys } from '../../lib/queryKeys';

// An admin answering a conversation a volunteer reassigned to them: the
// server offers the other admins only (never the admin themselves).
async function asAdmin() {
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction({ creatorId: 'admin' })]);
  fake.thread.mockResolvedValue(aThreadView());
  const utils = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
  await screen.findByRole('heading', { name: 'Ada Lovelace' });
  return utils;
}

describe('Reassign, for an admin', () => {
  it('the only organizer is told nobody else can take the conversation, not offered buttons that lead nowhere', async () => {
    fake.reassignTargets.mockResolvedValue([]);
    await asAdmin();
    expect(await screen.findByText('Nobody to reassign to: you are the only organizer.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reassign Conversation' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reassign All Conversations' })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('textbankd');
  });

  it('asks again a minute later: an organizer added meanwhile brings the buttons back', async () => {
    fake.reassignTargets.mockResolvedValue([]);
    const { queryClient } = await asAdmin();
    await screen.findByText('Nobody to reassign to: you are the only organizer.');
    // A minute on, the answer is stale (not kept for good, as the cache's default keeps answers).
    const [query] = queryClient.getQueryCache().findAll({ queryKey: keys.every.reassignTargets, exact: false });
    expect(query.observers.map((o) => o.options.staleTime)).toContain(60_000);
    fake.reassignTargets.mockResolvedValue([{ id: 'admin2', name: 'Pat Partner', email: '' }]);
    await act(async () => query.invalidate());
    await act(async () => queryClient.refetchQueries({ stale: true, type: 'active' }));
    expect(await screen.findByRole('button', { name: 'Reassign Conversation' })).toBeInTheDocument();
  });

  it('keeps the buttons when who can take it cannot be asked (offline); the dialog says why', async () => {
    fake.reassignTargets.mockRejectedValue(new Error('the campaign server cannot be reached'));
    const { user } = await asAdmin();
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    expect(await screen.findByRole('dialog', { name: 'Reassign Conversation' })).toHaveTextContent('cannot be reached');
    expect(screen.getByRole('button', { name: 'Reassign' })).toBeDisabled();
  });

  it('an answer of nobody that comes while the dialog is open is said in it, of the one conversation, and the line follows on Cancel', async () => {
    // Offline at first: the buttons stay; asked again when the dialog opens, the server names nobody.
    fake.reassignTargets.mockRejectedValueOnce(new Error('the campaign server cannot be reached')).mockResolvedValue([]);
    const { user } = await asAdmin();
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reassign Conversation' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Nobody else can take this conversation: you are this campaign's only organizer. Whoever runs the campaign server can add another.",
    );
    expect(within(dialog).getByRole('button', { name: 'Reassign' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByText('Nobody to reassign to: you are the only organizer.')).toBeInTheDocument();
  });

  it('Reassign All says it of the conversations it would hand over', async () => {
    fake.reassignTargets.mockRejectedValueOnce(new Error('the campaign server cannot be reached')).mockResolvedValue([]);
    const { user } = await asAdmin();
    await user.click(await screen.findByRole('button', { name: 'Reassign All Conversations' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reassign All Conversations' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/^Nobody else can take these conversations: you are this campaign's only organizer\./);
  });

  it('marks the action’s creator by id, not by place: the first of the others did not create it', async () => {
    // The creator (the admin signed in) is left out by the server: Pat comes first.
    fake.reassignTargets.mockResolvedValue([
      { id: 'admin2', name: 'Pat Partner', email: '' },
      { id: 'admin3', name: 'Quinn Quorum', email: '' },
    ]);
    const { user } = await asAdmin();
    await user.click(screen.getByRole('button', { name: 'Reassign Conversation' }));
    const group = await screen.findByRole('group', { name: 'Hand to' });
    expect(within(group).getByRole('radio', { name: 'Pat Partner' })).toBeChecked();
    expect(group).not.toHaveTextContent('created this action');
  });

  it('a volunteer sees the creator marked', async () => {
    fake.actions.mockResolvedValue([anAction({ creatorId: 'admin' })]);
    fake.reassignTargets.mockResolvedValue([
      { id: 'admin', name: 'Olive Organizer', email: '' },
      { id: 'admin2', name: 'Pat Partner', email: '' },
    ]);
    fake.thread.mockResolvedValue(aThreadView());
    const { user } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    const group = await screen.findByRole('group', { name: 'Hand to' });
    expect(await within(group).findByRole('radio', { name: /^Olive Organizer\s*\(created this action\)$/ })).toBeChecked();
  });

  // With no list to mark them in (one admin offered), the question says it of them, in one conversation or all.
  it('a volunteer offered only the creator reads that they created the action', async () => {
    fake.actions.mockResolvedValue([anAction({ creatorId: 'admin' })]);
    fake.reassignTargets.mockResolvedValue([{ id: 'admin', name: 'Olive Organizer', email: '' }]);
    fake.reassignableCount.mockResolvedValue(3);
    fake.thread.mockResolvedValue(aThreadView());
    const { user } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    let dialog = await screen.findByRole('dialog', { name: 'Reassign Conversation' });
    expect(await within(dialog).findByText('Hand the conversation with Ada Lovelace to Olive Organizer (created this action).')).toBeInTheDocument();
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Reassign All Conversations' }));
    dialog = await screen.findByRole('dialog', { name: 'Reassign All Conversations' });
    expect(
      await within(dialog).findByText('Reassign all 3 conversations you hold in Get Out The Vote to Olive Organizer (created this action)?'),
    ).toBeInTheDocument();
  });

  it('Reassign All says no count until the conversations are counted (never "Reassign 0 Conversations")', async () => {
    const counted = deferred<number>();
    fake.reassignableCount.mockReturnValue(counted.promise);
    fake.reassignTargets.mockResolvedValue([{ id: 'admin', name: 'Olive Organizer', email: '' }]);
    fake.thread.mockResolvedValue(aThreadView());
    const { user } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await user.click(await screen.findByRole('button', { name: 'Reassign All Conversations' }));
    const dialog = screen.getByRole('dialog', { name: 'Reassign All Conversations' });
    expect(await within(dialog).findByText('Counting your conversations in this action…')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Reassign All' })).toBeDisabled();
    expect(dialog).not.toHaveTextContent('0 Conversations');
    await act(async () => counted.resolve(3));
    expect(await within(dialog).findByRole('button', { name: 'Reassign 3 Conversations' })).toBeEnabled();
  });

  it("the note's hint fits what is handed over: one contact's question, or the volunteer's reason for all", async () => {
    fake.reassignableCount.mockResolvedValue(3);
    fake.reassignTargets.mockResolvedValue([{ id: 'admin', name: 'Olive Organizer', email: '' }]);
    fake.thread.mockResolvedValue(aThreadView());
    const { user } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    let dialog = await screen.findByRole('dialog', { name: 'Reassign Conversation' });
    expect(within(dialog).getByRole('textbox', { name: 'Note (optional)' })).toHaveAttribute('placeholder', 'What they asked that you cannot answer');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Reassign All Conversations' }));
    dialog = await screen.findByRole('dialog', { name: 'Reassign All Conversations' });
    expect(within(dialog).getByRole('textbox', { name: 'Note (optional)' })).toHaveAttribute('placeholder', 'Why you are handing them over');
  });
});

// Handed on from admin to admin, a conversation would lose what the volunteer asked: the next
// admin read only the last note. The note starts from the one it came with, who wrote it first.
describe('Reassign onward, for an admin who was handed the conversation', () => {
  it('starts the note from the one it came with, named, and hands that on', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction({ creatorId: 'admin' })]);
    fake.reassignTargets.mockResolvedValue([{ id: 'admin2', name: 'Olive Organizer', email: '' }]);
    const view = aThreadView();
    fake.thread.mockResolvedValue({
      ...view,
      thread: { ...view.thread, reassigned: { fromUserId: 'u9', fromUserName: 'Pat Volunteer', note: 'asks about mail ballots', at: '2026-01-01T10:05:00Z' } },
    });
    const { user } = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reassign Conversation' });
    const note = within(dialog).getByRole('textbox', { name: 'Note (optional)' });
    expect(note).toHaveValue('Pat Volunteer: asks about mail ballots');
    // The dialog puts focus in it, with the caret after the words it starts from, not before them.
    expect(note).toHaveFocus();
    expect(note).toHaveProperty('selectionStart', 'Pat Volunteer: asks about mail ballots'.length);
    await user.keyboard(' Olive ran the mail drive.');
    await user.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    expect(fake.reassign).toHaveBeenCalledWith('t1', 'admin2', 'Pat Volunteer: asks about mail ballots Olive ran the mail drive.');
  });

  it('starts empty for a conversation that came with no note, or was never handed over', async () => {
    fake.reassignTargets.mockResolvedValue([{ id: 'admin2', name: 'Olive Organizer', email: '' }]);
    const { user } = await asAdmin();
    await user.click(await screen.findByRole('button', { name: 'Reassign Conversation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reassign Conversation' });
    expect(within(dialog).getByRole('textbox', { name: 'Note (optional)' })).toHaveValue('');
  });
});
