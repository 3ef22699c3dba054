import { screen } from '@testing-library/react';
import type { ThreadView as View } from '../backend';
import { ThreadView } from '../features/thread/ThreadView';
import { aThreadView } from './fixtures';
import * as fake from './fakeBackend';
import { renderScreen } from './render';

/**
 * Renders the conversation screen on view (the fake backend answers it) and waits for its heading;
 * search is the inbox's place in the URL ("?filter=unread&q=ana").
 */
export async function openThread(view: View = aThreadView(), search = '') {
  fake.thread.mockResolvedValue(view);
  const utils = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: `/c/c1/thread/t1${search}` });
  await screen.findByRole('heading', { name: view.thread.contactName || view.thread.contactPhone });
  return utils;
}
