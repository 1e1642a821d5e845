import { sql, type RawBuilder } from 'kysely';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';
import { pointSql } from './places.ts';

export interface PatrolState {
  id: number;
  accountId: number | null;
  gridId: number;
  districtId: number;
  subdistrictId: number;
  communityId: number;
  startedAt: Date;
  endedAt: Date | null;
  lastM: number;
  /** The track's last point (or the start), [lon, lat]. */
  last: [number, number];
  points: number;
  distanceM: number;
}

export async function lockPatrol(ex: Executor, id: number) {
  const r = await sql<PatrolState>`
    SELECT p.id, p.account_id AS "accountId", p.grid_id AS "gridId", p.district_id AS "districtId",
      p.subdistrict_id AS "subdistrictId", p.community_id AS "communityId",
      p.started_at AS "startedAt", p.ended_at AS "endedAt",
      ST_M(coalesce(ST_EndPoint(p.track), p.start_geom)) AS "lastM",
      json_build_array(ST_X(coalesce(ST_EndPoint(p.track), p.start_geom)),
        ST_Y(coalesce(ST_EndPoint(p.track), p.start_geom))) AS last,
      coalesce(ST_NPoints(p.track), 1) AS points, p.distance_m AS "distanceM"
    FROM patrols p WHERE p.id = ${id} FOR UPDATE OF p`.execute(ex);
  return r.rows[0];
}

