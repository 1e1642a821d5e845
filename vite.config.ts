import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.MINQING_API ?? 'http://127.0.0.1:8787';

/**
 * Writes `.br` and `.gz` beside every compressible file of the build, at the highest levels (done
 * once here, not per request): the server sends them to browsers that accept them.
 */
function precompress(): Plugin {
  const compressible = /\.(js|mjs|css|html|svg|json|wasm)$/;
  let outDir = '';
  return {
    name: 'minqing-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue;
        const raw = readFileSync(file);
        if (raw.byteLength < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
            },
          }),
        );
      }
    },
  };
}

export default defineConfig({
  root: 'web',
  // geo/ lives beside web/ and is shared with the server.
  server: {
    host: '127.0.0.1',
    fs: { allow: [projectRoot] },
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: apiTarget } } },
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), precompress()],
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
        wall: fileURLToPath(new URL('./web/wall.html', import.meta.url)),
        // the wall map alone, for its browser tests and the render benchmark
        'bench-wall': fileURLToPath(new URL('./web/bench-wall.html', import.meta.url)),
      },
    },
  },
});
