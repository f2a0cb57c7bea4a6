import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Built to static files that the gateway serves under /ui/: content-hashed files in assets/
// (cached as immutable), index.html revalidated on every load.
export default defineConfig({
  root,
  base: '/ui/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/ui', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    target: 'es2022',
  },
  server: { proxy: { '^/(v1|v2|key|team|user|organization|customer|end_user|model|spend|global|health|ui/api|get)': 'http://127.0.0.1:4000' } },
});
