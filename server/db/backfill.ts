import { latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The resolution stored on records; coarser cells are its parents (SQL `h3_parent`). */
export const STORED_H3_RES = 9;

/** The H3 cell of a [lon, lat] position at the stored resolution, as a decimal string for SQL. */
export function storedCell([lon, lat]: readonly [number, number]): string {
  return BigInt(`0x${latLngToCell(lat, lon, STORED_H3_RES)}`).toString();
}

const BATCH = 20_000;

/**
 * Gives every ticket, hazard and compound written before the cells existed its H3 cell, in
 * batches (the tickets' rollup trigger adds each to the cell rollups as it is filled). New records
 * get theirs when they are written, so after the first run this finds nothing, through a partial
 * index, at once.
 */
export async function backfillCells(db: Kysely<Database>): Promise<number> {
  let filled = 0;
  for (const table of ['tickets', 'hazards'] as const) {
    for (;;) {
      const rows = await sql<{ id: number; x: number; y: number }>`
        SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM ${sql.table(table)}
        WHERE h3 IS NULL ORDER BY id LIMIT ${BATCH}`.execute(db);
      if (rows.rows.length === 0) break;
      const ids = rows.rows.map((r) => r.id);
      const cells = rows.rows.map((r) => storedCell([r.x, r.y]));
      await sql`UPDATE ${sql.table(table)} AS t SET h3 = u.h3
        FROM unnest(${ids}::int4[], ${cells}::int8[]) AS u(id, h3) WHERE t.id = u.id`.execute(db);
      filled += rows.rows.length;
    }
  }
  const compounds = await sql<{ id: number; x: number; y: number }>`
    SELECT c.area_id AS id, ST_X(a.label_point) AS x, ST_Y(a.label_point) AS y
    FROM compounds c JOIN areas a ON a.id = c.area_id WHERE c.h3 IS NULL`.execute(db);
  if (compounds.rows.length > 0) {
    const ids = compounds.rows.map((r) => r.id);
    const cells = compounds.rows.map((r) => storedCell([r.x, r.y]));
    await sql`UPDATE compounds AS c SET h3 = u.h3
      FROM unnest(${ids}::int4[], ${cells}::int8[]) AS u(id, h3) WHERE c.area_id = u.id`.execute(
      db,
    );
    filled += ids.length;
  }
  return filled;
}
