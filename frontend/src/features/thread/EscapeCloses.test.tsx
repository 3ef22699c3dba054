import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';

// DESIGN.md: Esc closes menus and dialogs, never a pane; focus goes back to the control that
// opened them, and the conversation stays open behind.

async function escapeReturnsTo(opener: string, popup: () => Promise<HTMLElement>) {
  const { user } = await openThread(aThreadView({ allowFreeText: true }));
  const button = await screen.findByRole('button', { name: opener });
  await user.click(button);
  const open = await popup();
  await waitFor(() => expect(open).toContainElement(document.activeElement as HTMLElement));
  await user.keyboard('{Escape}');
  await waitFor(() => expect(open).not.toBeInTheDocument());
  expect(button).toHaveFocus();
  expect(screen.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
}

describe('Esc in a conversation', () => {
  it('closes the Follow Up menu, focus back on Follow Up', async () => {
    await escapeReturnsTo('Follow Up', () => screen.findByRole('menu', { name: 'Response scripts' }));
  });

  it('closes Fill Report without saving, focus back on Fill Report', async () => {
    await escapeReturnsTo('Fill Report', () => screen.findByRole('dialog', { name: 'Report on Ada Lovelace' }));
    expect(fake.submitReport).not.toHaveBeenCalled();
  });

  it('closes Reassign Conversation, focus back on its button', async () => {
    fake.reassignTargets.mockResolvedValue([{ id: 'admin', name: 'Orla Organizer', email: '' }]);
    await escapeReturnsTo('Reassign Conversation', () => screen.findByRole('dialog', { name: 'Reassign Conversation' }));
    expect(fake.reassign).not.toHaveBeenCalled();
  });

  it('closes Reassign All Conversations, focus back on its button', async () => {
    fake.reassignTargets.mockResolvedValue([{ id: 'admin', name: 'Orla Organizer', email: '' }]);
    await escapeReturnsTo('Reassign All Conversations', () => screen.findByRole('dialog', { name: 'Reassign All Conversations' }));
  });

  it('closes Report abuse without blocking, focus back on Report abuse', async () => {
    await escapeReturnsTo('Report abuse', () => screen.findByRole('dialog', { name: /^Report abuse by/ }));
    expect(fake.blockContact).not.toHaveBeenCalled();
  });

  it('closes the Follow Up menu reached by the keyboard alone (F), focus on Follow Up', async () => {
    const { user } = await openThread(aThreadView({ allowFreeText: true }));
    await user.keyboard('f');
    const menu = await screen.findByRole('menu', { name: 'Response scripts' });
    await waitFor(() => expect(within(menu).getAllByRole('menuitem')[0]).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(menu).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Follow Up' })).toHaveFocus();
  });
});
