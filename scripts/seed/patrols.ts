/**
 * 网格巡查: a week of gridworkers' patrols up to "now". On most working days each grid's
 * gridworker walks in from the edge of the grid, through a few of its compounds (around the
 * compound when the grid has only one), checking in at each, at a walking pace with a GPS fix
 * every half minute. Today's patrols that have not finished by "now" are still going.
 *
 * Tracks are built in TypeScript in a metric frame and travel to the database as WKB
 * (LineStringM, M = Unix seconds); distances are measured by PostGIS on the geography.
 */
import { Buffer } from 'node:buffer';
import { sql } from 'kysely';
import { localFrame } from '../../geo/local-frame.ts';
import type { MultiPolygon, Position } from '../../geo/planar.ts';
import { pointInMultiPolygon } from '../../geo/planar.ts';
import { createRng, type Rng } from '../../geo/prng.ts';
import { gridworkerName } from './accounts.ts';
import { BEIJING_OFFSET_S, DAY_S } from './calendar.ts';
import { E7, toE7, type Tx } from './write.ts';

/** Days of patrols, today included. */
export const PATROL_DAYS = 7;
const PATROL_CHANCE = 0.7;
const WORK_START_S = 8.5 * 3600;
const WORK_END_S = 18 * 3600;
const WALK_MPS = 1.2;
const FIX_EVERY_S = 30;
/** How far in from the edge a walk starts at most: rural grids are kilometres across. */
const MAX_APPROACH_M = 450;
/** A compound further than this from the last one is left for another day. */
const MAX_LEG_M = 1200;
const CHECKIN_NOTES = ['门岗正常', '消防通道畅通', '楼道无堆物', '走访住户', '垃圾清运及时', ''];

interface CompoundStop {
  id: number;
  label: Position; // lon/lat, on the compound's surface
  edge: Position; // the nearest point of the grid's boundary, lon/lat
  ring: Position[]; // the compound's outline, lon/lat
}

interface GridPlan {
  id: number;
  geom: MultiPolygon; // lon/lat
  compounds: CompoundStop[];
}

export interface PatrolRow {
  gridId: number;
  accountId: number | null;
  name: string;
  startS: number;
  endS: number | null;
  /** [lon, lat, unixSeconds] in time order; one point when the walk has just begun. */
  points: [number, number, number][];
}

export interface CheckinRow {
  /** Index into the patrols array. */
  patrol: number;
  compoundId: number;
  atS: number;
  lonLat: Position;
  note: string;
}

async function loadGrids(tx: Tx): Promise<GridPlan[]> {
  // One JSON value: rows crossing PGlite's WebAssembly boundary one by one are slow.
  const r = await sql<{ body: string | null }>`
    SELECT json_agg(json_build_object(
      'id', g.id,
      'geom', (ST_AsGeoJSON(g.geom, 7)::json) -> 'coordinates',
      'compounds', (
        SELECT json_agg(json_build_object(
          'id', c.id,
          'label', json_build_array(ST_X(c.label_point), ST_Y(c.label_point)),
          'edge', json_build_array(ST_X(e.p), ST_Y(e.p)),
          'ring', (ST_AsGeoJSON(ST_ExteriorRing(ST_GeometryN(c.geom, 1)), 7)::json) -> 'coordinates'
        ) ORDER BY c.id)
        FROM areas c
        CROSS JOIN LATERAL (SELECT ST_ClosestPoint(ST_Boundary(g.geom), c.label_point) AS p) e
        WHERE c.parent_id = g.id AND c.level = 'compound')
    ) ORDER BY g.id)::text AS body
    FROM areas g WHERE g.level = 'grid'`.execute(tx);
  const grids = JSON.parse(r.rows[0]?.body ?? '[]') as (GridPlan & {
    compounds: CompoundStop[] | null;
  })[];
  return grids.map((g) => ({ ...g, compounds: g.compounds ?? [] }));
}

const frame = localFrame([103.8, 36.06]);
const dist = (a: Position, b: Position) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const lerp = (a: Position, b: Position, t: number): Position => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
];

