/**
 * The operations seed on a fresh `test` city, with "now" fixed at 10:30 Beijing time so that
 * today has patrols, some of them still going: the demo accounts and their scopes, offices, hazard
 * timelines, patrols and whistles, checked the way a user of the workspace would notice them; and
 * that it is idempotent, deterministic, catches up a database seeded before it, and survives reset.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../server/db/client.ts';
import { verifyPassword } from '../../server/services/passwords.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  OPERATIONS_TABLES,
  seedOperations,
} from '../../scripts/seed/operations.ts';
import { CIVIC_TABLES } from '../../scripts/seed/civic.ts';
import { seedDatabase } from '../../scripts/seed/index.ts';
import { prepareDatabase } from '../../scripts/start.ts';
import { closeFreshDbs, freshDb } from './fresh-db.ts';

const SEED = 5;
const UNTIL = '2026-06-15';
const NOW = new Date('2026-06-15T10:30:00+08:00');
const TODAY = new Date('2026-06-15T00:00:00+08:00');

let db: Db;

async function rows<T = any>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await query.execute(db.kysely)).rows as T[];
}
/** The single row of an aggregate (an empty result from PGlite's PostGIS must fail, not pass). */
async function one<T = any>(query: ReturnType<typeof sql>): Promise<T> {
  const r = await rows<T>(query);
  expect(r).toHaveLength(1);
  return r[0];
}

/** The state of each whistle at NOW, as the server derives it at its now(). */
const STATE = sql`CASE
  WHEN w.resolved_at IS NOT NULL THEN 'resolved'
  WHEN EXISTS (SELECT 1 FROM whistle_report_ins p WHERE p.whistle_id = w.id AND p.reported_at IS NULL)
    THEN CASE WHEN ${NOW}::timestamptz > w.report_due_at THEN 'report_late' ELSE 'awaiting_report' END
  WHEN ${NOW}::timestamptz > w.resolve_due_at THEN 'resolve_late'
  ELSE 'in_progress' END`;

/** Everything the operations seed wrote, without the identity values that differ between runs. */
async function fingerprint(): Promise<string> {
  const r = await one<Record<string, string>>(sql`
    SELECT
      (SELECT md5(string_agg(concat_ws('|', username, display_name, role, area_id, property_company_id,
        department_id), ',' ORDER BY username)) FROM accounts) AS a,
      (SELECT md5(string_agg(concat_ws('|', hazard_id, status, at, actor, note), ','
        ORDER BY hazard_id, at, status)) FROM hazard_events) AS h,
      (SELECT md5(string_agg(concat_ws('|', p.id, p.grid_id, p.gridworker_name, p.started_at,
        p.ended_at, a.username, ST_AsText(coalesce(p.track, p.start_geom), 7)), ',' ORDER BY p.id))
        FROM patrols p LEFT JOIN accounts a ON a.id = p.account_id) AS p,
      (SELECT md5(string_agg(concat_ws('|', patrol_id, compound_id, at, ST_AsText(geom, 7), note), ','
        ORDER BY patrol_id, at)) FROM patrol_checkins) AS c,
      (SELECT md5(string_agg(concat_ws('|', w.code, w.level, w.ticket_id, w.reason, w.blown_at,
        w.resolved_at, a.username), ',' ORDER BY w.code))
        FROM whistles w LEFT JOIN accounts a ON a.id = w.blown_by) AS w,
      (SELECT md5(string_agg(concat_ws('|', r.whistle_id, r.property_company_id, r.department_id,
        r.reported_at, r.reported_by_name), ',' ORDER BY r.whistle_id, r.property_company_id, r.department_id))
        FROM whistle_report_ins r) AS r,
      (SELECT md5(string_agg(concat_ws('|', id, ST_AsText(office, 7)), ',' ORDER BY id))
        FROM property_companies) AS o`);
  return Object.values(r).join('/');
}

/** Back to a database seeded before the operations schema (and so before the civic stage too). */
async function emptyOperations(): Promise<void> {
  for (const t of [...OPERATIONS_TABLES, ...CIVIC_TABLES].reverse())
    await sql`DELETE FROM ${sql.table(t)}`.execute(db.kysely);
  await sql`UPDATE property_companies SET office = NULL`.execute(db.kysely);
  await sql`UPDATE departments SET office = NULL`.execute(db.kysely);
}

