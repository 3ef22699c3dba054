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
