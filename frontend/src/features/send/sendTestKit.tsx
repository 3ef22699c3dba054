import { screen } from '@testing-library/react';
import { Send } from './Send';
import * as fake from '../../test/fakeBackend';
import { anAction, anItem } from '../../test/fixtures';
import { renderScreen } from '../../test/render';

// The send screen's tests share one action and a screen showing its first
// contact; Send.test.tsx holds sending, TextAgain.test.tsx the batches.
export const action = anAction();

export function show() {
  return renderScreen(<Send action={action} onBackToInbox={vi.fn()} />);
}

export async function setup(n = 3) {
  fake.queue.mockResolvedValue({ action, items: Array.from({ length: n }, (_, i) => anItem(i)), remaining: 40 });
  const r = show();
  await screen.findByTestId('recipient-name');
  return r;
}