/** Whether the straight walk from a to b (metres) stays inside the grid, sampled every 10 m. */
function legInside(grid: MultiPolygon, a: Position, b: Position): boolean {
  const n = Math.max(1, Math.ceil(dist(a, b) / 10));
  for (let i = 1; i < n; i++) {
    if (!pointInMultiPolygon(frame.toLonLat(lerp(a, b, i / n)), grid)) return false;
  }
  return true;
}

/** A waypoint of the walk, in metres; `dwellS` is time spent there (a check-in). */
interface Waypoint {
  p: Position;
  dwellS: number;
  checkin?: { compoundId: number; lonLat: Position };
}

/**
 * The walk through a grid: in from the edge nearest the first compound, to each compound's
 * surface point (a check-in), around the compound when it is the only one, and out at the edge
 * nearest the last. The walk from a point to its nearest boundary point never leaves the grid;
 * other legs are checked, and a compound whose leg would cut through a neighbouring grid is left out.
 */
function planWalk(grid: GridPlan, rng: Rng, legs: Map<string, boolean>): Waypoint[] {
  const all = grid.compounds;
  const want = all.length === 1 ? 1 : rng.int(2, Math.min(5, all.length) + 1);
  const pool = rng.shuffled(all);
  const stops: CompoundStop[] = [pool.pop()!];
  while (stops.length < want && pool.length > 0) {
    const last = frame.toMetres(stops[stops.length - 1].label);
    pool.sort((a, b) => dist(frame.toMetres(b.label), last) - dist(frame.toMetres(a.label), last));
    const next = pool.pop()!;
    const p = frame.toMetres(next.label);
    if (dist(p, last) > MAX_LEG_M) break;
    const key = `${stops[stops.length - 1].id}-${next.id}`;
    let ok = legs.get(key);
    if (ok === undefined) {
      ok = legInside(grid.geom, last, p);
      legs.set(key, ok);
    }
    if (ok) stops.push(next);
  }
  const approach = (c: CompoundStop): Position => {
    const label = frame.toMetres(c.label);
    const edge = frame.toMetres(c.edge);
    const d = dist(label, edge);
    // A few metres inside the edge; in a large grid, from part of the way towards it.
    const from = d > MAX_APPROACH_M ? rng.range(150, MAX_APPROACH_M) : d - 3;
    return lerp(label, edge, d > 0 ? Math.max(0, from) / d : 0);
  };
  const way: Waypoint[] = [{ p: approach(stops[0]), dwellS: 0 }];
  for (const c of stops) {
    const label = frame.toMetres(c.label);
    if (stops.length === 1 && c.ring.length > 3) {
      // Around the compound first: to the nearest corner, along the outline, back to the middle.
      const ring = c.ring.slice(0, -1).map((q) => frame.toMetres(q));
      let k = 0;
      ring.forEach((q, i) => (dist(q, label) < dist(ring[k], label) ? (k = i) : 0));
      if (legInside(grid.geom, label, ring[k])) {
        way.push({ p: label, dwellS: 0 });
        for (let i = 0; i <= ring.length; i++)
          way.push({ p: ring[(k + i) % ring.length], dwellS: 0 });
      }
    }
    way.push({
      p: label,
      dwellS: rng.int(120, 360),
      checkin: { compoundId: c.id, lonLat: c.label },
    });
  }
  way.push({ p: approach(stops[stops.length - 1]), dwellS: 0 });
  return way;
}