let first: string;
const progress: string[] = [];

beforeAll(async () => {
  db = await freshDb('ops');
  await seedDatabase(db, {
    scale: 'test',
    seed: SEED,
    until: UNTIL,
    now: NOW,
    onProgress: (m) => progress.push(m),
  });
  first = await fingerprint();
}, 300_000);

afterAll(closeFreshDbs);

interface AccountScope {
  username: string;
  role: string;
  display_name: string;
  password_hash: string;
  level: string | null;
  code: string | null;
  name: string | null;
  path: number[] | null;
  area_id: number | null;
  property_company_id: number | null;
  department: string | null;
}

async function accounts(): Promise<Record<string, AccountScope>> {
  const r = await rows<AccountScope>(sql`
    SELECT u.username, u.role, u.display_name, u.password_hash, a.level, a.code, a.name, a.path,
      u.area_id, u.property_company_id, d.code AS department
    FROM accounts u LEFT JOIN areas a ON a.id = u.area_id LEFT JOIN departments d ON d.id = u.department_id`);
  return Object.fromEntries(r.map((x) => [x.username, x]));
}

describe('demo accounts', () => {
  it('has every documented account, with its role, a Chinese name and the demo password', async () => {
    const acc = await accounts();
    expect(Object.keys(acc).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
    for (const a of DEMO_ACCOUNTS) {
      expect(acc[a.username].role).toBe(a.role);
      expect(acc[a.username].display_name).toMatch(/\p{Script=Han}/u);
      expect(await verifyPassword(DEMO_PASSWORD, acc[a.username].password_hash)).toBe(true);
    }
    expect(await verifyPassword('minqing@2026', acc.city.password_hash)).toBe(false);
    expect(progress.some((m) => m.startsWith('operations:'))).toBe(true);
  });

  it('binds each account to the documented scope', async () => {
    const acc = await accounts();
    expect(acc.city).toMatchObject({ area_id: null, property_company_id: null, department: null });
    expect(acc.planner).toMatchObject({
      area_id: null,
      property_company_id: null,
      department: null,
    });
    expect(acc.district).toMatchObject({ level: 'district', code: '620102', name: '城关区' });
    expect(acc.district2).toMatchObject({ level: 'district', code: '620103', name: '七里河区' });
    expect(acc.subdistrict.level).toBe('subdistrict');
    expect(acc.subdistrict.path![0]).toBe(acc.district.area_id);
    expect(acc.community.level).toBe('community');
    expect(acc.community.path![1]).toBe(acc.subdistrict.area_id);
    expect(acc.community2.level).toBe('community');
    expect(acc.community2.path![0]).toBe(acc.district2.area_id);
    expect(acc.gridworker.level).toBe('grid');
    expect(acc.gridworker.path![2]).toBe(acc.community.area_id); // the grid is in the community
    expect(acc.sentinel.area_id).toBe(acc.community.area_id);
    expect(acc.department.department).toBe('housing');
    expect(acc.department2.department).toBe('water');

    // The subdistrict with the most managed compounds in 城关区, and its best community.
    const best = await one(sql`
      SELECT a.path[2] AS id, count(*)::int AS n FROM areas a JOIN compounds k ON k.area_id = a.id
      WHERE a.level = 'compound' AND a.path[1] = ${acc.district.area_id} AND k.property_company_id IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
    const mine = await one(sql`
      SELECT count(*)::int AS n FROM areas a JOIN compounds k ON k.area_id = a.id
      WHERE a.level = 'compound' AND a.path[2] = ${acc.subdistrict.area_id} AND k.property_company_id IS NOT NULL`);
    expect(mine.n).toBe(best.n);

    const managed = await one(sql`
      SELECT count(*) FILTER (WHERE k.property_company_id = ${acc.property.property_company_id})::int AS property,
             count(*) FILTER (WHERE k.property_company_id = ${acc.property2.property_company_id})::int AS property2,
             count(*) FILTER (WHERE a.parent_id = ${acc.gridworker.area_id})::int AS in_grid
      FROM areas a JOIN compounds k ON k.area_id = a.id
      WHERE a.level = 'compound' AND a.path[3] = ${acc.community.area_id}`);
    expect(managed.property).toBeGreaterThan(0);
    expect(managed.property2).toBe(0);
    expect(managed.in_grid).toBeGreaterThan(0);
    expect(acc.property2.property_company_id).not.toBe(acc.property.property_company_id);
  });
});

describe('offices', () => {
  it('places every company near its compounds and every department in 城关区, apart', async () => {
    const r = await one(sql`
      SELECT
        (SELECT count(*)::int FROM property_companies WHERE office IS NULL) AS companies_without,
        (SELECT count(*)::int FROM departments WHERE office IS NULL) AS departments_without,
        (SELECT max(ST_Distance(office::geography, ST_SetSRID(ST_MakePoint(103.83, 36.06), 4326)::geography))
           FROM departments) AS farthest_department,
        (SELECT min(ST_Distance(a.office::geography, b.office::geography))
           FROM departments a JOIN departments b ON a.id < b.id) AS closest_departments,
        (SELECT max(d) FROM (
           SELECT min(ST_Distance(p.office::geography, a.label_point::geography)) AS d
           FROM property_companies p JOIN compounds k ON k.property_company_id = p.id
           JOIN areas a ON a.id = k.area_id GROUP BY p.id, k.property_company_id) s) AS company_gap`);
    expect(r.companies_without).toBe(0);
    expect(r.departments_without).toBe(0);
    expect(Number(r.farthest_department)).toBeLessThan(1500);
    expect(Number(r.closest_departments)).toBeGreaterThan(50);
    // Near the middle of its compounds: never further from all of them than the city is wide.
    expect(Number(r.company_gap)).toBeLessThan(40_000);
  });
});

describe('hazard timelines', () => {
  it('has one event per step each hazard went through, in order, ending in its status', async () => {
    const r = await one(sql`
      SELECT
        count(*)::int AS hazards,
        count(*) FILTER (WHERE e.n <> array_position(ARRAY['reported', 'rectifying', 'rectified', 'verified'], h.status))::int AS wrong_count,
        count(*) FILTER (WHERE e.first_status <> 'reported' OR e.first_at <> h.reported_at)::int AS wrong_first,
        count(*) FILTER (WHERE e.last_status <> h.status)::int AS wrong_last,
        count(*) FILTER (WHERE h.rectified_at IS NOT NULL AND e.rectified_at <> h.rectified_at)::int AS wrong_rectified,
        count(*) FILTER (WHERE h.verified_at IS NOT NULL AND e.verified_at <> h.verified_at)::int AS wrong_verified,
        (SELECT count(*)::int FROM (SELECT at < lag(at) OVER (PARTITION BY hazard_id ORDER BY id) AS back
           FROM hazard_events) s WHERE back) AS backwards,
        (SELECT count(*)::int FROM hazard_events WHERE actor !~ '[一-龥]' OR at > ${NOW}::timestamptz) AS bad
      FROM hazards h
      JOIN LATERAL (SELECT count(*) AS n,
          (array_agg(status ORDER BY id))[1] AS first_status, min(at) AS first_at,
          (array_agg(status ORDER BY id DESC))[1] AS last_status,
          max(at) FILTER (WHERE status = 'rectified') AS rectified_at,
          max(at) FILTER (WHERE status = 'verified') AS verified_at
        FROM hazard_events e WHERE e.hazard_id = h.id) e ON true`);
    expect(r.hazards).toBeGreaterThan(500);
    expect(r).toMatchObject({
      wrong_count: 0,
      wrong_first: 0,
      wrong_last: 0,
      wrong_rectified: 0,
      wrong_verified: 0,
      backwards: 0,
      bad: 0,
    });
    const reporter = await one(
      sql`SELECT actor FROM hazard_events WHERE status = 'reported' LIMIT 1`,
    );
    expect(reporter.actor).toMatch(/^网格员 /);
  });
});

describe('patrols', () => {
  it('walks valid timed tracks inside the grid, checking in inside the compounds', async () => {
    const r = await one(sql`
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE p.track IS NOT NULL AND (GeometryType(p.track) <> 'LINESTRINGM' OR NOT ST_IsValid(p.track)))::int AS bad_type,
        count(*) FILTER (WHERE NOT ST_CoveredBy(coalesce(p.track, p.start_geom), ST_Buffer(g.geom::geography, 50)::geometry))::int AS outside,
        count(*) FILTER (WHERE NOT ST_Equals(p.start_geom, coalesce(ST_StartPoint(p.track), p.start_geom))
          OR ST_M(p.start_geom) <> extract(epoch FROM p.started_at))::int AS bad_start,
        count(*) FILTER (WHERE p.ended_at IS NOT NULL AND ST_M(ST_EndPoint(p.track)) <> extract(epoch FROM p.ended_at))::int AS bad_end,
        count(*) FILTER (WHERE abs(p.distance_m - coalesce(ST_Length(p.track::geography), 0)) > 0.5)::int AS bad_distance,
        count(*) FILTER (WHERE ARRAY[p.district_id, p.subdistrict_id, p.community_id, p.grid_id] <> g.path)::int AS bad_path,
        avg(p.distance_m) AS distance,
        avg(ST_NPoints(p.track)) AS points
      FROM patrols p JOIN areas g ON g.id = p.grid_id`);
    expect(r.n).toBeGreaterThan(1000); // ~0.7 × 7 days × every grid
    expect(r).toMatchObject({
      bad_type: 0,
      outside: 0,
      bad_start: 0,
      bad_end: 0,
      bad_distance: 0,
      bad_path: 0,
    });
    expect(Number(r.distance)).toBeGreaterThan(300);
    expect(Number(r.points)).toBeGreaterThan(10);
    // A walk: time always moves on, at a walking pace between fixes.
    const steps = await one(sql`
      SELECT count(*) FILTER (WHERE dt <= 0)::int AS backwards,
             count(*) FILTER (WHERE ds / dt > 4)::int AS running, count(*)::int AS n
      FROM (SELECT ST_M(d.geom) - lag(ST_M(d.geom)) OVER w AS dt,
                   ST_Distance(d.geom::geography, lag(d.geom) OVER w ::geography) AS ds
            FROM patrols p CROSS JOIN LATERAL ST_DumpPoints(p.track) d
            WINDOW w AS (PARTITION BY p.id ORDER BY d.path)) s
      WHERE dt IS NOT NULL`);
    expect(steps.n).toBeGreaterThan(10_000);
    expect(steps.backwards).toBe(0);
    expect(steps.running).toBe(0);

    const c = await one(sql`
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE NOT ST_Intersects(c.geom, a.geom))::int AS outside,
        count(*) FILTER (WHERE a.parent_id <> p.grid_id)::int AS other_grid,
        count(*) FILTER (WHERE c.at < p.started_at OR c.at > coalesce(p.ended_at, ${NOW}::timestamptz))::int AS off_time,
        (SELECT count(*)::int FROM patrols q WHERE NOT EXISTS (SELECT 1 FROM patrol_checkins x WHERE x.patrol_id = q.id)
           AND q.ended_at IS NOT NULL) AS ended_without
      FROM patrol_checkins c JOIN patrols p ON p.id = c.patrol_id JOIN areas a ON a.id = c.compound_id`);
    expect(c.n).toBeGreaterThan(1000);
    expect(c).toMatchObject({ outside: 0, other_grid: 0, off_time: 0, ended_without: 0 });
  });

  it('covers the last seven Beijing days in working hours, with today’s patrols up to now', async () => {
    const r = await one(sql`
      SELECT count(DISTINCT (started_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days,
        min(started_at) AS first, max(started_at) AS last,
        count(*) FILTER (WHERE (started_at AT TIME ZONE 'Asia/Shanghai')::time < '08:30'
          OR (coalesce(ended_at, started_at) AT TIME ZONE 'Asia/Shanghai')::time > '18:00')::int AS off_hours,
        count(*) FILTER (WHERE started_at >= ${TODAY}::timestamptz)::int AS today,
        count(*) FILTER (WHERE ended_at IS NULL)::int AS going,
        count(*) FILTER (WHERE ended_at IS NULL AND (started_at < ${TODAY}::timestamptz
          OR ST_M(coalesce(ST_EndPoint(track), start_geom)) > extract(epoch FROM ${NOW}::timestamptz)))::int AS bad_going,
        count(*) FILTER (WHERE coalesce(ended_at, started_at) > ${NOW}::timestamptz)::int AS future
      FROM patrols`);
    expect(r.days).toBe(7);
    expect(new Date(r.first).getTime()).toBeGreaterThanOrEqual(TODAY.getTime() - 6 * 86400_000);
    expect(new Date(r.last).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(r.off_hours).toBe(0);
    expect(r.today).toBeGreaterThan(10);
    expect(r.going).toBeGreaterThan(0);
    expect(r.bad_going).toBe(0);
    expect(r.future).toBe(0);
  });

  it('uses the gridworker account for its own grid, and leaves it free to start a patrol', async () => {
    const r = await one(sql`
      SELECT count(*)::int AS own, count(*) FILTER (WHERE p.ended_at IS NULL)::int AS open,
        count(*) FILTER (WHERE p.grid_id <> a.area_id OR p.gridworker_name <> a.display_name)::int AS wrong,
        (SELECT count(*)::int FROM patrols q WHERE q.account_id IS NULL AND q.grid_id = a.area_id) AS anonymous,
        (SELECT count(DISTINCT gridworker_name)::int FROM patrols) AS names
      FROM accounts a JOIN patrols p ON p.account_id = a.id WHERE a.username = 'gridworker'
      GROUP BY a.area_id`);
    expect(r.own).toBeGreaterThan(0);
    expect(r).toMatchObject({ open: 0, wrong: 0, anonymous: 0 });
    expect(r.names).toBeGreaterThan(100);
  });
});

describe('whistles', () => {
  it('whistle stuck tickets in compounds at the ticket’s company or department', async () => {
    const r = await one(sql`
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE w.code !~ '^W\\d{11}$')::int AS bad_code,
        count(*) FILTER (WHERE t.id IS NOT NULL AND (t.due_at >= w.blown_at
          OR t.status IN ('closed', 'resolved', 'rejected_duplicate') OR t.compound_id IS NULL))::int AS not_stuck,
        count(*) FILTER (WHERE t.id IS NOT NULL AND (ARRAY[w.district_id, w.subdistrict_id, w.community_id, w.grid_id, w.compound_id]
          <> ARRAY[t.district_id, t.subdistrict_id, t.community_id, t.grid_id, t.compound_id] OR NOT ST_Equals(w.geom, t.geom)))::int AS bad_place,
        count(*) FILTER (WHERE ARRAY[w.district_id, w.subdistrict_id, w.community_id, w.grid_id, w.compound_id] <> c.path)::int AS bad_path,
        count(*) FILTER (WHERE w.level = 'community' AND (t.id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM whistle_report_ins r WHERE r.whistle_id = w.id AND r.property_company_id = t.property_company_id)
          OR w.blown_by_name <> cm.name))::int AS bad_community,
        count(*) FILTER (WHERE w.level = 'subdistrict' AND (NOT EXISTS (
          SELECT 1 FROM whistle_report_ins r WHERE r.whistle_id = w.id AND r.department_id = t.department_id)
          OR w.blown_by_name <> sd.name))::int AS bad_subdistrict,
        count(*) FILTER (WHERE w.report_due_at <> w.blown_at + interval '2 hours'
          OR w.resolve_due_at <> w.blown_at + interval '72 hours' OR w.blown_at > ${NOW}::timestamptz)::int AS bad_clock,
        count(*) FILTER (WHERE (w.resolved_at IS NULL) <> (w.resolution IS NULL)
          OR w.resolved_at > ${NOW}::timestamptz OR w.resolved_at < w.blown_at)::int AS bad_resolution,
        count(*) FILTER (WHERE w.reason !~ '[一-龥]')::int AS bad_reason
      FROM whistles w
      LEFT JOIN tickets t ON t.id = w.ticket_id
      JOIN areas c ON c.id = w.compound_id
      JOIN areas cm ON cm.id = w.community_id
      JOIN areas sd ON sd.id = w.subdistrict_id`);
    expect(r.n).toBeGreaterThanOrEqual(5);
    expect(r).toMatchObject({
      bad_code: 0,
      not_stuck: 0,
      bad_place: 0,
      bad_path: 0,
      bad_community: 0,
      bad_subdistrict: 0,
      bad_clock: 0,
      bad_resolution: 0,
      bad_reason: 0,
    });
    const ri = await one(sql`
      SELECT count(*)::int AS n,
        count(*) FILTER (WHERE r.reported_at IS NOT NULL AND (r.reported_at <= w.blown_at OR r.reported_at > ${NOW}::timestamptz
          OR r.reported_by_name IS NULL))::int AS bad
      FROM whistle_report_ins r JOIN whistles w ON w.id = r.whistle_id`);
    expect(ri.bad).toBe(0);
  });

  it('leaves open whistles in every state, one of them in the demo community naming its company', async () => {
    const states = await rows<{ state: string; n: number }>(sql`
      SELECT ${STATE} AS state, count(*)::int AS n FROM whistles w GROUP BY 1 ORDER BY 1`);
    expect(states.map((s) => s.state)).toEqual(
      expect.arrayContaining(['awaiting_report', 'report_late', 'in_progress', 'resolve_late']),
    );
    const mine = await one(sql`
      SELECT count(*)::int AS n FROM whistles w
      JOIN accounts c ON c.username = 'community' AND c.area_id = w.community_id
      JOIN accounts p ON p.username = 'property'
      JOIN whistle_report_ins r ON r.whistle_id = w.id AND r.property_company_id = p.property_company_id
      WHERE w.resolved_at IS NULL`);
    expect(mine.n).toBeGreaterThan(0);
  });
});

describe('seedOperations', () => {
  it('does nothing the second time, and gives the same rows for the same seed and now', async () => {
    const again = await seedOperations(db, { seed: SEED, now: NOW });
    expect(again.skipped).toBe(true);
    expect(await fingerprint()).toBe(first);
    await emptyOperations();
    const redo = await seedOperations(db, { seed: SEED, now: NOW });
    expect(redo.skipped).toBe(false);
    expect(redo.counts.accounts).toBe(DEMO_ACCOUNTS.length);
    expect(await fingerprint()).toBe(first);
  });

  it('brings a database seeded before the operations schema up to date on start', async () => {
    await emptyOperations();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const outcome = await prepareDatabase(db, { mode: 'embedded', scale: 'test', seed: SEED });
      expect(outcome).toBe('operations');
      expect(log.mock.calls.some(([m]) => String(m).includes('demo accounts'))).toBe(true);
    } finally {
      log.mockRestore();
    }
    const r = await one(sql`SELECT (SELECT count(*)::int FROM accounts) AS accounts,
      (SELECT count(*)::int FROM hazard_events) AS events`);
    expect(r.accounts).toBe(DEMO_ACCOUNTS.length);
    expect(r.events).toBeGreaterThan(500);
  });

  it('is replaced by a reset, despite the audit log refusing TRUNCATE', async () => {
    await sql`INSERT INTO audit_log (actor, role, action, entity, entity_id)
      VALUES ('测试', 'city', 'test', 'test', '1')`.execute(db.kysely);
    await expect(sql`TRUNCATE audit_log`.execute(db.kysely)).rejects.toThrow(/append-only/);
    const reset = await seedDatabase(db, {
      scale: 'test',
      seed: SEED,
      until: UNTIL,
      now: NOW,
      reset: true,
    });
    expect(reset.skipped).toBe(false);
    expect(reset.counts.audit_log).toBe(0);
    expect(reset.counts.accounts).toBe(DEMO_ACCOUNTS.length);
    expect(await fingerprint()).toBe(first);
    // The guard is back once the reset is done.
    await expect(sql`TRUNCATE audit_log`.execute(db.kysely)).rejects.toThrow(/append-only/);
  }, 300_000);
});
