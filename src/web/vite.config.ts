import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

// In `npm run dev:web` the API lives in a separately started `cairn serve`; only its API and the share
// endpoints below /s/<id>/ are proxied, so /s/<id> itself still renders the SPA's landing page.
const apiTarget = process.env.CAIRN_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: webRoot,
  base: '/',
  // Preact's automatic JSX runtime through Vite 8's built-in oxc transform (no plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The server may send `default-src 'self'`: keep every script and style in a file of its own.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
      '^/s/[^/]+/.+': apiTarget,
    },
  },
});