/** Samples the walk in time: a fix every ~30 s with a few metres of GPS noise. */
function walk(
  way: Waypoint[],
  startS: number,
  rng: Rng,
): { points: [number, number, number][]; checkins: { at: number; w: Waypoint }[] } {
  const speed = WALK_MPS * rng.range(0.85, 1.15);
  // Keyframes: (time, position) at every arrival and departure.
  const keys: { t: number; p: Position; dwell: boolean }[] = [];
  const checkins: { at: number; w: Waypoint }[] = [];
  let t = startS;
  way.forEach((w, i) => {
    if (i > 0) t += dist(way[i - 1].p, w.p) / speed;
    keys.push({ t, p: w.p, dwell: false });
    if (w.checkin) checkins.push({ at: Math.round(t), w });
    if (w.dwellS > 0) {
      t += w.dwellS;
      keys.push({ t, p: w.p, dwell: true });
    }
  });
  const endS = Math.round(t);
  const points: [number, number, number][] = [];
  let k = 0;
  for (let s = startS; ; s += rng.int(FIX_EVERY_S - 5, FIX_EVERY_S + 6)) {
    // The last fix is the end itself, never a second or two after a noisy one (a GPS jump).
    const at = s > startS && s > endS - FIX_EVERY_S / 2 ? endS : s;
    while (k < keys.length - 2 && keys[k + 1].t < at) k++;
    const a = keys[k];
    const b = keys[Math.min(k + 1, keys.length - 1)];
    const p = b.t > a.t ? lerp(a.p, b.p, (at - a.t) / (b.t - a.t)) : a.p;
    // Standing still in a courtyard, a phone's fix wanders more than while walking.
    const noise = b.dwell ? 4 : 2;
    const q =
      at === startS || at === endS ? p : [p[0] + rng.normal(0, noise), p[1] + rng.normal(0, noise)];
    const [lon, lat] = frame.toLonLat(q);
    points.push([lon, lat, at]);
    if (at === endS) break;
  }
  return { points, checkins };
}

/** Epoch seconds of 00:00 Beijing time on the Beijing day containing `s`. */
function beijingMidnight(s: number): number {
  return Math.floor((s + BEIJING_OFFSET_S) / DAY_S) * DAY_S - BEIJING_OFFSET_S;
}

export function generatePatrols(
  grids: GridPlan[],
  opts: { seed: number; nowS: number; account: { id: number; gridId: number } },
): { patrols: PatrolRow[]; checkins: CheckinRow[] } {
  const patrols: PatrolRow[] = [];
  const checkins: CheckinRow[] = [];
  const today = beijingMidnight(opts.nowS);
  const base = createRng(`minqing/${opts.seed}/patrols`);
  for (const grid of grids) {
    if (grid.compounds.length === 0) continue;
    const legs = new Map<string, boolean>();
    const own = grid.id === opts.account.gridId;
    const name = gridworkerName(opts.seed, grid.id);
    for (let d = PATROL_DAYS - 1; d >= 0; d--) {
      const dayS = today - d * DAY_S;
      // Keyed by grid and date, so a patrol does not change when another grid or day does.
      const rng = base.fork(`${grid.id}/${dayS}`);
      if (!rng.chance(PATROL_CHANCE)) continue;
      const way = planWalk(grid, rng, legs);
      const durationS = way.reduce(
        (t, w, i) => t + w.dwellS + (i > 0 ? dist(way[i - 1].p, w.p) / WALK_MPS / 0.85 : 0),
        0,
      );
      const latest = Math.max(WORK_START_S, WORK_END_S - durationS);
      let startS = dayS + Math.round(rng.range(WORK_START_S, latest));
      let { points, checkins: stops } = walk(way, startS, rng);
      let endS = points[points.length - 1][2];
      if (own && endS > opts.nowS) {
        // The demo gridworker must be free to start a patrol: its seeded one has ended.
        startS = opts.nowS - (endS - startS) - rng.int(300, 3600);
        if (startS < dayS + WORK_START_S) continue;
        ({ points, checkins: stops } = walk(way, startS, rng));
        endS = points[points.length - 1][2];
      }
      if (startS >= opts.nowS) continue;
      const going = endS > opts.nowS;
      const index = patrols.length;
      patrols.push({
        gridId: grid.id,
        accountId: own ? opts.account.id : null,
        name,
        startS,
        endS: going ? null : endS,
        points: going ? points.filter((p) => p[2] <= opts.nowS) : points,
      });
      for (const c of stops) {
        if (c.at > opts.nowS) continue;
        checkins.push({
          patrol: index,
          compoundId: c.w.checkin!.compoundId,
          atS: c.at,
          lonLat: c.w.checkin!.lonLat,
          note: rng.pick(CHECKIN_NOTES),
        });
      }
    }
  }
  return { patrols, checkins };
}

