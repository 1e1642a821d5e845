import { readFileSync } from 'node:fs';
import { expect, inject, vi } from 'vitest';
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

type TestApp = Awaited<ReturnType<typeof openTestApp>>['app'];

export async function getJson<T = any>(
  app: { request: (u: string, init?: RequestInit) => Response | Promise<Response> },
  url: string,
  cookie?: string,
) {
  const res = await app.request(url, cookie ? { headers: { cookie } } : undefined);
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

export const DEMO_PASSWORD = 'Minqing@2026';

type Requester = { request: (u: string, init?: RequestInit) => Response | Promise<Response> };

/** Signs a demo account in and returns the Cookie header value for its session. */
export async function signIn(app: Requester, username: string, password = DEMO_PASSWORD) {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200)
    throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

/** One API call as a signed-in account (or the public, with no cookie), JSON both ways. */
export async function call<T = any>(
  app: Requester,
  method: string,
  url: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await app.request(url, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: T;
  try {
    body = (text ? JSON.parse(text) : null) as T;
  } catch {
    throw new Error(`${method} ${url} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * Ten walls asking for `url` at once, the read cache cleared first: how many times the cache ran
 * its load, and the ten answers (status and bytes).
 */
export async function tenAtOnce(app: TestApp, url: string, cookie: string) {
  app.cache.clear();
  const get = app.cache.get.bind(app.cache);
  let loads = 0;
  const spy = vi
    .spyOn(app.cache, 'get')
    .mockImplementation((key, load, tags) => get(key, () => (loads++, load()), tags));
  try {
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const r = await app.request(url, { headers: { cookie } });
        return { status: r.status, body: new Uint8Array(await r.arrayBuffer()) };
      }),
    );
    return { loads, answers };
  } finally {
    spy.mockRestore();
  }
}

/**
 * A wall display signed in: the city issues a key named `name`, the display trades it for its
 * cookie. Returns the display's id and its Cookie header value.
 */
export async function openDisplay(app: Requester, cityCookie: string, name: string) {
  const issued = await call(app, 'POST', '/api/displays', {
    cookie: cityCookie,
    body: { name },
  });
  expect(issued.status).toBe(201);
  const session = await app.request('/api/wall/display-session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: issued.body.key }),
  });
  expect(session.status).toBe(204);
  return {
    id: issued.body.display.id as number,
    cookie: session.headers.get('set-cookie')!.split(';')[0]!,
  };
}

/**
 * An API key issued by the city for the account `username` with `scopes` (default `read`):
 * returns its id and the key to send as `X-API-Key` or `?api_key=`.
 */
export async function issueApiKey(
  app: Requester,
  cityCookie: string,
  opts: { username: string; scopes?: ('read' | 'open311')[]; name?: string },
) {
  const issued = await call(app, 'POST', '/api/api-keys', {
    cookie: cityCookie,
    body: {
      name: opts.name ?? `test key for ${opts.username}`,
      username: opts.username,
      scopes: opts.scopes ?? ['read'],
    },
  });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return { id: issued.body.apiKey.id as number, key: issued.body.key as string };
}
