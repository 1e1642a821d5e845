import { cellToParent, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillCells } from '../../server/db/backfill.ts';
import { call, getJson, openTestApp, signIn } from './test-db.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'property']) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (who: string, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: as[who], body });
const act = (who: string, id: number, body: Record<string, unknown>) =>
  post(who, `/api/tickets/${id}/transitions`, body);

/**
 * The kept rollups as sorted text lines, against the same numbers counted straight from the
 * tickets here (written out independently of the migration's rebuild function). Rows a ticket
 * left (all zero) are ignored.
 */
async function keptAndCounted() {
  const lines = async (q: ReturnType<typeof sql>) =>
    (await sql<{ l: string }>`SELECT l FROM (${q}) x ORDER BY 1`.execute(t.db.kysely)).rows.map(
      (r) => r.l,
    );
  const kept = await lines(sql`
    SELECT concat_ws(' ', area_id, day, category, channel, received, open, closed, closed_on_time,
      rejected, satisfaction_sum, satisfaction_count) AS l
    FROM ticket_area_days WHERE received <> 0`);
  const counted = await lines(sql`
    SELECT concat_ws(' ', a, d, category, channel, count(*),
      count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate')),
      count(closed_at),
      count(*) FILTER (WHERE closed_at IS NOT NULL AND coalesce(resolved_at, closed_at) <= due_at),
      count(*) FILTER (WHERE status = 'rejected_duplicate'),
      coalesce(sum(satisfaction), 0), count(satisfaction)) AS l
    FROM (
      SELECT t.*, to_char(t.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d,
        unnest(ARRAY[0, district_id, subdistrict_id, community_id, grid_id, compound_id]) AS a
      FROM tickets t
    ) x WHERE a IS NOT NULL GROUP BY a, d, category, channel`);
  const keptCells = await lines(sql`
    SELECT concat_ws(' ', res, day, category, to_hex(h3), n) AS l FROM ticket_cell_days WHERE n <> 0`);
  const monthsMatchDays = await lines(sql`
    SELECT concat_ws(' ', m.area_id, m.month, m.category, m.channel) AS l
    FROM ticket_area_months m
    LEFT JOIN (SELECT area_id, date_trunc('month', day)::date AS month, category, channel,
        sum(received) AS received, sum(open) AS open, sum(closed) AS closed
      FROM ticket_area_days GROUP BY 1, 2, 3, 4) d USING (area_id, month, category, channel)
    WHERE (m.received, m.open, m.closed) IS DISTINCT FROM (d.received, d.open, d.closed)`);
  return { kept, counted, keptCells, monthsMatchDays };
}

/** The cells counted here with h3-js from each ticket's stored position. */
async function cellsCounted() {
  const rows = (
    await sql<{ x: number; y: number; d: string; category: string }>`
      SELECT ST_X(geom) AS x, ST_Y(geom) AS y, category,
        to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d
      FROM tickets WHERE status <> 'rejected_duplicate'`.execute(t.db.kysely)
  ).rows;
  const n = new Map<string, number>();
  for (const r of rows) {
    const c9 = latLngToCell(r.y, r.x, 9);
    for (const res of [7, 8, 9]) {
      // Each category's row, and the '*' row of all categories together.
      for (const category of [r.category, '*']) {
        const k = `${res} ${r.d} ${category} ${res === 9 ? c9 : cellToParent(c9, res)}`;
        n.set(k, (n.get(k) ?? 0) + 1);
      }
    }
  }
  return [...n].map(([k, v]) => `${k} ${v}`).sort();
}

