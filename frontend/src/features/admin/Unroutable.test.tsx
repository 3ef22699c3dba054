import { screen, waitFor, within } from '@testing-library/react';
import type { UnroutableText } from '../../backend';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:00:00Z';
const later = '2026-01-02T09:30:00Z';
const ada: UnroutableText = { id: 'u1', from: '+15550003333', fromDisplay: '(555) 000-3333', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'Is this still Vera?', at: later, contactName: 'Ada Lovelace', threadId: 't7', optedOut: false };
const stranger: UnroutableText = { id: 'u2', from: '+15550005555', fromDisplay: '(555) 000-5555', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'wrong number?', at, optedOut: false };

/** The overview answers open, then (once marked) whatever the server says next. */
function admin(unroutable: UnroutableText[], unroutableHandled = 0) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], optIns: [], unroutable, unroutableHandled });
}

function serverNow(unroutable: UnroutableText[], unroutableHandled: number) {
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], optIns: [], unroutable, unroutableHandled });
}

async function section() {
  return screen.findByRole('region', { name: /^Unroutable texts/ });
}

// An organizer deals with the texts that reached nobody: marked handled,
// they leave the list (kept, and shown on request), and can be opened again.
describe('Unroutable texts marked handled', () => {
  it('Mark Handled on a row sends it to the server, takes the text out of the list and says one is hidden', async () => {
    admin([ada, stranger]);
    fake.setUnroutableHandled.mockImplementation(async (_c: string, id: string) => {
      serverNow([ada], 1);
      return { ...stranger, id, handledAt: later, handledBy: 'Olive Organizer' };
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await section();
    expect(within(list).queryByText(/handled text/)).not.toBeInTheDocument();
    await user.click(await within(list).findByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' }));
    expect(fake.setUnroutableHandled).toHaveBeenCalledWith('c1', 'u2', true);
    await waitFor(() => expect(within(list).queryByText('“wrong number?”')).not.toBeInTheDocument());
    expect(within(list).getByText('1 handled text is hidden.')).toBeInTheDocument();
    expect(within(list).getByRole('heading', { name: 'Unroutable texts (1)' })).toBeInTheDocument();
    // Focus does not fall to the page: the section's heading reads the new count.
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (1)' })).toHaveFocus());
    expect(screen.getByRole('navigation', { name: 'Admin sections' })).toHaveTextContent('Unroutable texts (1)');
  });

  it('Mark Handled in the details dialog closes it with the row', async () => {
    admin([ada]);
    fake.setUnroutableHandled.mockImplementation(async () => {
      serverNow([], 1);
      return { ...ada, handledAt: later, handledBy: 'Olive Organizer' };
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await section();
    await user.click(await within(list).findByRole('button', { name: 'Show details of the text from Ada Lovelace ((555) 000-3333)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Text from Ada Lovelace' });
    // One Mark Handled at a time: the dialog's, not the row's behind it.
    expect(screen.getAllByRole('button', { name: /^Mark Handled/ })).toHaveLength(1);
    await user.click(within(dialog).getByRole('button', { name: 'Mark Handled: the text from Ada Lovelace ((555) 000-3333)' }));
    expect(fake.setUnroutableHandled).toHaveBeenCalledWith('c1', 'u1', true);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(list).getByText('Every unroutable text is marked handled.')).toBeInTheDocument();
    expect(within(list).getByText('1 handled text is hidden.')).toBeInTheDocument();
  });

  it('Show handled says when the server sent only the newest of them', async () => {
    admin([ada], 1234);
    const many = Array.from({ length: 200 }, (_, i) => ({ ...stranger, id: `h${i}`, handledAt: later, handledBy: 'Olive Organizer' }));
    fake.handledUnroutable.mockResolvedValue(many);
    const { user } = renderApp('/c/c1/admin');
    const list = await section();
    expect(within(list).getByText(/1,234 handled texts are hidden/)).toBeInTheDocument();
    await user.click(await within(list).findByRole('button', { name: 'Show handled' }));
    expect(await within(list).findByText('Showing the newest 200 of 1,234.')).toBeInTheDocument();
  });

  it('Show handled lists them with who and when; Open Again brings one back', async () => {
    const handled = { ...stranger, handledAt: later, handledBy: 'Olive Organizer' };
    admin([ada], 1);
    fake.handledUnroutable.mockResolvedValue([handled]);
    fake.setUnroutableHandled.mockImplementation(async () => {
      serverNow([ada, stranger], 0);
      fake.handledUnroutable.mockResolvedValue([]);
      return stranger;
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await section();
    expect(fake.handledUnroutable).not.toHaveBeenCalled(); // read only when asked for
    const show = await within(list).findByRole('button', { name: 'Show handled' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await user.click(show);
    expect(fake.handledUnroutable).toHaveBeenCalledWith('c1');
    const handledList = await within(list).findByRole('list', { name: 'Handled unroutable texts' });
    expect(within(list).getByRole('button', { name: 'Hide handled' })).toHaveAttribute('aria-expanded', 'true');
    expect(handledList).toHaveTextContent('wrong number?');
    expect(handledList).toHaveTextContent('Handled by Olive Organizer');
    await user.click(within(handledList).getByRole('button', { name: 'Show details of the text from (555) 000-5555' }));
    const dialog = await screen.findByRole('dialog', { name: 'Text from (555) 000-5555' });
    expect(dialog).toHaveTextContent('HandledBy Olive Organizer');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    await user.click(within(handledList).getByRole('button', { name: 'Open Again: the text from (555) 000-5555' }));
    expect(fake.setUnroutableHandled).toHaveBeenCalledWith('c1', 'u2', false);
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (2)' })).toBeInTheDocument());
    expect(within(list).getByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' })).toBeInTheDocument();
    // The last handled text opened again: the handled list closes, not "Handled (0)" with none in it.
    expect(within(list).queryByText(/Handled \(0\)|No text is marked handled/)).not.toBeInTheDocument();
    expect(within(list).queryByRole('button', { name: /^(Show|Hide) handled$/ })).not.toBeInTheDocument();
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (2)' })).toHaveFocus());

    // Handled again, it is hidden: the list stays closed until asked for.
    fake.setUnroutableHandled.mockImplementation(async () => {
      serverNow([ada], 1);
      return handled;
    });
    await user.click(within(list).getByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' }));
    expect(await within(list).findByText('1 handled text is hidden.')).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: 'Show handled' })).toHaveAttribute('aria-expanded', 'false');
  });

  it('offline, the row says the text was not marked and why, and stays', async () => {
    admin([stranger]);
    fake.setUnroutableHandled.mockRejectedValue(
      'cannot reach the campaign server at http://127.0.0.1:8787: Put "http://127.0.0.1:8787/api/v1/...": dial tcp: connection refused',
    );
    const { user } = renderApp('/c/c1/admin');
    const list = await section();
    await user.click(await within(list).findByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' }));
    expect(await within(list).findByRole('alert')).toHaveTextContent(
      "The text was not marked handled: can't reach the campaign server at http://127.0.0.1:8787. Check your internet connection, or the server address in Settings.",
    );
    expect(within(list).getByText('“wrong number?”')).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' })).toBeEnabled();
  });
});