/** ISO WKB of a LineStringM (type 2002), little-endian, as hex. */
function lineStringMHex(points: readonly (readonly [number, number, number])[]): string {
  const view = new DataView(new ArrayBuffer(9 + 24 * points.length));
  view.setUint8(0, 1);
  view.setUint32(1, 2002, true);
  view.setUint32(5, points.length, true);
  points.forEach(([x, y, m], i) => {
    view.setFloat64(9 + 24 * i, x, true);
    view.setFloat64(17 + 24 * i, y, true);
    view.setFloat64(25 + 24 * i, m, true);
  });
  return Buffer.from(view.buffer).toString('hex');
}

export async function insertPatrols(
  tx: Tx,
  opts: { seed: number; nowS: number; account: { id: number; gridId: number } },
): Promise<{ patrols: number; checkins: number; points: number }> {
  const grids = await loadGrids(tx);
  const { patrols, checkins } = generatePatrols(grids, opts);
  const base = (
    await sql<{ n: number }>`SELECT coalesce(max(id), 0)::int AS n FROM patrols`.execute(tx)
  ).rows[0].n;
  const batch = 2000;
  for (let from = 0; from < patrols.length; from += batch) {
    const b = patrols.slice(from, from + batch);
    await sql`
      INSERT INTO patrols (id, account_id, gridworker_name, district_id, subdistrict_id,
        community_id, grid_id, started_at, ended_at, start_geom, track, distance_m)
      SELECT ${base + from} + u.n, nullif(u.account, 0), u.name, g.path[1], g.path[2], g.path[3],
        g.id, to_timestamp(u.started), to_timestamp(nullif(u.ended, 0)),
        coalesce(ST_StartPoint(t.track),
          ST_SetSRID(ST_MakePointM(u.x / ${E7}::float8, u.y / ${E7}::float8, u.started), 4326)),
        t.track, coalesce(ST_Length(t.track::geography), 0)
      FROM unnest(${b.map((p) => p.accountId ?? 0)}::int4[], ${b.map((p) => p.name)}::text[],
        ${b.map((p) => p.gridId)}::int4[], ${b.map((p) => p.startS)}::int8[],
        ${b.map((p) => p.endS ?? 0)}::int8[], ${b.map((p) => toE7(p.points[0][0]))}::int4[],
        ${b.map((p) => toE7(p.points[0][1]))}::int4[],
        ${b.map((p) => (p.points.length > 1 ? lineStringMHex(p.points) : ''))}::text[])
        WITH ORDINALITY AS u(account, name, grid, started, ended, x, y, wkb, n)
      JOIN areas g ON g.id = u.grid
      -- The track is NULL until its second point, as for a patrol started in the app.
      CROSS JOIN LATERAL (SELECT CASE WHEN u.wkb = '' THEN NULL
        ELSE ST_SetSRID(ST_GeomFromWKB(decode(u.wkb, 'hex')), 4326) END AS track) t`.execute(tx);
  }
  for (let from = 0; from < checkins.length; from += 10000) {
    const b = checkins.slice(from, from + 10000);
    await sql`
      INSERT INTO patrol_checkins (patrol_id, compound_id, at, geom, note)
      SELECT ${base + 1} + u.patrol, u.compound, to_timestamp(u.at),
        ST_SetSRID(ST_MakePoint(u.x / ${E7}::float8, u.y / ${E7}::float8), 4326), u.note
      FROM unnest(${b.map((c) => c.patrol)}::int4[], ${b.map((c) => c.compoundId)}::int4[],
        ${b.map((c) => c.atS)}::int8[], ${b.map((c) => toE7(c.lonLat[0]))}::int4[],
        ${b.map((c) => toE7(c.lonLat[1]))}::int4[], ${b.map((c) => c.note)}::text[])
        AS u(patrol, compound, at, x, y, note)`.execute(tx);
  }
  await sql`SELECT setval(pg_get_serial_sequence('patrols', 'id'),
    (SELECT coalesce(max(id), 0) + 1 FROM patrols), false)`.execute(tx);
  return {
    patrols: patrols.length,
    checkins: checkins.length,
    points: patrols.reduce((t, p) => t + p.points.length, 0),
  };
}
