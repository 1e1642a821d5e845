/**
 * The seed, end to end: the `test` scale seeded twice with one seed (and once more with another)
 * into fresh databases — PGlite in memory, or scratch databases beside DATABASE_URL when the suite
 * runs on PostgreSQL — and the result checked the way a user of the map would notice it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/client.ts';
import { seedDatabase, type SeedResult } from '../../scripts/seed/index.ts';
import { RED_BELOW, YELLOW_BELOW } from '../../scripts/seed/ratings.ts';
import { closeFreshDbs, freshDb } from './fresh-db.ts';

const UNTIL = '2026-06-15';
const NOW = '2026-06-14T16:00:00Z'; // UNTIL at 00:00 Beijing time
/** The moment the operations data runs up to: fixed, so that twins get the same patrols. */
const OPS_NOW = new Date('2026-06-15T11:00:00+08:00');

async function rows<T = any>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await query.execute(db.kysely)).rows as T[];
}
/**
 * The single row of an aggregate query. PGlite's PostGIS can end a result set early without an
 * error when GEOS fails inside WebAssembly (seen with ST_Difference and ST_MakeValid), so an
 * aggregate that comes back with no row must fail the test rather than pass it.
 */
async function one<T = any>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const r = await rows<T>(db, query);
  expect(r).toHaveLength(1);
  return r[0];
}

/** A fingerprint of the generated rows: geometry, attributes, tickets and their timelines. */
async function fingerprint(db: Db): Promise<string> {
  const r = await one<{ a: string; c: string; t: string; e: string; h: string; r: string }>(
    db,
    sql`
    SELECT
      (SELECT md5(string_agg(id || level || name || coalesce(code, '') || ST_AsText(geom, 6), ',' ORDER BY id)) FROM areas) AS a,
      (SELECT md5(string_agg(area_id || ':' || year_built || ':' || households || ':' || coalesce(property_company_id, 0), ',' ORDER BY area_id)) FROM compounds) AS c,
      (SELECT md5(string_agg(code || category || channel || status || received_at || coalesce(resident_name, '') || ST_AsText(geom, 6), ',' ORDER BY id)) FROM tickets) AS t,
      (SELECT md5(string_agg(ticket_id || status || at || actor, ',' ORDER BY id)) FROM ticket_events) AS e,
      (SELECT md5(string_agg(code || type || status || reported_at, ',' ORDER BY id)) FROM hazards) AS h,
      (SELECT md5(string_agg(compound_id || color || score, ',' ORDER BY compound_id, period)) FROM compound_ratings) AS r`,
  );
  return Object.values(r).join('/');
}

let db: Db;
let result: SeedResult;
const progress: string[] = [];

beforeAll(async () => {
  db = await freshDb('a');
  result = await seedDatabase(db, {
    scale: 'test',
    seed: 11,
    until: UNTIL,
    now: OPS_NOW,
    onProgress: (m) => progress.push(m),
  });
}, 300_000);

afterAll(closeFreshDbs);

describe('seedDatabase', () => {
  it('reports progress and counts, and refuses a database that already has data', async () => {
    expect(result.skipped).toBe(false);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.some((m) => m.startsWith('tickets'))).toBe(true);
    expect(result.counts.tickets).toBeGreaterThan(3000);
    const again = await seedDatabase(db, { scale: 'test', seed: 11, until: UNTIL, now: OPS_NOW });
    expect(again.skipped).toBe(true);
    expect((await one(db, sql`SELECT count(*)::int AS n FROM tickets`)).n).toBe(
      result.counts.tickets,
    );
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', async () => {
    const twin = await freshDb('b');
    const twinResult = await seedDatabase(twin, {
      scale: 'test',
      seed: 11,
      until: UNTIL,
      now: OPS_NOW,
    });
    expect(twinResult.counts).toEqual(result.counts);
    expect(await fingerprint(twin)).toBe(await fingerprint(db));
    const other = await freshDb('c');
    await seedDatabase(other, { scale: 'test', seed: 12, until: UNTIL, now: OPS_NOW });
    const [a, b] = [(await fingerprint(other)).split('/'), (await fingerprint(db)).split('/')];
    expect(a[0]).not.toBe(b[0]); // other geometry
    expect(a[2]).not.toBe(b[2]); // other tickets
  }, 300_000);
});

