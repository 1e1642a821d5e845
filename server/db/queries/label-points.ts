import { sql } from 'kysely';
import type { Db } from '../client.ts';

/**
 * The label points of some areas (compounds, communities…), for the GeoJSON of a list whose rows
 * name a place but carry no position. One query per batch of rows, packed as one JSON value.
 */
export async function labelPoints(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, [number, number]>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const r = await sql<{ points: [number, number, number][] | null }>`
    SELECT json_agg(json_build_array(a.id, round(ST_X(a.label_point)::numeric, 6),
      round(ST_Y(a.label_point)::numeric, 6))) AS points
    FROM areas a WHERE a.id = ANY(${unique}::int[]) AND a.label_point IS NOT NULL`.execute(
    db.kysely,
  );
  return new Map((r.rows[0]?.points ?? []).map(([id, lon, lat]) => [id, [lon, lat]]));
}
