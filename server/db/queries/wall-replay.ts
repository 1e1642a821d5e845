/**
 * The last hours' events for the wall's replay (交接班回放), packed in SQL: one json value with a
 * column per field crosses PGlite's boundary instead of one row per event. Positions and kinds
 * only: no person, no text, no record id leaves the database.
 */
import { sql } from 'kysely';
import { REPLAY_KINDS } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';

/** The order of `k`: the vocabulary's replay kinds, which the query below numbers 0 to 4. */
export const REPLAY_KIND_ORDER = REPLAY_KINDS;

export interface ReplayColumns {
  t: number[];
  k: number[];
  lon: number[];
  lat: number[];
}

/**
 * Events in [from, to) as columns ordered by time: t whole seconds after `from`, k an index into
 * REPLAY_KIND_ORDER, lon/lat rounded to 5 decimals (about 1 m). At most `cap` events, the newest
 * (a wall replaying a busy day still ends at now).
 *
 * Indexes: tickets received by tickets_received_idx, patrols by patrols_started_idx; hazards and
 * whistles have their time column only behind district_id, so the district list is given to
 * reach (district_id, reported_at / blown_at). Tickets closed have no index on closed_at: that
 * part reads the table (a partial index on closed_at would make it a range scan).
 */
export async function replayEvents(db: Db, from: Date, to: Date, cap: number) {
  const f = from.toISOString();
  const t = to.toISOString();
  const r = await sql<{ replay: ReplayColumns }>`
    WITH d AS (SELECT id FROM areas WHERE level = 'district'),
    e AS (
      SELECT received_at AS at, 0 AS k, geom, id FROM tickets
        WHERE received_at >= ${f}::timestamptz AND received_at < ${t}::timestamptz
      UNION ALL
      SELECT closed_at, 1, geom, id FROM tickets
        WHERE closed_at >= ${f}::timestamptz AND closed_at < ${t}::timestamptz
      UNION ALL
      SELECT reported_at, 2, geom, id FROM hazards
        WHERE district_id IN (SELECT id FROM d)
          AND reported_at >= ${f}::timestamptz AND reported_at < ${t}::timestamptz
      UNION ALL
      SELECT blown_at, 3, geom, id FROM whistles
        WHERE district_id IN (SELECT id FROM d)
          AND blown_at >= ${f}::timestamptz AND blown_at < ${t}::timestamptz
      UNION ALL
      SELECT started_at, 4, start_geom, id FROM patrols
        WHERE started_at >= ${f}::timestamptz AND started_at < ${t}::timestamptz
    ),
    s AS (
      SELECT at, k, id, floor(extract(epoch FROM at - ${f}::timestamptz))::int AS t,
        round(ST_X(geom)::numeric, 5) AS lon, round(ST_Y(geom)::numeric, 5) AS lat
      FROM e ORDER BY at DESC, k DESC, id DESC LIMIT ${cap}
    )
    SELECT json_build_object(
      't', coalesce(json_agg(t ORDER BY at, k, id), '[]'),
      'k', coalesce(json_agg(k ORDER BY at, k, id), '[]'),
      'lon', coalesce(json_agg(lon ORDER BY at, k, id), '[]'),
      'lat', coalesce(json_agg(lat ORDER BY at, k, id), '[]')) AS replay
    FROM s`.execute(db.kysely);
  return r.rows[0]!.replay;
}
