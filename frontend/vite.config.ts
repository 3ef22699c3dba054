/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config runs in Node; only this much of it is used here.
declare const process: { env: Record<string, string | undefined> };

// The window is served from the app bundle (offline): relative asset paths,
// nothing fetched from the network at run time.
export default defineConfig({
  plugins: [react()],
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
  },
});