describe('areas', () => {
  it('has the real districts, subdistricts and communities with their official codes', async () => {
    const districts = await rows(
      db,
      sql`SELECT code, name FROM areas WHERE level = 'district' ORDER BY code`,
    );
    expect(districts).toEqual([
      { code: '620102', name: '城关区' },
      { code: '620103', name: '七里河区' },
      { code: '620104', name: '西固区' },
      { code: '620105', name: '安宁区' },
      { code: '620111', name: '红古区' },
    ]);
    const named = await rows(
      db,
      sql`
      SELECT a.code, a.name, p.code AS parent FROM areas a JOIN areas p ON p.id = a.parent_id
      WHERE a.code IN ('620111004', '620111004003', '620102001')
      ORDER BY a.code`,
    );
    expect(named).toEqual([
      { code: '620102001', name: '酒泉路街道', parent: '620102' },
      { code: '620111004', name: '华龙街道', parent: '620111' },
      { code: '620111004003', name: '龙源社区', parent: '620111004' },
    ]);
    const counts = await one(
      db,
      sql`
      SELECT count(*) FILTER (WHERE level = 'subdistrict')::int AS subdistricts,
             count(*) FILTER (WHERE level = 'community')::int AS communities,
             count(*) FILTER (WHERE level = 'subdistrict' AND code !~ '^6201\\d{5}$')::int AS bad_sub,
             count(*) FILTER (WHERE level = 'community' AND code !~ '^6201\\d{8}$')::int AS bad_com,
             count(*) FILTER (WHERE level IN ('grid', 'compound') AND code IS NOT NULL)::int AS coded
      FROM areas`,
    );
    expect(counts).toEqual({
      subdistricts: 71,
      communities: 568,
      bad_sub: 0,
      bad_com: 0,
      coded: 0,
    });
    const badPrefix = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas a JOIN areas p ON p.id = a.parent_id
      WHERE a.code IS NOT NULL AND left(a.code, length(p.code)) <> p.code`,
    );
    expect(badPrefix.n).toBe(0);
  });

  it('keeps parent, path and level consistent down to the compounds', async () => {
    const bad = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
      WHERE a.path <> coalesce(p.path, '{}') || a.id
         OR array_length(a.path, 1) <> array_position(
              ARRAY['district', 'subdistrict', 'community', 'grid', 'compound'], a.level)`,
    );
    expect(bad.n).toBe(0);
    const empty = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas g WHERE g.level IN ('community', 'grid')
        AND NOT EXISTS (SELECT 1 FROM areas c WHERE c.level = 'compound' AND c.path[array_length(g.path, 1)] = g.id)`,
    );
    expect(empty.n).toBe(0); // every community and every grid has a compound
    const names = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM (
        SELECT path[3], name FROM areas WHERE level = 'compound' GROUP BY 1, 2 HAVING count(*) > 1) d`,
    );
    expect(names.n).toBe(0); // compound names are unique within a community
  });

  it('stores valid geometry with label points on it and areas in m²', async () => {
    const r = await one(
      db,
      sql`
      SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom))::int AS invalid,
             count(*) FILTER (WHERE NOT ST_Intersects(label_point, geom))::int AS off_label,
             count(*) FILTER (WHERE abs(area_m2 - ST_Area(geom::geography)) > 1)::int AS bad_area,
             round(sum(area_m2) FILTER (WHERE level = 'district') / 1e6)::int AS km2
      FROM areas`,
    );
    expect(r).toEqual({ invalid: 0, off_label: 0, bad_area: 0, km2: expect.any(Number) });
    expect(r.km2).toBeGreaterThan(1400); // the five urban districts are ≈1,630 km²
    expect(r.km2).toBeLessThan(1800);
  });

  // Predicates on a 1e-8° (≈1 mm) buffer rather than overlays (ST_Difference, ST_Intersection),
  // which PGlite's GEOS cannot always compute on cells sharing a boundary.
  it('nests every area inside its parent', async () => {
    const r = await one(
      db,
      sql`
      WITH parent AS (SELECT id, ST_Buffer(geom, 1e-8) AS g FROM areas WHERE level <> 'compound')
      SELECT count(*) FILTER (WHERE NOT ST_CoveredBy(a.geom, p.g))::int AS outside, count(*)::int AS n
      FROM areas a JOIN parent p ON p.id = a.parent_id`,
    );
    expect(r.n).toBeGreaterThan(1500);
    expect(r.outside).toBe(0);
  });

  it('tiles each parent with its subdistricts, communities and grids, and keeps compounds apart', async () => {
    const overlaps = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas a JOIN areas b
        ON a.parent_id = b.parent_id AND a.id <> b.id AND a.level = b.level AND a.geom && b.geom
      WHERE ST_Intersects(ST_Buffer(a.geom, -1e-8), b.geom)`,
    );
    expect(overlaps.n).toBe(0);
    // Planar areas: geodesic ones (area_m2) bend a long shared edge differently for the parent
    // (one arc) and its children (several), a 1e-4 difference that is not a gap.
    const gaps = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas p
      JOIN (SELECT parent_id, sum(ST_Area(geom)) AS s FROM areas
            WHERE level IN ('subdistrict', 'community', 'grid') GROUP BY 1) c ON c.parent_id = p.id
      WHERE abs(c.s / ST_Area(p.geom) - 1) > 1e-7`,
    );
    expect(gaps.n).toBe(0);
    // Compounds leave streets between them: no two even touch, across grid borders too.
    const touching = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM areas a JOIN areas b
        ON a.id < b.id AND a.level = 'compound' AND b.level = 'compound' AND ST_DWithin(a.geom, b.geom, 0.00005)`,
    );
    expect(touching.n).toBe(0);
  });

  it('puts buildings inside their compound, apart from each other', async () => {
    const r = await one(
      db,
      sql`
      SELECT count(*) FILTER (WHERE NOT ST_CoveredBy(b.geom, c.geom))::int AS outside,
             count(*)::int AS n,
             (SELECT count(*)::int FROM buildings x JOIN buildings y
                ON x.compound_id = y.compound_id AND x.id < y.id AND ST_Intersects(x.geom, y.geom)) AS overlapping
      FROM buildings b JOIN areas c ON c.id = b.compound_id`,
    );
    expect(r.n).toBeGreaterThan(500);
    expect(r.outside).toBe(0);
    expect(r.overlapping).toBe(0);
    const counts = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM compounds c
      WHERE c.buildings_count <> (SELECT count(*) FROM buildings b WHERE b.compound_id = c.area_id)`,
    );
    expect(counts.n).toBe(0);
  });

  it('concentrates compounds in the valley around the urban cores', async () => {
    // Within 3 km of 张掖路 (城关's old core) against the whole of 城关区, per km².
    const r = await one(
      db,
      sql`
      WITH core AS (SELECT ST_Buffer(ST_SetSRID(ST_MakePoint(103.832, 36.06), 4326)::geography, 3000)::geometry AS g),
           district AS (SELECT geom AS g, area_m2 FROM areas WHERE code = '620102')
      SELECT (SELECT count(*) FROM areas a, core WHERE a.level = 'compound' AND ST_Intersects(a.label_point, core.g))
               / (SELECT ST_Area(g::geography) / 1e6 FROM core) AS near,
             (SELECT count(*) FROM areas a, district d WHERE a.level = 'compound' AND ST_Intersects(a.label_point, d.g))
               / (SELECT area_m2 / 1e6 FROM district) AS overall`,
    );
    expect(Number(r.near)).toBeGreaterThan(2 * Number(r.overall));
  });
});