describe('rollups', () => {
  it('are built by the seed to equal a direct count, cells included', async () => {
    const r = await keptAndCounted();
    expect(r.kept.length).toBeGreaterThan(1000);
    expect(r.kept).toEqual(r.counted);
    expect(r.keptCells).toEqual(await cellsCounted());
    expect(r.monthsMatchDays).toEqual([]);
  });

  it('stay equal to a direct count through creates, transitions, reopening and duplicates', async () => {
    const place = fx.companyCompound.label;
    const created: number[] = [];
    for (const category of ['parking', 'facilities', 'parking']) {
      const res = await post('community', '/api/tickets', {
        category,
        title: '楼道灯坏了，晚上看不见台阶',
        position: place,
      });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }
    const [a, b, c] = created as [number, number, number];
    for (const [who, action] of [
      ['community', 'dispatch'],
      ['property', 'accept'],
      ['property', 'start'],
    ] as const)
      expect((await act(who, a, { action })).status).toBe(200);
    expect((await act('property', a, { action: 'resolve', note: '已更换灯泡' })).status).toBe(200);
    expect((await act('community', a, { action: 'close', satisfaction: 4 })).status).toBe(200);
    expect((await act('community', a, { action: 'reopen', note: '又坏了' })).status).toBe(200);
    expect((await act('community', c, { action: 'reject_duplicate', duplicateOf: b })).status).toBe(
      200,
    );
    const r = await keptAndCounted();
    expect(r.kept).toEqual(r.counted);
    expect(r.keptCells).toEqual(await cellsCounted());
    expect(r.monthsMatchDays).toEqual([]);
  });

  it('give rows written before the cells existed theirs, and count them in (startup backfill)', async () => {
    // As a database migrated from before the cells: positions without cells.
    await sql`UPDATE tickets SET h3 = NULL WHERE id % 7 = 0`.execute(t.db.kysely);
    await sql`UPDATE hazards SET h3 = NULL`.execute(t.db.kysely);
    await sql`UPDATE compounds SET h3 = NULL WHERE area_id % 2 = 0`.execute(t.db.kysely);
    const filled = await t.db.kysely.transaction().execute((tx) => backfillCells(tx));
    expect(filled).toBeGreaterThan(1000);
    const left = await sql<{ n: number }>`SELECT
      (SELECT count(*) FROM tickets WHERE h3 IS NULL) + (SELECT count(*) FROM hazards WHERE h3 IS NULL)
      + (SELECT count(*) FROM compounds WHERE h3 IS NULL) AS n`.execute(t.db.kysely);
    expect(Number(left.rows[0]!.n)).toBe(0);
    const r = await keptAndCounted();
    expect(r.kept).toEqual(r.counted);
    expect(r.keptCells).toEqual(await cellsCounted());
    // The trigger is on again: a new ticket is counted.
    const res = await post('community', '/api/tickets', {
      category: 'noise',
      title: '楼上装修噪音太大，周末早上七点开始',
      position: fx.companyCompound.label,
    });
    expect(res.status).toBe(201);
    const again = await keptAndCounted();
    expect(again.kept).toEqual(again.counted);
    expect(await t.db.kysely.transaction().execute((tx) => backfillCells(tx))).toBe(0);
  });

  it('fix each ticket its H3 cell, and h3_parent agrees with h3-js', async () => {
    const rows = (
      await sql<{ x: number; y: number; h: string; p7: string; p8: string }>`
        SELECT ST_X(geom) AS x, ST_Y(geom) AS y, to_hex(h3) AS h,
          to_hex(h3_parent(h3, 7)) AS p7, to_hex(h3_parent(h3, 8)) AS p8
        FROM tickets ORDER BY random() LIMIT 500`.execute(t.db.kysely)
    ).rows;
    for (const r of rows) {
      const c = latLngToCell(r.y, r.x, 9);
      expect(r.h).toBe(c);
      expect(r.p7).toBe(cellToParent(c, 7));
      expect(r.p8).toBe(cellToParent(c, 8));
    }
  });
});

describe('area KPIs from the rollups', () => {
  /** The KPIs counted straight from the tickets (the definitions of docs/API.md). */
  async function direct(areaCol: string | null, areaId: number | null, from: Date, to: Date) {
    const inArea = areaCol ? sql`${sql.ref(areaCol)} = ${areaId}` : sql`true`;
    const r = await sql<Record<string, number>>`
      SELECT count(*)::int AS received, count(closed_at)::int AS closed,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate'))::int AS open,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate') AND due_at < now())::int AS overdue,
        round(avg(satisfaction)::numeric, 2)::float8 AS satisfaction
      FROM tickets WHERE ${inArea} AND received_at >= ${from} AND received_at < ${to}`.execute(
      t.db.kysely,
    );
    return r.rows[0]!;
  }

  it('equal a direct count for the city and a district, over ranges that cut days and months', async () => {
    const district = (
      await sql<{
        id: number;
      }>`SELECT id FROM areas WHERE level = 'district' ORDER BY id LIMIT 1`.execute(t.db.kysely)
    ).rows[0]!.id;
    const now = Date.now();
    for (const [from, to] of [
      [new Date(now - 365 * 86_400_000), new Date(now + 60_000)],
      [new Date(now - 100 * 86_400_000 + 3_723_000), new Date(now - 7 * 86_400_000 - 1_000)],
      [new Date(now - 3 * 3_600_000), new Date(now + 60_000)],
    ] as const) {
      for (const [id, col] of [
        ['city', null],
        [district, 'district_id'],
      ] as const) {
        const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
        const { status, body } = await getJson(t.app, `/api/areas/${id}?${q}`, as.city);
        expect(status).toBe(200);
        const d = await direct(col, col ? (id as number) : null, from, to);
        expect(body.kpis).toMatchObject({
          received: d.received,
          closed: d.closed,
          open: d.open,
          overdue: d.overdue,
          satisfaction: d.satisfaction,
        });
        expect(body.categories.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(
          d.received,
        );
      }
    }
  });
});
