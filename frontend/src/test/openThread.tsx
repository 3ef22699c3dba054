import { screen } from '@testing-library/react';
import type { ThreadView as View } from '../backend';
import { ThreadView } from '../features/thread/ThreadView';
import { aThreadView } from './fixtures';
import * as fake from './fakeBackend';
import { renderScreen } from './render';

/** Renders the conversation screen on view (the fake backend answers it) and waits for its heading. */
export async function openThread(view: View = aThreadView()) {
  fake.thread.mockResolvedValue(view);
  const utils = renderScreen(<ThreadView threadId="t1" />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t1' });
  await screen.findByRole('heading', { name: view.thread.contactName || view.thread.contactPhone });
  return utils;
}
