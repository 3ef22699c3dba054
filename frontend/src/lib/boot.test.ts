import { waitFor } from '@testing-library/react';
import * as fake from '../test/fakeBackend';
import { makeQueryClient } from './queryClient';
import { prefetchStart } from './boot';
import { keys } from './queryKeys';
import { rememberCampaign } from '../features/session/hooks';
import { pageSize } from '../features/inbox/hooks';

const signedIn = { signedIn: true, connection: 'online', problem: '', pending: 0 };

describe('prefetchStart', () => {
  it('asks for the remembered campaign’s inbox as soon as the status says signed in, each once', async () => {
    rememberCampaign('c1');
    fake.status.mockResolvedValue(signedIn);
    const qc = makeQueryClient();
    prefetchStart(qc, '');
    await waitFor(() => expect(qc.getQueryData(keys.threads('c1', 'all', ''))).toBeDefined());
    expect(fake.threads).toHaveBeenCalledTimes(1);
    expect(fake.threads).toHaveBeenCalledWith('all', 'c1', '', 0, pageSize);
    expect(fake.counts).toHaveBeenCalledWith('c1');
    expect(fake.campaigns).toHaveBeenCalledTimes(1);
    expect(qc.getQueryData(keys.status)).toEqual(signedIn);
  });

  it('takes the campaign from the URL the window opens on', async () => {
    rememberCampaign('c1');
    fake.status.mockResolvedValue(signedIn);
    const qc = makeQueryClient();
    prefetchStart(qc, '#/c/c2');
    await waitFor(() => expect(fake.threads).toHaveBeenCalledWith('all', 'c2', '', 0, pageSize));
  });

  it('asks for no list on another screen or a filtered one', async () => {
    rememberCampaign('c1');
    fake.status.mockResolvedValue(signedIn);
    for (const hash of ['#/settings', '#/c/c1/thread/t1', '#/c/c1?filter=unread']) {
      const qc = makeQueryClient();
      prefetchStart(qc, hash);
      await waitFor(() => expect(qc.getQueryData(keys.campaigns)).toBeDefined());
    }
    expect(fake.threads).not.toHaveBeenCalled();
  });

  it('signed out: asks for nothing behind the sign-in', async () => {
    rememberCampaign('c1');
    fake.status.mockResolvedValue({ ...signedIn, signedIn: false });
    const qc = makeQueryClient();
    prefetchStart(qc, '');
    await waitFor(() => expect(qc.getQueryData(keys.status)).toBeDefined());
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.campaigns).not.toHaveBeenCalled();
    expect(fake.threads).not.toHaveBeenCalled();
    expect(fake.counts).not.toHaveBeenCalled();
  });
});
