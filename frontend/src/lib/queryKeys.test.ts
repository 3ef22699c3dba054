// Every query key and prefix comes from queryKeys.ts: one typed inline
// (['threads'] in an invalidation) drifts from the keys it means to reach
// when they change, and nothing says so.
const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../lib/queryKeys.ts'], { query: '?raw', import: 'default', eager: true });

// A key given as an array literal, or a key's family (its first part) compared to a string.
const inline = /queryKey:\s*\[|(?:get|set)Quer(?:y|ies)Data(?:<[^(]*>)?\(\s*\[|queryKey\[0\]\s*[!=]==?\s*['"`]/;

describe('query keys', () => {
  it('are never spelled inline: every one comes from src/lib/queryKeys', () => {
    const found = Object.entries(sources).flatMap(([file, text]) =>
      text.split('\n').flatMap((line, i) => (inline.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});