describe('compounds', () => {
  it('have attributes that follow their age', async () => {
    const r = await one(
      db,
      sql`
      SELECT
        avg((property_company_id IS NULL)::int) FILTER (WHERE year_built < 1995) AS no_company_old,
        avg((property_company_id IS NULL)::int) FILTER (WHERE year_built >= 2005) AS no_company_new,
        avg(has_elevator::int) FILTER (WHERE year_built < 1998) AS elevator_old,
        avg(has_elevator::int) FILTER (WHERE year_built >= 2010) AS elevator_new,
        avg((pipe_condition = 'poor')::int) FILTER (WHERE year_built < 1995) AS poor_old,
        avg((pipe_condition = 'poor')::int) FILTER (WHERE year_built >= 2005) AS poor_new,
        min(year_built) AS first, max(year_built) AS last,
        count(*) FILTER (WHERE provincial_demonstration)::int AS demonstration
      FROM compounds`,
    );
    expect(Number(r.no_company_old)).toBeGreaterThan(Number(r.no_company_new) + 0.2);
    expect(Number(r.elevator_old)).toBeLessThan(0.3);
    expect(Number(r.elevator_new)).toBeGreaterThan(0.9);
    expect(Number(r.poor_old)).toBeGreaterThan(3 * Number(r.poor_new));
    expect(r.first).toBeGreaterThanOrEqual(1980);
    expect(r.last).toBeLessThanOrEqual(2024);
    expect(r.demonstration).toBeGreaterThanOrEqual(3);
  });
});

