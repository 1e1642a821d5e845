/**
 * The server process: opens (and locks) the database, migrates it, serves the API and the built
 * web app. It never seeds: `npm start` runs scripts/start.ts, which seeds the embedded demo first.
 * A problem an operator can fix ends the process with one line and a non-zero exit.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDb, type Db } from './db/client.ts';
import { migrateUp } from './db/migrate.ts';
import { StartupError } from './db/startup-error.ts';

function fail(message: string): never {
  console.error(`民情地图 cannot start: ${message}`);
  process.exit(1);
}

const started = Date.now();
let config: Config;
let db: Db;
try {
  config = loadConfig();
  const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
  console.log(`民情地图: opening the database (${where})…`);
  db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const applied = await migrateUp(db);
  if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  const e = err as { message?: string; code?: string };
  fail(String(e?.message ?? err).split('\n')[0]! + (e?.code ? ` (${e.code})` : ''));
}

const DIST = resolve('dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.warn(
    'dist/index.html is missing: run `npm run build` to serve the web app (the API works without it).',
  );
}
const app = createApp({ db, config, staticDir: DIST });

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  console.log(
    `民情地图 ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${info.address}:${info.port}/`,
  );
});
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(
    `民情地图 cannot start: ${
      err.code === 'EADDRINUSE'
        ? `port ${config.PORT} on ${config.HOST} is in use; set PORT to another port`
        : err.message
    }`,
  );
  // Said first: closing the embedded database may end the process by itself.
  void db.close().finally(() => process.exit(1));
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
