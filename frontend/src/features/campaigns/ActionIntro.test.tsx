import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ActionIntro } from './ActionIntro';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import { keys } from '../../lib/queryKeys';

// The intro reads the action's conversations (Reassign All), so it renders inside the app's providers.
const render = (ui: React.ReactElement) => renderScreen(ui, { pattern: '/c/:campaignId/action/:actionId', path: '/c/c1/action/a1' });

describe('ActionIntro', () => {
  it('shows title, type, description and instructions, then Start', async () => {
    const onStart = vi.fn();
    render(<ActionIntro action={anAction({ type: 'broadcast' })} onStart={onStart} onBackToInbox={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Get Out The Vote' })).toBeInTheDocument();
    expect(screen.getByText('Broadcast')).toBeInTheDocument();
    expect(screen.getByText('Remind supporters to vote on Tuesday.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Instructions' })).toBeInTheDocument();
    expect(screen.getByText('Be friendly. Stop if they ask you to.')).toBeInTheDocument();
    // Focus lands on Start: it says which action it starts.
    expect(screen.getByRole('button', { name: 'Start' })).toHaveAccessibleDescription(anAction({ type: 'broadcast' }).title);
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart).toHaveBeenCalled();
    expect(screen.queryByText(/This campaign is archived/)).not.toBeInTheDocument();
  });

  // Start only led to the send screen's All done: the intro says it, in its words, with its buttons.
  it('with no one left to text says All done instead of Start, with Back to the inbox and Text Again', async () => {
    fake.queue.mockResolvedValue({ action: anAction(), items: [], remaining: 0 });
    const onStart = vi.fn();
    const onBackToInbox = vi.fn();
    render(<ActionIntro action={anAction()} onStart={onStart} onBackToInbox={onBackToInbox} />);
    expect(await screen.findByRole('heading', { name: 'All done' })).toBeInTheDocument();
    expect(screen.getByText('No one is left to text in this action. Replies to your texts come to your inbox.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
    const back = screen.getByRole('button', { name: 'Back to the inbox' });
    expect(back).toHaveClass('primary');
    expect(back).toHaveFocus();
    expect(fake.queue).toHaveBeenCalledWith('a1');
    await userEvent.click(back);
    expect(onBackToInbox).toHaveBeenCalled();
    // Contacts the organizer adds later are asked for on the send screen, as there.
    const again = screen.getByRole('button', { name: 'Text Again' });
    expect(again).not.toHaveClass('primary');
    await userEvent.click(again);
    expect(onStart).toHaveBeenCalled();
  });

  it('offers Start while contacts wait here or the count is not known yet', async () => {
    for (const queued of [{ items: [], remaining: -1 }, { items: [{ contactId: 'k1', name: 'Ada Lovelace', phone: '+12025550143', phoneDisplay: '(202) 555-0143', body: 'Hi', segments: 1 }], remaining: 0 }]) {
      fake.queue.mockResolvedValue({ action: anAction(), ...queued });
      const { unmount, queryClient } = render(<ActionIntro action={anAction()} onStart={vi.fn()} onBackToInbox={vi.fn()} />);
      // Both answers in (the queue, and the campaign the contact line reads), then Start is still there.
      await waitFor(() => expect(queryClient.getQueryState(keys.queue('a1'))?.status).toBe('success'));
      await waitFor(() => expect(queryClient.getQueryState(keys.campaigns)?.status).toBe('success'));
      expect(screen.getByRole('button', { name: 'Start' })).toBeInTheDocument();
      expect(screen.queryByRole('heading', { name: 'All done' })).not.toBeInTheDocument();
      unmount();
    }
  });

  // Start (and Text Again) could only bring the server's refusal: an archive is for good.
  it('says so when the campaign is archived, with Back to the inbox instead of Start', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ archived: true })]);
    for (const queued of [{ items: [], remaining: -1 }, { items: [], remaining: 0 }]) {
      fake.queue.mockResolvedValue({ action: anAction(), ...queued });
      const onStart = vi.fn();
      const onBackToInbox = vi.fn();
      const { unmount, queryClient } = render(<ActionIntro action={anAction()} onStart={onStart} onBackToInbox={onBackToInbox} />);
      expect(await screen.findByText('This campaign is archived: no more first texts go out. You can still answer your conversations in the inbox.')).toBeInTheDocument();
      await waitFor(() => expect(queryClient.getQueryState(keys.queue('a1'))?.status).toBe('success'));
      expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Text Again' })).not.toBeInTheDocument();
      const back = screen.getByRole('button', { name: 'Back to the inbox' });
      expect(back).toHaveClass('primary');
      await userEvent.click(back);
      expect(onBackToInbox).toHaveBeenCalled();
      expect(onStart).not.toHaveBeenCalled();
      unmount();
    }
  });
});

