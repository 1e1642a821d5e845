import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDb } from './db/client.ts';
import { migrateUp } from './db/migrate.ts';

const config = loadConfig();
const started = Date.now();
const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
console.log(`民情地图: opening the database (${where})…`);
const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const applied = await migrateUp(db);
if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);

const app = createApp({ db, config });

const DIST = resolve('dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.pmtiles': 'application/octet-stream',
  '.woff2': 'font/woff2',
};
if (!existsSync(join(DIST, 'index.html'))) {
  console.warn(
    'dist/index.html is missing: run `npm run build` to serve the web app (the API works without it).',
  );
}
// The short address printed on posters for part-time gridworkers.
app.get('/m', (c) => c.redirect('/mobile.html', 302));
app.get('*', async (c) => {
  const path = decodeURIComponent(new URL(c.req.url).pathname);
  if (path.startsWith('/api/')) return c.notFound();
  const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
  if (!file.startsWith(DIST)) return c.notFound();
  try {
    const body = await readFile(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Hashed assets never change; the page itself must be revalidated.
    const cacheControl = path.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    return c.body(body, 200, { 'content-type': type, 'cache-control': cacheControl });
  } catch {
    if (extname(path)) return c.notFound();
    // Client-side routes fall back to the app shell.
    const html = await readFile(join(DIST, 'index.html')).catch(() => null);
    return html ? c.body(html, 200, { 'content-type': TYPES['.html']! }) : c.notFound();
  }
});

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  console.log(
    `民情地图 ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${info.address}:${info.port}/`,
  );
});

function shutdown() {
  server.close();
  void app
    .close()
    .then(() => db.close())
    .finally(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
