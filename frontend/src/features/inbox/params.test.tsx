import { act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/render';
import { useInboxParams } from './hooks';

let params: ReturnType<typeof useInboxParams> | null = null;
function Probe() {
  params = useInboxParams();
  return null;
}

describe('the inbox URL', () => {
  // The e2e flake under heavy load: the search box's debounced clear fired
  // after a filter click but before it had rendered, and wrote the old
  // filter back from its stale copy of the URL.
  it('keeps a filter chosen just before a search change lands, and the other way round', async () => {
    const { router } = renderScreen(<Probe />, { pattern: '/c/:campaignId', path: '/c/c1?q=ada' });
    act(() => {
      params!.setFilter('friends');
      params!.setQuery('');
    });
    expect(new URLSearchParams(router.state.location.search).get('filter')).toBe('friends');
    expect(new URLSearchParams(router.state.location.search).get('q')).toBeNull();
    act(() => {
      params!.setQuery('lov');
      params!.setFilter('unread');
    });
    const now = new URLSearchParams(router.state.location.search);
    expect([now.get('filter'), now.get('q')]).toEqual(['unread', 'lov']);
  });
});
