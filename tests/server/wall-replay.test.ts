import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_KINDS, Replay } from '../../server/contract/wall.ts';
import { REPLAY_KIND_ORDER } from '../../server/db/queries/wall-replay.ts';
import { replayWindow } from '../../server/services/wall-replay.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, getJson, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'district', 'community', 'planner']) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

/** Events per kind in [from, to), straight from the tables. */
async function directCounts(from: string, to: string) {
  const r = await sql<{ counts: number[] }>`SELECT ARRAY[
      (SELECT count(*) FROM tickets WHERE received_at >= ${from}::timestamptz AND received_at < ${to}::timestamptz),
      (SELECT count(*) FROM tickets WHERE closed_at >= ${from}::timestamptz AND closed_at < ${to}::timestamptz),
      (SELECT count(*) FROM hazards WHERE reported_at >= ${from}::timestamptz AND reported_at < ${to}::timestamptz),
      (SELECT count(*) FROM whistles WHERE blown_at >= ${from}::timestamptz AND blown_at < ${to}::timestamptz),
      (SELECT count(*) FROM patrols WHERE started_at >= ${from}::timestamptz AND started_at < ${to}::timestamptz)
    ]::int[] AS counts`.execute(t.db.kysely);
  return r.rows[0]!.counts;
}

const fiveDecimals = (x: number) => Math.abs(Math.round(x * 1e5) - x * 1e5) < 1e-6;

describe('the replay', () => {
  it('is for the wall viewers only', async () => {
    expect((await getJson(t.app, '/api/wall/replay', as.city)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/replay', as.district)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/replay', as.community)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/replay', as.planner)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/replay')).status).toBe(401);
  });

  it('holds every event of the last hours, by kind as the tables count them, in time order', async () => {
    // At least one event of the last minutes: a ticket received now.
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { category: 'noise', title: '夜间施工噪音扰民', position: fx.companyCompound.label },
    });
    expect(created.status).toBe(201);
    t.app.cache.clear();
    for (const hours of [24, 6, 1]) {
      const { status, body } = await getJson(
        t.app,
        `/api/wall/replay${hours === 24 ? '' : `?hours=${hours}`}`,
        as.district,
      );
      expect(status).toBe(200);
      const r = Replay.parse(body);
      expect(Date.parse(r.to) - Date.parse(r.from)).toBe(hours * 3_600_000);
      expect(Date.parse(r.to)).toBeGreaterThan(Date.now() - 1000);
      expect(Date.parse(r.to) - Date.now()).toBeLessThanOrEqual(60_000);
      expect(r.kinds).toEqual([...REPLAY_KINDS]);
      const n = r.t.length;
      expect(r.k).toHaveLength(n);
      expect(r.lon).toHaveLength(n);
      expect(r.lat).toHaveLength(n);
      const counts = r.kinds.map((_, i) => r.k.filter((k) => k === i).length);
      expect(counts, `${hours} h`).toEqual(await directCounts(r.from, r.to));
      expect(counts[0]).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < n; i++) {
        expect(r.t[i]).toBeGreaterThanOrEqual(i ? r.t[i - 1]! : 0);
        expect(Number.isInteger(r.t[i])).toBe(true);
        expect(r.lon[i]).toBeGreaterThan(102);
        expect(r.lon[i]).toBeLessThan(105);
        expect(r.lat[i]).toBeGreaterThan(35);
        expect(r.lat[i]).toBeLessThan(37.5);
        expect(fiveDecimals(r.lon[i]!) && fiveDecimals(r.lat[i]!)).toBe(true);
      }
      expect(r.t[n - 1]).toBeLessThanOrEqual(hours * 3600);
      // The ticket just received is the last (or among the last) received events.
      const last = r.k.lastIndexOf(0);
      expect(r.lon[last]).toBeCloseTo(fx.companyCompound.label[0], 5);
      expect(r.lat[last]).toBeCloseTo(fx.companyCompound.label[1], 5);
    }
  });

  it('carries positions and kinds only', async () => {
    const res = await t.app.request('/api/wall/replay', { headers: { cookie: as.city } });
    const text = await res.text();
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(
      ['from', 'k', 'kinds', 'lat', 'lon', 't', 'to'].sort(),
    );
    for (const key of ['resident', 'phone', 'title', 'description', 'code', 'name', 'account'])
      expect(text).not.toContain(key);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });

  it.each(['0', '25', '-1', '1.5', 'x', '', '24abc', '1e9'])(
    'refuses hours=%s with a 400 naming it',
    async (hours) => {
      const r = await getJson(t.app, `/api/wall/replay?hours=${hours}`, as.city);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('hours');
    },
  );

  it('shares one window per minute and keeps the kinds in the query’s order', () => {
    expect([...REPLAY_KIND_ORDER]).toEqual([...REPLAY_KINDS]);
    const a = replayWindow(24, new Date('2026-11-30T08:00:00.000Z'));
    const b = replayWindow(24, new Date('2026-11-30T08:00:59.999Z'));
    expect(a).toEqual(b);
    expect(a.to.toISOString()).toBe('2026-11-30T08:01:00.000Z');
    expect(a.from.toISOString()).toBe('2026-11-29T08:01:00.000Z');
    expect(() => replayWindow(25)).toThrow(/hours/);
    expect(() => replayWindow(0)).toThrow(/hours/);
  });
});
