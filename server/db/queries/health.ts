import { sql } from 'kysely';
import type { Db } from '../client.ts';

export async function postgisVersion(db: Db): Promise<string> {
  const r = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(db.kysely);
  return r.rows[0]!.v;
}

export async function rowCounts(db: Db) {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM areas)::int AS areas,
      (SELECT count(*) FROM areas WHERE level = 'district')::int AS districts,
      (SELECT count(*) FROM areas WHERE level = 'subdistrict')::int AS subdistricts,
      (SELECT count(*) FROM areas WHERE level = 'community')::int AS communities,
      (SELECT count(*) FROM areas WHERE level = 'grid')::int AS grids,
      (SELECT count(*) FROM compounds)::int AS compounds,
      (SELECT count(*) FROM buildings)::int AS buildings,
      (SELECT count(*) FROM property_companies)::int AS "propertyCompanies",
      (SELECT count(*) FROM tickets)::int AS tickets,
      (SELECT count(*) FROM ticket_events)::int AS "ticketEvents",
      (SELECT count(*) FROM hazards)::int AS hazards`.execute(db.kysely);
  return r.rows[0]!;
}

export async function cityBounds(db: Db): Promise<[number, number, number, number] | null> {
  const r = await sql<{ b: [number, number, number, number] | null }>`
    SELECT CASE WHEN e IS NULL THEN NULL
      ELSE json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) END AS b
    FROM (SELECT ST_Extent(geom) AS e FROM areas WHERE level = 'district') x`.execute(db.kysely);
  return r.rows[0]?.b ?? null;
}

export async function ticketDataRange(db: Db) {
  const r = await sql<{ from: Date | null; to: Date | null }>`
    SELECT min(received_at) AS "from", max(received_at) AS "to" FROM tickets`.execute(db.kysely);
  return r.rows[0]!;
}
