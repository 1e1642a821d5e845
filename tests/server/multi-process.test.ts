/**
 * Several app processes on one database act as one: what one process writes or revokes, the
 * others stop serving from their caches within moments. On PostgreSQL the second app has its own
 * connections (as a second process would); on PGlite, which one process holds, both apps share it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb, type Db } from '../../server/db/client.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let otherDb: Db;
let other: ReturnType<typeof createApp>;
let fx: Fixtures;

beforeAll(async () => {
  t = await openTestApp();
  const url = inject('databaseUrl');
  otherDb = url ? await openDb({ databaseUrl: url, dataDir: 'memory://' }) : t.db;
  other = createApp({ db: otherDb, config: loadConfig({}) });
  await Promise.all([t.app.hub.start(), other.hub.start()]);
  fx = await loadFixtures(t.db);
});
afterAll(async () => {
  await other.close();
  await t.app.close();
  if (otherDb !== t.db) await otherDb.close();
  await t.db.close();
});

/** Polls `probe` until it holds, for up to `ms` ("within a few seconds"). */
async function soon(probe: () => Promise<boolean>, ms = 3000) {
  for (let i = 0; i < ms / 50; i++) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('two app processes on one database', () => {
  it('a sign-out in one ends the session in the other at once, streams included', async () => {
    const cookie = await signIn(t.app, 'gridworker');
    // The other process has the session in its cache and a stream open on it.
    expect((await call(other, 'GET', '/api/session', { cookie })).body.account.username).toBe(
      'gridworker',
    );
    const controller = new AbortController();
    const res = await other.request('/api/events', {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return true;
        text += new TextDecoder().decode(value);
      }
    })();
    try {
      expect(await soon(async () => text.includes('event: ready'))).toBe(true);
      const out = await t.app.request('/api/session', { method: 'DELETE', headers: { cookie } });
      expect(out.status).toBe(204);
      expect(
        await soon(
          async () => (await call(other, 'GET', '/api/session', { cookie })).body.account === null,
        ),
      ).toBe(true);
      expect((await call(other, 'GET', '/api/tickets/list?limit=1', { cookie })).status).toBe(401);
      const closed = await Promise.race([
        pump,
        new Promise((r) => setTimeout(() => r(false), 3000)),
      ]);
      expect(closed).toBe(true);
      expect(text).toContain('event: session_ended');
    } finally {
      controller.abort();
    }
  });

  it("a write in one refreshes the other's cached reads of that area, and only those", async () => {
    const community = fx.companyCompound.communityId;
    const elsewhere = fx.accounts.community2.areaId!;
    // Which answers the other process computes (instead of serving from its cache).
    const loaded: string[] = [];
    const get = other.cache.get.bind(other.cache);
    other.cache.get = (key, load, tags) =>
      get(
        key,
        () => {
          loaded.push(key);
          return load();
        },
        tags,
      );
    const city = await signIn(t.app, 'city');
    const detail = async (id: number) =>
      (await call(other, 'GET', `/api/areas/${id}`)).body.kpis.received as number;
    const points = async (id: number) =>
      Number(
        (
          await call(other, 'GET', `/api/tickets?area=${id}&format=geojson`, { cookie: city })
        ).headers.get('x-count'),
      );
    const before = { detail: await detail(community), points: await points(community) };
    await Promise.all([detail(elsewhere), points(elsewhere)]);
    loaded.length = 0;
    const { status } = await call(t.app, 'POST', '/api/tickets', {
      cookie: await signIn(t.app, 'community'),
      body: { category: 'parking', title: '另一进程写入', position: fx.companyCompound.label },
    });
    expect(status).toBe(201);
    // Points are exact: the first read after the write's event sees it.
    expect(await soon(async () => (await points(community)) === before.points + 1)).toBe(true);
    // KPIs are an aggregate: they may lag a write by ten times their cost, never more than 5 s.
    expect(await soon(async () => (await detail(community)) === before.detail + 1, 8000)).toBe(
      true,
    );
    // The other community's answers were served from the cache all along.
    await Promise.all([detail(elsewhere), points(elsewhere)]);
    const of = (id: number) =>
      loaded.filter((k) => k.startsWith(`area:${id}:`) || k.includes(`"id":${id},`));
    expect(of(elsewhere)).toEqual([]);
    expect(of(community).length).toBeGreaterThanOrEqual(2);
  });
});
