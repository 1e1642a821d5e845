import { sql } from 'kysely';
import type { Db } from '../client.ts';

/**
 * The label points (WGS-84 lon/lat) of some areas, for an export's GeoJSON geometry: one query per
 * batch of rows, never per row. Only ids of rows the caller's list already answered come here, so
 * no scope is applied again.
 */
export async function areaLabelPoints(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, [number, number]>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const r = await sql<{ points: [number, number, number][] }>`
    SELECT coalesce(json_agg(json_build_array(a.id,
      round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6))), '[]') AS points
    FROM areas a WHERE a.id = ANY(${unique}::int[]) AND a.label_point IS NOT NULL`.execute(
    db.kysely,
  );
  return new Map(r.rows[0]!.points.map(([id, lon, lat]) => [id, [Number(lon), Number(lat)]]));
}
