import { screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { anAction, anItem } from '../../test/fixtures';
import { renderShell } from '../../test/render';

// Only a press (Start, Text Again) asks the server for a batch: history brings a volunteer
// back to what they hold, or to the action's page, and hands out no one.
describe('the send screen reached through history', () => {
  const action = anAction();
  const none = { action, items: [], remaining: 40 };
  const three = { action, items: [anItem(0), anItem(1), anItem(2)], remaining: 37 };

  it('after Stop for now, Settings and Back: the action with Start, no batch asked', async () => {
    fake.queue.mockResolvedValue(none);
    fake.textAgain.mockImplementation(async () => {
      fake.queue.mockResolvedValue(three);
      return { assigned: 3, heldBack: 0, remaining: 37 };
    });
    fake.release.mockImplementation(async () => {
      fake.queue.mockResolvedValue(none);
      return 3;
    });
    const { user, router } = renderShell('/c/c1/action/a1', { width: 1280 });
    await user.click(await screen.findByRole('button', { name: 'Start' }));
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Stop for now' }));
    await screen.findByRole('button', { name: 'Text Again' });
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await screen.findByRole('radio', { name: 'Dark' });

    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(await screen.findByRole('button', { name: 'Start' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c1/action/a1');
    expect(fake.textAgain).toHaveBeenCalledTimes(1);
    // Forward and Back again: still no batch.
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await screen.findByRole('radio', { name: 'Dark' });
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await screen.findByRole('button', { name: 'Start' });
    expect(fake.textAgain).toHaveBeenCalledTimes(1);
  });

  it('opened at its address (a reload) with contacts held: they show, nothing asked', async () => {
    fake.queue.mockResolvedValue(three);
    renderShell('/c/c1/action/a1/send', { width: 1280 });
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(fake.textAgain).not.toHaveBeenCalled();
  });

  it('opened at its address with no one held: the action with Start, nothing asked', async () => {
    fake.queue.mockResolvedValue(none);
    const { router } = renderShell('/c/c1/action/a1/send', { width: 1280 });
    expect(await screen.findByRole('button', { name: 'Start' })).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1/action/a1'));
    expect(fake.textAgain).not.toHaveBeenCalled();
  });
});