describe('ActionIntro line breaks', () => {
  /** The paragraph whose text starts with `start`. */
  function paragraphStarting(start: string): HTMLElement {
    return screen.getByText((_, el) => el?.tagName === 'P' && (el.textContent ?? '').startsWith(start));
  }

  it('keeps the single line breaks of instructions written as steps, and blank lines as paragraphs', () => {
    const instructions = '1. Say hi\n2. Ask about voting\n3. File a report\n\nBe kind; never argue.';
    render(<ActionIntro action={anAction({ instructions })} onStart={() => {}} onBackToInbox={() => {}} />);
    // Without the breaks, the three steps read as one run-on line.
    expect(paragraphStarting('1. Say hi').innerHTML).toBe('1. Say hi<br>2. Ask about voting<br>3. File a report');
    expect(paragraphStarting('Be kind').innerHTML).toBe('Be kind; never argue.');
  });

  it('keeps the line breaks of the description', () => {
    const description = 'Election day is Tuesday.\nPolls open 7am to 8pm.';
    render(<ActionIntro action={anAction({ description })} onStart={() => {}} onBackToInbox={() => {}} />);
    expect(paragraphStarting('Election day').innerHTML).toBe('Election day is Tuesday.<br>Polls open 7am to 8pm.');
  });

  it('says there are no instructions when they hold only blank lines', () => {
    render(<ActionIntro action={anAction({ instructions: ' \n\n ' })} onStart={() => {}} onBackToInbox={() => {}} />);
    expect(screen.getByText('No instructions for this action.')).toBeInTheDocument();
  });
});

describe('ActionIntro: Reassign All Conversations from the action', () => {
  it('offers to hand over every conversation the volunteer holds, and does', async () => {
    fake.reassignableCount.mockResolvedValue(7);
    fake.reassignAll.mockResolvedValue(7);
    const { user, router } = render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    const section = await screen.findByRole('region', { name: 'Your conversations' });
    expect(section).toHaveTextContent('You hold 7 conversations of this action.');
    await user.click(within(section).getByRole('button', { name: 'Reassign All Conversations' }));
    const dialog = screen.getByRole('dialog', { name: 'Reassign All Conversations' });
    expect(await within(dialog).findByText('Reassign all 7 conversations you hold in Get Out The Vote to Olive Organizer?')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Reassign 7 Conversations' }));
    expect(fake.reassignAll).toHaveBeenCalledWith('a1', 'admin', '');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.state).toEqual({ done: '7 conversations of Get Out The Vote are now with Olive Organizer.' });
  });

  it('is not there while the volunteer holds none of its conversations', async () => {
    fake.reassignableCount.mockResolvedValue(0);
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    await waitFor(() => expect(fake.reassignableCount).toHaveBeenCalledWith('a1'));
    expect(screen.queryByRole('button', { name: 'Reassign All Conversations' })).not.toBeInTheDocument();
    expect(fake.reassignTargets).not.toHaveBeenCalled();
  });

  it('is not there when nobody could take them', async () => {
    fake.reassignableCount.mockResolvedValue(3);
    fake.reassignTargets.mockResolvedValue([]);
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    await waitFor(() => expect(fake.reassignTargets).toHaveBeenCalledWith('a1'));
    expect(screen.queryByRole('region', { name: 'Your conversations' })).not.toBeInTheDocument();
  });
});

describe('ActionIntro: the number texts go from', () => {
  it('names the campaign’s number the volunteer texts from, and that contacts never see their own', () => {
    render(<ActionIntro action={anAction({ sendingNumber: '+12025550180', sendingNumberDisplay: '(202) 555-0180' })} onStart={() => {}} onBackToInbox={() => {}} />);
    // Once, in a sentence of its own (not again among the rules).
    expect(screen.getByRole('list', { name: 'Texting rules' })).not.toHaveTextContent('555-0180');
    expect(screen.getByText('(202) 555-0180 is a number the campaign assigned you: contacts see it, never your own phone number.')).toBeInTheDocument();
  });

  it('before a number is assigned, still says contacts never see the volunteer’s own', () => {
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    expect(screen.getByRole('list', { name: 'Texting rules' })).not.toHaveTextContent('Texts go from');
    expect(screen.getByText('Texts go from a number the campaign assigns you: contacts never see your own phone number.')).toBeInTheDocument();
  });
});

describe('ActionIntro: whom to ask', () => {
  it('names the campaign’s contact when the campaign file gives one', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ contact: 'Orla Ortiz, orla@example.org' })]);
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    expect(await screen.findByText('Questions about the campaign: Orla Ortiz, orla@example.org')).toBeInTheDocument();
  });

  it('tells an organizer whom volunteers are sent to', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin', contact: 'Orla Ortiz, orla@example.org' })]);
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    expect(await screen.findByText('Volunteers with questions are told to ask: Orla Ortiz, orla@example.org')).toBeInTheDocument();
    expect(screen.queryByText(/Questions about the campaign/)).not.toBeInTheDocument();
  });

  it('names nobody when it gives none', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    render(<ActionIntro action={anAction()} onStart={() => {}} onBackToInbox={() => {}} />);
    await waitFor(() => expect(fake.campaigns).toHaveBeenCalled());
    expect(screen.queryByText(/Questions about the campaign/)).not.toBeInTheDocument();
  });
});
