import { screen, waitFor } from '@testing-library/react';
import { AutoArchive } from './AutoArchive';
import * as fake from '../../test/fakeBackend';
import { renderScreen } from '../../test/render';
import { deferred } from '../../test/fixtures';

describe('AutoArchive', () => {
  it('shows the stored setting and turns it on at once', async () => {
    const pending = deferred<void>();
    fake.setAutoArchive.mockReturnValue(pending.promise);
    const { user } = renderScreen(<AutoArchive />);
    const toggle = await screen.findByRole('switch', { name: 'Automatic archive' });
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(fake.setAutoArchive).toHaveBeenCalledWith(true);
    expect(toggle).toBeChecked();
    pending.resolve();
  });

  it('a refused change goes back and says why', async () => {
    fake.settings.mockResolvedValue({ autoArchive: true });
    fake.setAutoArchive.mockRejectedValue('the local cache could not be written');
    const { user } = renderScreen(<AutoArchive />);
    const toggle = await screen.findByRole('switch', { name: 'Automatic archive' });
    await waitFor(() => expect(toggle).toBeChecked());
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('The local cache could not be written.');
    expect(toggle).toBeChecked();
  });
});
