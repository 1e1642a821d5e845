import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { float32FromBigEndian, uint32FromBigEndian, unpackCodes } from '../postgis.ts';
import type { PointColumns } from '../../../geo/point-codec.ts';

/**
 * The shared shape of the map's point layers (tickets, hazards): a filtered, newest-first,
 * limited selection packed inside the database either as GeoJSON text or as big-endian columns.
 */
export interface PointSelection {
  /** FROM clause with alias `t`, e.g. sql`tickets t`. */
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>[];
  /** Newest first: the column the selection is ordered by, descending. */
  orderBy: RawBuilder<unknown>;
  limit: number;
}

function whereClause(parts: RawBuilder<unknown>[]) {
  return parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``;
}

export async function selectPointsGeoJson(
  db: Db,
  s: PointSelection,
  properties: RawBuilder<unknown>,
): Promise<{ fetched: number; features: string }> {
  const r = await sql<{ fetched: number; features: string }>`
    WITH s AS (
      SELECT t.* FROM ${s.from} ${whereClause(s.where)}
      ORDER BY ${s.orderBy} DESC, t.id DESC LIMIT ${s.limit + 1}
    ), k AS (SELECT * FROM s t ORDER BY ${s.orderBy} DESC, t.id DESC LIMIT ${s.limit})
    SELECT (SELECT count(*) FROM s)::int AS fetched,
      coalesce((SELECT json_agg(json_build_object(
        'type', 'Feature', 'id', t.id,
        'geometry', ST_AsGeoJSON(t.geom, 6)::json,
        'properties', ${properties}) ORDER BY ${s.orderBy} DESC, t.id DESC) FROM k t), '[]'::json)::text AS features`.execute(
    db.kysely,
  );
  return r.rows[0]!;
}

/** `codes` must yield an int whose four bytes are the four code columns (a<<24|b<<16|c<<8|d). */
export async function selectPointsPacked(
  db: Db,
  s: PointSelection,
  codes: RawBuilder<number>,
): Promise<{ fetched: number; columns: PointColumns }> {
  const r = await sql<{
    fetched: number;
    pos: Uint8Array | null;
    ids: Uint8Array | null;
    codes: Uint8Array | null;
  }>`
    WITH s AS (
      SELECT t.* FROM ${s.from} ${whereClause(s.where)}
      ORDER BY ${s.orderBy} DESC, t.id DESC LIMIT ${s.limit + 1}
    ), k AS (SELECT * FROM s t ORDER BY ${s.orderBy} DESC, t.id DESC LIMIT ${s.limit})
    SELECT (SELECT count(*) FROM s)::int AS fetched, p.*
    FROM (SELECT
        string_agg(float4send(ST_X(t.geom)::float4) || float4send(ST_Y(t.geom)::float4), ''::bytea ORDER BY ${s.orderBy} DESC, t.id DESC) AS pos,
        string_agg(int4send(t.id), ''::bytea ORDER BY ${s.orderBy} DESC, t.id DESC) AS ids,
        string_agg(int4send(${codes}), ''::bytea ORDER BY ${s.orderBy} DESC, t.id DESC) AS codes
      FROM k t) p`.execute(db.kysely);
  const row = r.rows[0]!;
  return {
    fetched: row.fetched,
    columns: {
      positions: float32FromBigEndian(row.pos),
      ids: uint32FromBigEndian(row.ids),
      codes: unpackCodes(row.codes),
    },
  };
}

/** 0-based index of a text column's value in a vocabulary, as a SQL int. */
export function codeIndex(
  column: RawBuilder<unknown>,
  keys: readonly string[],
): RawBuilder<number> {
  return sql<number>`(coalesce(array_position(${[...keys]}::text[], ${column}), 0) - 1)`;
}
