import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ActionIntro } from './ActionIntro';
import { anAction } from '../../test/fixtures';

describe('ActionIntro', () => {
  it('shows title, type, description and instructions, then Start', async () => {
    const onStart = vi.fn();
    render(<ActionIntro action={anAction({ type: 'broadcast' })} onStart={onStart} />);
    expect(screen.getByRole('heading', { name: 'Get Out The Vote' })).toBeInTheDocument();
    expect(screen.getByText('Broadcast')).toBeInTheDocument();
    expect(screen.getByText('Remind supporters to vote on Tuesday.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Instructions' })).toBeInTheDocument();
    expect(screen.getByText('Be friendly. Stop if they ask you to.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart).toHaveBeenCalled();
  });
});

describe('ActionIntro line breaks', () => {
  /** The paragraph whose text starts with `start`. */
  function paragraphStarting(start: string): HTMLElement {
    return screen.getByText((_, el) => el?.tagName === 'P' && (el.textContent ?? '').startsWith(start));
  }

  it('keeps the single line breaks of instructions written as steps, and blank lines as paragraphs', () => {
    const instructions = '1. Say hi\n2. Ask about voting\n3. File a report\n\nBe kind; never argue.';
    render(<ActionIntro action={anAction({ instructions })} onStart={() => {}} />);
    // Without the breaks, the three steps read as one run-on line.
    expect(paragraphStarting('1. Say hi').innerHTML).toBe('1. Say hi<br>2. Ask about voting<br>3. File a report');
    expect(paragraphStarting('Be kind').innerHTML).toBe('Be kind; never argue.');
  });

  it('keeps the line breaks of the description', () => {
    const description = 'Election day is Tuesday.\nPolls open 7am to 8pm.';
    render(<ActionIntro action={anAction({ description })} onStart={() => {}} />);
    expect(paragraphStarting('Election day').innerHTML).toBe('Election day is Tuesday.<br>Polls open 7am to 8pm.');
  });

  it('says there are no instructions when they hold only blank lines', () => {
    render(<ActionIntro action={anAction({ instructions: ' \n\n ' })} onStart={() => {}} />);
    expect(screen.getByText('No instructions for this action.')).toBeInTheDocument();
  });
});