export async function insertPatrol(
  ex: Executor,
  p: {
    accountId: number;
    name: string;
    place: { districtId: number; subdistrictId: number; communityId: number; gridId: number };
    position: readonly [number, number];
    at: Date;
  },
) {
  const r = await sql<{ id: number }>`
    INSERT INTO patrols (account_id, gridworker_name, district_id, subdistrict_id, community_id,
      grid_id, started_at, start_geom)
    VALUES (${p.accountId}, ${p.name}, ${p.place.districtId}, ${p.place.subdistrictId},
      ${p.place.communityId}, ${p.place.gridId}, ${p.at},
      ST_SetSRID(ST_MakePointM(${p.position[0]}, ${p.position[1]}, ${p.at.getTime() / 1000}), 4326))
    RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

/** Appends points to the track (LineStringM, M = Unix seconds) and re-measures it. */
export async function appendTrack(ex: Executor, id: number, points: [number, number, number][]) {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const ms = points.map((p) => p[2]);
  const r = await sql<{ points: number; distanceM: number }>`
    WITH pts AS (
      SELECT ST_SetSRID(ST_MakePointM(x, y, m), 4326) AS g, i
      FROM unnest(${lons}::float8[], ${lats}::float8[], ${ms}::float8[]) WITH ORDINALITY AS u(x, y, m, i)
    ), added AS (SELECT array_agg(g ORDER BY i) AS gs FROM pts)
    UPDATE patrols p
    SET track = ST_MakeLine(ARRAY[coalesce(p.track, p.start_geom)] || added.gs),
      distance_m = ST_Length(ST_MakeLine(ARRAY[coalesce(p.track, p.start_geom)] || added.gs)::geography)
    FROM added WHERE p.id = ${id}
    RETURNING ST_NPoints(p.track) AS points, p.distance_m AS "distanceM"`.execute(ex);
  return r.rows[0]!;
}

/** The patrol this account has not ended yet, if any. */
export async function openPatrolOf(ex: Executor, accountId: number) {
  return ex
    .selectFrom('patrols')
    .select('id')
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

/** Grids under the areas given (all when none), with when each was last patrolled. */
export function gridsUnder(areaIds: number[]): RawBuilder<boolean> {
  return areaIds.length
    ? sql<boolean>`${sql.join(
        areaIds.map((id) => sql`g.path @> ARRAY[${id}]::int[]`),
        sql` AND `,
      )}`
    : sql<boolean>`true`;
}

export async function endPatrol(ex: Executor, id: number, at: Date) {
  await ex.updateTable('patrols').set({ ended_at: at }).where('id', '=', id).execute();
}

/** Whether a point is within `metres` of the compound, and the compound's grid. */
export async function compoundNear(
  ex: Executor,
  compoundId: number,
  position: readonly [number, number],
  metres: number,
) {
  const r = await sql<{ gridId: number; name: string; near: boolean; distanceM: number }>`
    SELECT a.parent_id AS "gridId", a.name,
      ST_DWithin(a.geom::geography, ${pointSql(position)}::geography, ${metres}) AS near,
      round(ST_Distance(a.geom::geography, ${pointSql(position)}::geography)::numeric)::float8 AS "distanceM"
    FROM areas a WHERE a.id = ${compoundId} AND a.level = 'compound'`.execute(ex);
  return r.rows[0];
}

export async function insertCheckin(
  ex: Executor,
  c: {
    patrolId: number;
    compoundId: number;
    at: Date;
    position: readonly [number, number];
    note: string;
  },
) {
  const r = await sql<{ id: number }>`
    INSERT INTO patrol_checkins (patrol_id, compound_id, at, geom, note)
    VALUES (${c.patrolId}, ${c.compoundId}, ${c.at}, ${pointSql(c.position)}, ${c.note})
    RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

/** A day's tracks and check-ins as one GeoJSON FeatureCollection built in SQL. */
export async function patrolsGeoJson(
  db: Db,
  f: { scope: RawBuilder<boolean>; area?: { id: number; level: AreaLevel }; from: Date; to: Date },
) {
  const where: RawBuilder<unknown>[] = [
    f.scope,
    sql`p.started_at >= ${f.from}`,
    sql`p.started_at < ${f.to}`,
  ];
  if (f.area && f.area.level !== 'compound')
    where.push(sql`${sql.ref(`p.${f.area.level}_id`)} = ${f.area.id}`);
  const r = await sql<{ body: string }>`
    WITH m AS (SELECT p.* FROM patrols p WHERE ${sql.join(where, sql` AND `)}),
    tracks AS (
      SELECT json_build_object('type', 'Feature', 'id', m.id,
        'geometry', ST_AsGeoJSON(coalesce(m.track, ST_MakeLine(m.start_geom, m.start_geom)), 6)::json,
        'properties', json_build_object('kind', 'track', 'id', m.id, 'gridId', m.grid_id,
          'gridworker', m.gridworker_name, 'startedAt', m.started_at, 'endedAt', m.ended_at,
          'distanceM', round(m.distance_m::numeric, 1),
          'checkins', (SELECT count(*) FROM patrol_checkins c WHERE c.patrol_id = m.id),
          'timestamps', (SELECT json_agg(ST_M(d.geom) ORDER BY d.path)
            FROM ST_DumpPoints(coalesce(m.track, ST_MakeLine(m.start_geom, m.start_geom))) d))) AS f
      FROM m
    ),
    checkins AS (
      SELECT json_build_object('type', 'Feature', 'id', 'c' || c.id,
        'geometry', ST_AsGeoJSON(c.geom, 6)::json,
        'properties', json_build_object('kind', 'checkin', 'patrolId', c.patrol_id,
          'compoundId', c.compound_id, 'compoundName', a.name, 'at', c.at)) AS f
      FROM patrol_checkins c JOIN m ON m.id = c.patrol_id JOIN areas a ON a.id = c.compound_id
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features',
      coalesce((SELECT json_agg(f) FROM (SELECT f FROM tracks UNION ALL SELECT f FROM checkins) x), '[]'))::text AS body`.execute(
    db.kysely,
  );
  return r.rows[0]!.body;
}

/** Every grid under an area (or the whole city) with when it was last patrolled. */
export async function patrolCoverage(
  db: Db,
  f: { gridScope: RawBuilder<boolean>; dayStart: Date },
) {
  const r = await sql<{ items: unknown[] }>`
    SELECT coalesce(json_agg(json_build_object('gridId', g.id, 'name', g.name,
      'lastPatrolledAt', lp.last, 'patrolsToday', coalesce(lp.today, 0)) ORDER BY g.id), '[]') AS items
    FROM areas g
    LEFT JOIN LATERAL (
      SELECT max(p.started_at) AS last, count(*) FILTER (WHERE p.started_at >= ${f.dayStart})::int AS today
      FROM patrols p WHERE p.grid_id = g.id
    ) lp ON true
    WHERE g.level = 'grid' AND ${f.gridScope}`.execute(db.kysely);
  return r.rows[0]!;
}