describe('tickets', () => {
  it('carry the area ids of the place they are in', async () => {
    const r = await one(
      db,
      sql`
      SELECT
        count(*) FILTER (WHERE t.compound_id IS NOT NULL AND
          ARRAY[t.district_id, t.subdistrict_id, t.community_id, t.grid_id, t.compound_id] <> c.path)::int AS bad_path,
        count(*) FILTER (WHERE t.compound_id IS NOT NULL AND NOT ST_Intersects(t.geom, c.geom))::int AS outside_compound,
        count(*) FILTER (WHERE t.compound_id IS NULL AND
          (ARRAY[t.district_id, t.subdistrict_id, t.community_id, t.grid_id] <> g.path
           OR NOT ST_Intersects(t.geom, g.geom)))::int AS bad_street,
        count(*) FILTER (WHERE t.compound_id IS NULL)::int AS street,
        count(*)::int AS n
      FROM tickets t JOIN areas g ON g.id = t.grid_id LEFT JOIN areas c ON c.id = t.compound_id`,
    );
    expect(r.bad_path).toBe(0);
    expect(r.outside_compound).toBe(0);
    expect(r.bad_street).toBe(0);
    expect(r.street / r.n).toBeGreaterThan(0.03);
    expect(r.street / r.n).toBeLessThan(0.2);
    const inCompound = await one(
      db,
      sql`
      SELECT count(*)::int AS n FROM tickets t JOIN areas c ON c.level = 'compound' AND ST_Intersects(t.geom, c.geom)
      WHERE t.compound_id IS NULL`,
    );
    expect(inCompound.n).toBe(0); // street tickets are on the street
  });

  it('use every category and channel, with codes, residents and a responder', async () => {
    const r = await one(
      db,
      sql`
      SELECT count(DISTINCT category)::int AS categories, count(DISTINCT channel)::int AS channels,
             count(*) FILTER (WHERE code !~ '^T\\d{13}$')::int AS bad_code,
             count(*) FILTER (WHERE resident_phone !~ '^1[35789]\\d{9}$')::int AS bad_phone,
             count(*) FILTER (WHERE resident_name IS NULL)::int AS anonymous,
             count(*) FILTER (WHERE property_company_id IS NOT NULL AND department_id IS NOT NULL)::int AS both,
             count(*) FILTER (WHERE category = 'property_service' AND property_company_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM compounds c WHERE c.area_id = t.compound_id
                                 AND c.property_company_id = t.property_company_id))::int AS wrong_company,
             count(*)::int AS n
      FROM tickets t`,
    );
    expect(r.categories).toBe(10);
    expect(r.channels).toBe(5);
    expect(r.bad_code).toBe(0);
    expect(r.bad_phone).toBe(0);
    expect(r.anonymous).toBeGreaterThan(0);
    expect(r.anonymous / r.n).toBeLessThan(0.4);
    expect(r.both).toBe(0);
    expect(r.wrong_company).toBe(0);
  });

  it('have a plausible lifecycle: mostly closed, some open and overdue, detours', async () => {
    const r = await one(
      db,
      sql`
      SELECT
        count(*) FILTER (WHERE status = 'closed')::float8 / count(*) AS closed,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate'))::int AS open,
        count(*) FILTER (WHERE closed_at IS NULL AND status NOT IN ('resolved', 'rejected_duplicate') AND due_at < ${NOW}::timestamptz)::int AS overdue,
        count(DISTINCT status)::int AS statuses,
        count(*) FILTER (WHERE due_at <= received_at OR received_at >= ${NOW}::timestamptz
          OR received_at < ${NOW}::timestamptz - interval '366 days')::int AS bad_time,
        count(*) FILTER (WHERE (status = 'closed') <> (resolved_at IS NOT NULL AND closed_at IS NOT NULL AND closed_at >= resolved_at))::int AS bad_closed,
        count(*) FILTER (WHERE satisfaction IS NOT NULL AND status <> 'closed')::int AS bad_satisfaction,
        avg(satisfaction) AS satisfaction,
        avg(satisfaction) FILTER (WHERE resolved_at > due_at) AS late_satisfaction
      FROM tickets`,
    );
    expect(r.closed).toBeGreaterThan(0.85);
    expect(r.open).toBeGreaterThan(10);
    expect(r.overdue).toBeGreaterThan(0);
    expect(r.statuses).toBeGreaterThanOrEqual(7);
    expect(r.bad_time).toBe(0);
    expect(r.bad_closed).toBe(0);
    expect(r.bad_satisfaction).toBe(0);
    expect(Number(r.satisfaction)).toBeGreaterThan(3.7);
    expect(Number(r.late_satisfaction)).toBeLessThan(Number(r.satisfaction) - 0.3);
  });

  it('have a timeline from receipt to their present status, in order and not in the future', async () => {
    const r = await one(
      db,
      sql`
      SELECT
        count(*) FILTER (WHERE last.status IS DISTINCT FROM t.status)::int AS wrong_last,
        count(*) FILTER (WHERE first.status <> 'received' OR first.at <> t.received_at)::int AS wrong_first,
        (SELECT count(*)::int FROM ticket_events WHERE at > ${NOW}::timestamptz OR actor = '' OR at IS NULL) AS bad_events,
        (SELECT count(*)::int FROM (SELECT at < lag(at) OVER (PARTITION BY ticket_id ORDER BY id) AS back FROM ticket_events) s WHERE back) AS backwards,
        (SELECT count(DISTINCT status)::int FROM ticket_events) AS statuses
      FROM tickets t
      CROSS JOIN LATERAL (SELECT status, at FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY id DESC LIMIT 1) last
      CROSS JOIN LATERAL (SELECT status, at FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY id LIMIT 1) first`,
    );
    expect(r).toEqual({ wrong_last: 0, wrong_first: 0, bad_events: 0, backwards: 0, statuses: 10 });
  });

  it('gather where compounds have the problems: parking, pipes, no property company', async () => {
    const per100 = async (category: string, condition: ReturnType<typeof sql>) =>
      one(
        db,
        sql`
        SELECT sum(n) FILTER (WHERE cond) * 100.0 / sum(c.households) FILTER (WHERE cond) AS yes,
               sum(n) FILTER (WHERE NOT cond) * 100.0 / sum(c.households) FILTER (WHERE NOT cond) AS no
        FROM (SELECT c.*, ${condition} AS cond,
                (SELECT count(*) FROM tickets t WHERE t.compound_id = c.area_id AND t.category = ${category}) AS n
              FROM compounds c) c`,
      );
    const parking = await per100('parking', sql`c.registered_cars > c.parking_spaces`);
    expect(Number(parking.yes)).toBeGreaterThan(1.5 * Number(parking.no));
    const pipes = await per100('facilities', sql`c.pipe_condition = 'poor'`);
    expect(Number(pipes.yes)).toBeGreaterThan(1.5 * Number(pipes.no));
    const service = await per100('property_service', sql`c.property_company_id IS NULL`);
    expect(Number(service.yes)).toBeGreaterThan(1.3 * Number(service.no));
  });

  it('follow the week and the seasons', async () => {
    const r = await one(
      db,
      sql`
      WITH t AS (SELECT *, received_at AT TIME ZONE 'UTC' + interval '8 hours' AS local FROM tickets)
      SELECT
        count(*) FILTER (WHERE channel = 'walk_in' AND extract(isodow FROM local) >= 6) / 2.0 AS walk_in_weekend_day,
        count(*) FILTER (WHERE channel = 'walk_in' AND extract(isodow FROM local) < 6) / 5.0 AS walk_in_weekday,
        count(*) FILTER (WHERE category = 'facilities' AND extract(month FROM local) IN (12, 1, 2)) AS facilities_winter,
        count(*) FILTER (WHERE category = 'facilities' AND extract(month FROM local) IN (6, 7, 8)) AS facilities_summer,
        count(*) FILTER (WHERE category = 'noise' AND extract(month FROM local) IN (6, 7, 8)) AS noise_summer,
        count(*) FILTER (WHERE category = 'noise' AND extract(month FROM local) IN (12, 1, 2)) AS noise_winter
      FROM t`,
    );
    expect(Number(r.walk_in_weekend_day)).toBeLessThan(0.4 * Number(r.walk_in_weekday));
    expect(Number(r.facilities_winter)).toBeGreaterThan(1.4 * Number(r.facilities_summer));
    expect(Number(r.noise_summer)).toBeGreaterThan(1.4 * Number(r.noise_winter));
  });
});

