import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WallSummary } from '../../server/contract/wall.ts';
import { call, getJson, openTestApp, signIn, tenAtOnce } from './test-db.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

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

const beijingDay = (at: ReturnType<typeof sql>) =>
  sql`to_char(${at} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

describe('the wall summary', () => {
  it('is for the city and districts only', async () => {
    expect((await getJson(t.app, '/api/wall/summary', as.city)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/summary', as.district)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/summary', as.community)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/summary', as.planner)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/summary')).status).toBe(401);
  });

  it('counts today, the last 30 days and the open and overdue tickets as the tickets say', async () => {
    // A ticket received now is in today's count at once (the trigger keeps today's rollup row).
    const before = (await getJson(t.app, '/api/wall/summary', as.city)).body;
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: {
        category: 'sanitation',
        title: '垃圾桶满了没人清运',
        position: fx.companyCompound.label,
      },
    });
    expect(created.status).toBe(201);
    t.app.cache.clear();
    const { status, body } = await getJson(t.app, '/api/wall/summary', as.city);
    expect(status).toBe(200);
    WallSummary.parse(body);
    expect(body.received.today).toBe(before.received.today + 1);
    const days = await sql<{ d: string; n: number }>`
      SELECT ${beijingDay(sql`received_at`)} AS d, count(*)::int AS n FROM tickets
      WHERE received_at >= now() - interval '31 days' GROUP BY 1`.execute(t.db.kysely);
    const byDay = new Map(days.rows.map((r) => [r.d, r.n]));
    expect(body.received.sparkline).toHaveLength(30);
    expect(body.received.sparkline.at(-1).day).toBe(body.today);
    for (const p of body.received.sparkline) expect(p.count, p.day).toBe(byDay.get(p.day) ?? 0);
    const open = await sql<{ open: number; overdue: number }>`
      SELECT count(*)::int AS open, count(*) FILTER (WHERE due_at < now())::int AS overdue FROM tickets
      WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate')`.execute(
      t.db.kysely,
    );
    expect(body.city.open).toBe(open.rows[0]!.open);
    expect(body.city.overdue).toBe(open.rows[0]!.overdue);
    expect(body.districts).toHaveLength(5);
    const sum = (k: 'open' | 'overdue' | 'received') =>
      body.districts.reduce((s: number, d: Record<string, number>) => s + d[k]!, 0);
    expect(sum('open')).toBe(body.city.open);
    expect(sum('overdue')).toBe(body.city.overdue);
    expect(sum('received')).toBe(body.city.received);
    for (let i = 1; i < body.districts.length; i++)
      expect(body.districts[i].overdue).toBeLessThanOrEqual(body.districts[i - 1].overdue);
    const red = await sql<{ n: number }>`SELECT count(*)::int AS n FROM compound_ratings
      WHERE color = 'red' AND period = (SELECT max(period) FROM compound_ratings)`.execute(
      t.db.kysely,
    );
    expect(body.ratings.red).toBe(red.rows[0]!.n);
    expect(body.ratings.redList.length).toBe(Math.min(20, red.rows[0]!.n));
  });

  it('carries no personal data and no ticket text', async () => {
    const res = await t.app.request('/api/wall/summary', { headers: { cookie: as.city } });
    const text = await res.text();
    for (const key of ['residentName', 'residentPhone', 'title', 'description', '"code"'])
      expect(text).not.toContain(key);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });

  it('costs one load for ten walls asking at once', async () => {
    for (const url of ['/api/wall/summary', '/api/wall/replay?hours=24']) {
      const { loads, answers } = await tenAtOnce(t.app, url, as.city!);
      expect(loads, url).toBe(1);
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(answers[0]!.status).toBe(200);
    }
  });
});
