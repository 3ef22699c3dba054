import { waitFor } from '@testing-library/react';
import * as fake from '../test/fakeBackend';
import { makeQueryClient } from './queryClient';
import { prefetchStart, refreshSeeded, seedFromPage } from './boot';
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

function pageWith(boot: unknown): Document {
  const doc = document.implementation.createHTMLDocument('Textbank');
  const el = doc.createElement('script');
  el.id = 'textbank-boot';
  el.type = 'application/json';
  el.textContent = typeof boot === 'string' ? boot : JSON.stringify(boot);
  doc.head.appendChild(el);
  return doc;
}

const row = { id: 't1', campaignId: 'c1', contactName: 'Ada Bench' };
const boot = {
  pageSize,
  settings: { theme: 'dark' },
  status: signedIn,
  campaigns: [{ id: 'c1', name: 'Vote' }, { id: 'c2', name: 'Other' }],
  inboxSettings: { autoArchive: true },
  actions: { c1: [{ id: 'a1', title: 'Get out the vote' }], c2: null },
  counts: { c1: { all: 1 }, c2: null },
  threads: { c1: [row], c2: null },
};

describe('seedFromPage', () => {
  it('puts the page’s boot data under the screens’ own keys, asking Go for nothing', () => {
    const qc = makeQueryClient();
    const seeded = seedFromPage(qc, pageWith(boot));
    expect(qc.getQueryData(keys.status)).toEqual(signedIn);
    expect(qc.getQueryData(keys.appSettings)).toEqual({ theme: 'dark' });
    expect(qc.getQueryData(keys.campaigns)).toEqual(boot.campaigns);
    expect(qc.getQueryData(keys.settings)).toEqual({ autoArchive: true });
    expect(qc.getQueryData(keys.actions('c1'))).toEqual(boot.actions.c1);
    expect(qc.getQueryData(keys.actions('c2'))).toEqual([]);
    expect(qc.getQueryData(keys.counts('c1'))).toEqual({ all: 1 });
    expect(qc.getQueryData(keys.threads('c1', 'all', ''))).toEqual({ pages: [[row]], pageParams: [0] });
    // Go's nil slice and map arrive as null: an empty campaign, not a broken one.
    expect(qc.getQueryData(keys.counts('c2'))).toEqual({});
    expect(qc.getQueryData(keys.threads('c2', 'all', ''))).toEqual({ pages: [[]], pageParams: [0] });
    expect(seeded).toHaveLength(10);
    expect(fake.status).not.toHaveBeenCalled();
    expect(fake.threads).not.toHaveBeenCalled();
  });

  it('a page without boot data, or with a broken one, seeds nothing', () => {
    for (const doc of [document.implementation.createHTMLDocument('x'), pageWith('{"status":')]) {
      const qc = makeQueryClient();
      expect(seedFromPage(qc, doc)).toEqual([]);
      expect(qc.getQueryData(keys.status)).toBeUndefined();
    }
  });

  it('signed out: only the status and settings', () => {
    const qc = makeQueryClient();
    seedFromPage(qc, pageWith({ ...boot, status: { ...signedIn, signedIn: false } }));
    expect(qc.getQueryData(keys.status)).toMatchObject({ signedIn: false });
    expect(qc.getQueryData(keys.campaigns)).toBeUndefined();
    expect(qc.getQueryData(keys.actions('c1'))).toBeUndefined();
    expect(qc.getQueryData(keys.threads('c1', 'all', ''))).toBeUndefined();
  });

  it('rows paged by another size are left for the list to ask for', () => {
    const qc = makeQueryClient();
    seedFromPage(qc, pageWith({ ...boot, pageSize: pageSize + 1 }));
    expect(qc.getQueryData(keys.campaigns)).toEqual(boot.campaigns);
    expect(qc.getQueryData(keys.threads('c1', 'all', ''))).toBeUndefined();
  });

  it('refreshSeeded marks what the page brought for asking Go again (the screens on show refetch it)', () => {
    const qc = makeQueryClient();
    const seeded = seedFromPage(qc, pageWith(boot));
    refreshSeeded(qc, seeded);
    for (const key of [keys.status, keys.campaigns, keys.counts('c1'), keys.threads('c1', 'all', '')]) {
      expect(qc.getQueryState(key)?.isInvalidated).toBe(true);
    }
  });
});
