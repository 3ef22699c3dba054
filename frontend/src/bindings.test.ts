// vite.config.ts's missingBindings stands in for the Wails bindings only
// where none were generated: once they are, an import of one that is not
// among them (a typo, a Go type not bound) must fail in tests as it fails
// the build, not pass as an empty module.
const generated = Object.keys(import.meta.glob('../wailsjs/runtime/runtime.js')).length > 0;

describe.runIf(generated)('generated Wails bindings', () => {
  it('an import of a binding that is not among them fails', async () => {
    const missing = '../wailsjs/go/app/NoSuchBinding';
    await expect(import(/* @vite-ignore */ missing)).rejects.toThrow();
  });
});
