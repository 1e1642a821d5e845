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
 * batches. Tickets are filled with the rollup trigger off and the rollups recounted once at the
 * end, inside the caller's transaction: the ALTER holds an exclusive lock on `tickets`, so
 * concurrent writers wait for it rather than miss the rollups. New records get their cell when
 * they are written, so after the first run this finds nothing, through a partial index, at once.
 */
export async function backfillCells(tx: Kysely<Database>): Promise<number> {
  let filled = 0;
  const missing = await sql`SELECT 1 FROM tickets WHERE h3 IS NULL LIMIT 1`.execute(tx);
  if (missing.rows.length > 0) {
    // Maintenance, not a request: recounting a large city's rollups outlasts the 30 s bound.
    await sql`SET LOCAL statement_timeout = 0`.execute(tx);
    await sql`ALTER TABLE tickets DISABLE TRIGGER tickets_rollups`.execute(tx);
    filled += await fill(tx, 'tickets');
    await sql`SELECT rebuild_ticket_rollups()`.execute(tx);
    await sql`ALTER TABLE tickets ENABLE TRIGGER tickets_rollups`.execute(tx);
  }
  filled += await fill(tx, 'hazards');
  const compounds = await sql<{ id: number; x: number; y: number }>`
    SELECT c.area_id AS id, ST_X(a.label_point) AS x, ST_Y(a.label_point) AS y
    FROM compounds c JOIN areas a ON a.id = c.area_id WHERE c.h3 IS NULL`.execute(tx);
  if (compounds.rows.length > 0) {
    const ids = compounds.rows.map((r) => r.id);
    const cells = compounds.rows.map((r) => storedCell([r.x, r.y]));
    await sql`UPDATE compounds AS c SET h3 = u.h3
      FROM unnest(${ids}::int4[], ${cells}::int8[]) AS u(id, h3) WHERE c.area_id = u.id`.execute(
      tx,
    );
    filled += ids.length;
  }
  return filled;
}

async function fill(tx: Kysely<Database>, table: 'tickets' | 'hazards'): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await sql<{ id: number; x: number; y: number }>`
      SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM ${sql.table(table)}
      WHERE h3 IS NULL ORDER BY id LIMIT ${BATCH}`.execute(tx);
    if (rows.rows.length === 0) return filled;
    const ids = rows.rows.map((r) => r.id);
    const cells = rows.rows.map((r) => storedCell([r.x, r.y]));
    await sql`UPDATE ${sql.table(table)} AS t SET h3 = u.h3
      FROM unnest(${ids}::int4[], ${cells}::int8[]) AS u(id, h3) WHERE t.id = u.id`.execute(tx);
    filled += rows.rows.length;
  }
}
