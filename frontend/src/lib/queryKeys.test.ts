import { countsKeyCampaign, keys, threadsKeyParts } from './queryKeys';

// Every query key and prefix comes from queryKeys.ts: one typed inline
// (['threads'] in an invalidation) drifts from the keys it means to reach
// when they change, and nothing says so.
const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../lib/queryKeys.ts'], { query: '?raw', import: 'default', eager: true });

// A key given as an array literal, or a key's family (its first part) compared to a string.
const inline = /queryKey:\s*\[|(?:get|set)Quer(?:y|ies)Data(?:<[^(]*>)?\(\s*\[|queryKey\[0\]\s*[!=]==?\s*['"`]/;
// A key's part past its family read by position (q.queryKey[3], or
// `const [, campaignId] = key`): queryKeys.ts's readers say what each part is.
const positional = /(?:queryKey|\bkey)\[[1-9]\]|\[\s*,[^\]]*\]\s*=\s*(?:\w+\.)?(?:queryKey|key)\b/;

describe('query keys', () => {
  it('are never spelled inline: every one comes from src/lib/queryKeys', () => {
    const found = Object.entries(sources).flatMap(([file, text]) =>
      text.split('\n').flatMap((line, i) => (inline.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it('are read part by part only through src/lib/queryKeys', () => {
    const found = Object.entries(sources)
      .filter(([file]) => !file.endsWith('queryKeys.test.ts'))
      .flatMap(([file, text]) =>
        text.split('\n').flatMap((line, i) => (positional.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(found).toEqual([]);
  });

  it("read back the parts they were made of, and nothing from another family's key", () => {
    expect(threadsKeyParts(keys.threads('c1', 'unread', 'smith'))).toEqual({ campaignId: 'c1', filter: 'unread', query: 'smith' });
    expect(threadsKeyParts(keys.counts('c1'))).toBeUndefined();
    expect(countsKeyCampaign(keys.counts('c1'))).toBe('c1');
    expect(countsKeyCampaign(keys.threads('c1', 'all', ''))).toBeUndefined();
  });
});
