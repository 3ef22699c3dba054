/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The config runs in Node; only this much of it is used here.
declare const process: { env: Record<string, string | undefined> };

// Vitest only: where the Wails bindings were never generated (a fresh clone
// before `make build`), an import of one resolves to an empty module instead
// of failing, so src/backend.test.ts, which stands in for every binding
// (vi.mock), runs everywhere. Once they are generated (their runtime is
// there), a binding missing among them is a wrong import and fails, in tests
// too (src/bindings.test.ts). Builds and `wails dev` always fail on one.
const missingBindings: Plugin = {
  name: 'textbank:missing-wails-bindings',
  async resolveId(source, importer) {
    const at = source.indexOf('/wailsjs/');
    if (!process.env.VITEST || !importer || at < 0) return null;
    if (await this.resolve(source, importer, { skipSelf: true })) return null;
    const runtime = `${source.slice(0, at)}/wailsjs/runtime/runtime`;
    if (await this.resolve(runtime, importer, { skipSelf: true })) return null;
    return `\0missing-binding:${new URL(source, `file://${importer}`).pathname}`;
  },
  load: (id) => (id.startsWith('\0missing-binding:') ? 'export {};' : null),
};

// The window is served from the app bundle (offline): relative asset paths,
// nothing fetched from the network at run time.
export default defineConfig({
  plugins: [react(), missingBindings],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
  // e2e/run.sh gives each `wails dev` its own free port (VITE_PORT), held
  // strictly so two runs side by side can never meet on one.
  server: process.env.VITE_PORT
    ? { host: '127.0.0.1', port: Number(process.env.VITE_PORT), strictPort: true }
    : undefined,
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    testTimeout: 60_000,
    // The app's two sheets, read whole (?raw) by a test that compares computed styles; any
    // other sheet stays empty in tests, as by default.
    // conversations.css (which draws the switches) only when read whole: imported, it stays empty, as before.
    css: { include: [/\/src\/(styles|shell)\.css(\?|$)/, /\/src\/features\/thread\/conversations\.css\?raw$/] },
  },
});
