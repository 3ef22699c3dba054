import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';

// The keyboard in an open conversation: where focus goes, what is said, which keys are whose.

describe('Follow Up menu', () => {
  it('letters typed in the open menu are not shortcuts for the conversation behind it', async () => {
    const { user } = await openThread(aThreadView({ allowFreeText: true }));
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    const menu = screen.getByRole('menu');
    await waitFor(() => expect(within(menu).getAllByRole('menuitem')[0]).toHaveFocus());
    await user.keyboard('e');
    await user.keyboard('p');
    await user.keyboard('r');
    expect(fake.archive).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(within(menu).getAllByRole('menuitem')[0]).toHaveFocus();
  });
});

describe('Send with scripts only', () => {
  it('puts focus on Follow Up after Send (there is no reply box, and Send is disabled)', async () => {
    const { user } = await openThread(aThreadView({ allowFreeText: false }));
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    await user.click(screen.getAllByRole('menuitem')[1]);
    const send = screen.getByRole('button', { name: 'Send' });
    await waitFor(() => expect(send).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(fake.sendReply).toHaveBeenCalledWith('t1', 'Thank you, Ada!', 'rs2'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Follow Up' })).toHaveFocus());
  });
});

describe('Reply box', () => {
  it('Esc leaves it for the messages, where the letter shortcuts work again', async () => {
    const { user } = await openThread(aThreadView({ allowFreeText: true }));
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.click(box);
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('message-list')).toHaveFocus();
    await user.keyboard('e');
    await waitFor(() => expect(fake.archive).toHaveBeenCalledWith('t1', true));
  });
});

describe('Archive', () => {
  it('says "Archived", then "Moved back to the inbox", politely', async () => {
    const { user } = await openThread(aThreadView());
    // What the Go side answers once it is archived (the conversation is fetched again after).
    const archived = aThreadView();
    archived.thread.archived = true;
    fake.thread.mockResolvedValue(archived);
    await user.click(screen.getByRole('button', { name: 'Archive' }));
    const said = await screen.findByTestId('archive-announcement');
    expect(said).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(said).toHaveTextContent('Archived'));
    await user.click(await screen.findByRole('button', { name: 'Unarchive' }));
    await waitFor(() => expect(screen.getByTestId('archive-announcement')).toHaveTextContent('Moved back to the inbox'));
  });
});

describe('Fill Report opened by P with nothing focused', () => {
  it('Esc gives focus to Fill Report, not the page body', async () => {
    const { user } = await openThread(aThreadView());
    act(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(document.activeElement).toBe(document.body);
    await user.keyboard('p');
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Fill Report' })).toHaveFocus();
  });
});
