import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.MINQING_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: 'web',
  // geo/ lives beside web/ and is shared with the server.
  server: {
    host: '127.0.0.1',
    fs: { allow: [projectRoot] },
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: apiTarget } } },
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // maplibre + deck.gl are large by nature; splitting them keeps the app chunk readable.
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
    // Two pages: the dashboard, and the phone page for sentinels and gridworkers (/m redirects
    // to /mobile.html). `rolldownOptions` is Vite 8's name for `rollupOptions`.
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        mobile: fileURLToPath(new URL('./web/mobile.html', import.meta.url)),
      },
    },
  },
});
