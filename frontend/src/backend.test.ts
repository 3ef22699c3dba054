// src/backend.ts itself (every other test stands in for it: src/test/setup.ts),
// with the generated bindings it calls stood in for: they need not have been
// generated (`make build`), vite.config.ts's missingBindings resolves those
// missing to empty modules, which these mocks replace.
const Results = vi.hoisted(() => vi.fn());
vi.unmock('./backend');
vi.mock('../wailsjs/go/app/Account', () => ({}));
vi.mock('../wailsjs/go/app/Texting', () => ({}));
vi.mock('../wailsjs/go/app/Inbox', () => ({}));
vi.mock('../wailsjs/go/app/Settings', () => ({}));
vi.mock('../wailsjs/go/app/Admin', () => ({ Results }));
vi.mock('../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }));

describe('backend: what Go sends as null', () => {
  it("Results: a script's tags from a server that does not count them (null) are none", async () => {
    const { adminResults } = await import('./backend');
    const script = { script: 1, text: 'Hi', contacts: 1, sent: 1, delivered: 1, failed: 0, replies: 0, replyRate: 0, optOuts: 0, optOutRate: 0, reported: 0 };
    Results.mockResolvedValue({
      actions: [{ actionId: 'a1', action: 'GOTV', actionType: 'p2p', scripts: [{ ...script, tags: null }], total: { ...script, tags: null } }],
    });
    const r = await adminResults('c1');
    expect(r.actions[0].scripts[0].tags).toEqual([]);
    expect(r.actions[0].total.tags).toEqual([]);
  });
});