describe('hazards and ratings', () => {
  it('finds hazards where they can be: elevators only with elevators, gas in old compounds', async () => {
    const r = await one(
      db,
      sql`
      SELECT
        count(*) FILTER (WHERE h.type = 'elevator' AND NOT c.has_elevator)::int AS phantom_elevators,
        count(DISTINCT h.type)::int AS types,
        count(*) FILTER (WHERE h.due_at <= h.reported_at OR (h.status = 'verified') <> (h.verified_at IS NOT NULL))::int AS bad,
        count(*) FILTER (WHERE h.status IN ('reported', 'rectifying') AND h.due_at < ${NOW}::timestamptz)::int AS overdue,
        avg((h.type = 'gas')::int) FILTER (WHERE c.year_built < 1995) AS gas_old,
        avg((h.type = 'gas')::int) FILTER (WHERE c.year_built >= 2010) AS gas_new
      FROM hazards h LEFT JOIN compounds c ON c.area_id = h.compound_id`,
    );
    expect(r.phantom_elevators).toBe(0);
    expect(r.types).toBe(6);
    expect(r.bad).toBe(0);
    expect(r.overdue).toBeGreaterThan(0);
    expect(Number(r.gas_old)).toBeGreaterThan(Number(r.gas_new));
  });

  it('rates every compound for twelve months, about one in eight red and three in ten yellow', async () => {
    const r = await one(
      db,
      sql`
      SELECT count(DISTINCT period)::int AS periods,
             count(*)::int AS n, (SELECT count(*)::int FROM compounds) AS compounds,
             avg((color = 'red')::int) AS red, avg((color = 'yellow')::int) AS yellow,
             count(*) FILTER (WHERE (color = 'red') <> (score < ${RED_BELOW}))::int AS inconsistent,
             count(*) FILTER (WHERE NOT indicators ? 'ticketsPer100Households')::int AS no_indicators,
             max(period)::text AS last
      FROM compound_ratings`,
    );
    expect(r.periods).toBe(12);
    expect(r.n).toBe(12 * r.compounds);
    expect(r.last).toBe('2026-06-01');
    expect(Number(r.red)).toBeGreaterThan(0.06);
    expect(Number(r.red)).toBeLessThan(0.2);
    expect(Number(r.yellow)).toBeGreaterThan(0.1); // the test scale has fewer tickets per home
    expect(Number(r.yellow)).toBeLessThan(0.42);
    expect(r.inconsistent).toBe(0);
    expect(r.no_indicators).toBe(0);
    expect(YELLOW_BELOW).toBeGreaterThan(RED_BELOW);
  });

  it('leaves the id sequences past the seeded rows, so the app can insert', async () => {
    const r = await one(
      db,
      sql`
      INSERT INTO departments (code, name) VALUES ('test_dept', '测试部门') RETURNING id`,
    );
    expect(r.id).toBe(16);
    await sql`DELETE FROM departments WHERE code = 'test_dept'`.execute(db.kysely);
  });
});
