import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb, type Db } from '../../server/db/client.ts';

/** Opens the seeded test database (a private PGlite copy, or the shared PostgreSQL) and an app on it. */
export async function openTestApp() {
  const databaseUrl = inject('databaseUrl');
  const dump = inject('pgliteDump');
  const db: Db = databaseUrl
    ? await openDb({ databaseUrl, dataDir: 'memory://' })
    : await openDb({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(dump!)]) });
  const app = createApp({ db, config: loadConfig({}) });
  return { db, app };
}

export async function getJson<T = any>(
  app: { request: (u: string) => Response | Promise<Response> },
  url: string,
) {
  const res = await app.request(url);
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, headers: res.headers };
}
