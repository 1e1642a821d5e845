/**
 * Bulk writes of the generated rows: one INSERT … SELECT FROM unnest(arrays) per batch, with the
 * arrays bound as parameters. Crossing into PGlite's WebAssembly costs most per value parsed, and
 * float text is the dearest to parse, so geometries travel as WKB (hex) and coordinates and times
 * as integers; derived columns (label points, areas in m², area ids from the grid's path) are
 * computed in SQL.
 */
import { Buffer } from 'node:buffer';
import { type Kysely, sql } from 'kysely';
import type { LocalFrame } from '../../geo/local-frame.ts';
import type { MultiPolygon, Polygon, Position } from '../../geo/planar.ts';
import type { Database } from '../../server/db/schema.ts';
import type { BuildingRow, CompoundRow } from './compounds.ts';
import type { AreaNode } from './geography.ts';
import type { HazardRow } from './hazards.ts';
import { type CompanyRow, DEPARTMENTS } from './responders.ts';

export type Tx = Kysely<Database>;

/** Little-endian WKB of a (multi)polygon in lon/lat, as hex. */
export function wkbHex(geom: MultiPolygon | Polygon, multi: boolean): string {
  const polygons = multi ? (geom as MultiPolygon) : [geom as Polygon];
  let size = multi ? 9 : 0;
  for (const p of polygons) size += 9 + p.reduce((t, r) => t + 4 + 16 * r.length, 0);
  const view = new DataView(new ArrayBuffer(size));
  let o = 0;
  const header = (type: number, count: number) => {
    view.setUint8(o, 1);
    view.setUint32(o + 1, type, true);
    view.setUint32(o + 5, count, true);
    o += 9;
  };
  if (multi) header(6, polygons.length);
  for (const p of polygons) {
    header(3, p.length);
    for (const ring of p) {
      view.setUint32(o, ring.length, true);
      o += 4;
      for (const [x, y] of ring) {
        view.setFloat64(o, x, true);
        view.setFloat64(o + 8, y, true);
        o += 16;
      }
    }
  }
  return Buffer.from(view.buffer).toString('hex');
}

/** 1e-7° (≈1 cm) integers: cheap to parse, and exact enough for a point on a map. */
export const E7 = 1e7;
export const toE7 = (x: number): number => Math.round(x * E7);

/** Booleans travel as 0/1: postgres.js cannot bind a JS boolean array to bool[]. */
const bit = (b: boolean): number => (b ? 1 : 0);

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const toLonLat =
  (frame: LocalFrame) =>
  (mp: MultiPolygon): MultiPolygon =>
    mp.map((poly) => poly.map((ring) => ring.map((p) => frame.toLonLat(p))));

export async function insertAreas(tx: Tx, areas: AreaNode[], frame: LocalFrame): Promise<void> {
  const project = toLonLat(frame);
  for (const batch of chunks(areas, 2000)) {
    const before = await countOf(tx, 'areas');
    await sql`
      INSERT INTO areas (id, level, parent_id, path, code, name, geom, label_point, area_m2)
      SELECT id, level, parent, path::int[], nullif(code, ''), name, g, ST_PointOnSurface(g),
             ST_Area(g::geography)
      FROM (
        -- A cell cut along the quantised outlines can pass within a float's last bits of itself
        -- and fail validity after conversion; a zero buffer rebuilds it (moving it by
        -- nanometres). Not ST_MakeValid: in PGlite it silently ends the result set.
        SELECT u.*, CASE WHEN ST_IsValid(r.raw) THEN r.raw ELSE ST_Multi(ST_Buffer(r.raw, 0)) END AS g
        FROM unnest(
          ${batch.map((a) => a.id)}::int4[], ${batch.map((a) => a.level)}::text[],
          ${batch.map((a) => a.parentId)}::int4[], ${batch.map((a) => `{${a.path.join(',')}}`)}::text[],
          ${batch.map((a) => a.code ?? '')}::text[], ${batch.map((a) => a.name)}::text[],
          ${batch.map((a) => wkbHex(project(a.geom), true))}::text[]
        ) AS u(id, level, parent, path, code, name, wkb)
        CROSS JOIN LATERAL (SELECT ST_GeomFromWKB(decode(u.wkb, 'hex'), 4326) AS raw) r
      ) s`.execute(tx);
    // A geometry function failing inside PGlite's WebAssembly can end an INSERT … SELECT early
    // without an error: count, so that a short write fails loudly.
    const written = (await countOf(tx, 'areas')) - before;
    if (written !== batch.length) throw new Error(`Wrote ${written} of ${batch.length} areas`);
  }
}

async function countOf(tx: Tx, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
    tx,
  );
  return r.rows[0].n;
}

export async function insertResponders(tx: Tx, companies: CompanyRow[]): Promise<void> {
  await sql`
    INSERT INTO departments (id, code, name)
    SELECT * FROM unnest(${DEPARTMENTS.map((_, i) => i + 1)}::int4[],
      ${DEPARTMENTS.map((d) => d.code)}::text[], ${DEPARTMENTS.map((d) => d.name)}::text[])`.execute(
    tx,
  );
  await sql`
    INSERT INTO property_companies (id, name, credit_score, list, trust_model)
    SELECT id, name, credit_score, list, trust_model = 1
    FROM unnest(${companies.map((c) => c.id)}::int4[], ${companies.map((c) => c.name)}::text[],
      ${companies.map((c) => c.creditScore)}::real[], ${companies.map((c) => c.list)}::text[],
      ${companies.map((c) => bit(c.trustModel))}::int2[]) AS u(id, name, credit_score, list, trust_model)`.execute(
    tx,
  );
}

export async function insertCompounds(tx: Tx, rows: CompoundRow[]): Promise<void> {
  for (const b of chunks(rows, 5000)) {
    await sql`
      INSERT INTO compounds (area_id, year_built, households, buildings_count, property_company_id,
        has_owners_committee, has_party_branch, parking_spaces, registered_cars, pipe_condition,
        roof_condition, has_elevator, provincial_demonstration)
      SELECT id, year, hh, n, company, committee = 1, branch = 1, spaces, cars, pipe, roof,
        elevator = 1, demo = 1
      FROM unnest(
        ${b.map((c) => c.areaId)}::int4[], ${b.map((c) => c.yearBuilt)}::int2[],
        ${b.map((c) => c.households)}::int4[], ${b.map((c) => c.buildingsCount)}::int2[],
        ${b.map((c) => c.propertyCompanyId)}::int4[], ${b.map((c) => bit(c.hasOwnersCommittee))}::int2[],
        ${b.map((c) => bit(c.hasPartyBranch))}::int2[], ${b.map((c) => c.parkingSpaces)}::int4[],
        ${b.map((c) => c.registeredCars)}::int4[], ${b.map((c) => c.pipeCondition)}::text[],
        ${b.map((c) => c.roofCondition)}::text[], ${b.map((c) => bit(c.hasElevator))}::int2[],
        ${b.map((c) => bit(c.provincialDemonstration))}::int2[]
      ) AS u(id, year, hh, n, company, committee, branch, spaces, cars, pipe, roof, elevator, demo)`.execute(
      tx,
    );
  }
}

export async function insertBuildings(
  tx: Tx,
  rows: BuildingRow[],
  frame: LocalFrame,
): Promise<void> {
  for (const b of chunks(rows, 10000)) {
    await sql`
      INSERT INTO buildings (id, compound_id, name, floors, households, geom)
      SELECT id, compound_id, name, floors, households, ST_GeomFromWKB(decode(wkb, 'hex'), 4326)
      FROM unnest(
        ${b.map((x) => x.id)}::int4[], ${b.map((x) => x.compoundId)}::int4[],
        ${b.map((x) => x.name)}::text[], ${b.map((x) => x.floors)}::int2[],
        ${b.map((x) => x.households)}::int2[],
        ${b.map((x) => wkbHex([x.geom.map((p) => frame.toLonLat(p))], false))}::text[]
      ) AS u(id, compound_id, name, floors, households, wkb)`.execute(tx);
  }
}

export async function insertHazards(tx: Tx, rows: HazardRow[], codes: string[]): Promise<void> {
  const opt = (x: number | null): number => (x === null ? 0 : Math.round(x));
  for (let start = 0; start < rows.length; start += 20000) {
    const b = rows.slice(start, start + 20000);
    const c = codes.slice(start, start + 20000);
    const pt = (p: Position, i: number) => toE7(p[i]);
    await sql`
      INSERT INTO hazards (id, code, type, severity, status, description, geom, district_id,
        subdistrict_id, community_id, grid_id, compound_id, reported_at, due_at, rectified_at,
        verified_at)
      SELECT ${start} + u.n, u.code, u.type, u.severity, u.status, u.description,
        ST_SetSRID(ST_MakePoint(u.x / ${E7}::float8, u.y / ${E7}::float8), 4326),
        g.path[1], g.path[2], g.path[3], u.grid_id, nullif(u.compound_id, 0),
        to_timestamp(u.reported), to_timestamp(u.due), to_timestamp(nullif(u.rectified, 0)),
        to_timestamp(nullif(u.verified, 0))
      FROM unnest(
        ${c}::text[], ${b.map((h) => h.type)}::text[], ${b.map((h) => h.severity)}::text[],
        ${b.map((h) => h.status)}::text[], ${b.map((h) => h.description)}::text[],
        ${b.map((h) => pt(h.lonLat, 0))}::int4[], ${b.map((h) => pt(h.lonLat, 1))}::int4[],
        ${b.map((h) => h.gridId)}::int4[], ${b.map((h) => h.compoundId ?? 0)}::int4[],
        ${b.map((h) => Math.round(h.reportedS))}::int8[], ${b.map((h) => Math.round(h.dueS))}::int8[],
        ${b.map((h) => opt(h.rectifiedS))}::int8[], ${b.map((h) => opt(h.verifiedS))}::int8[]
      ) WITH ORDINALITY AS u(code, type, severity, status, description, x, y, grid_id, compound_id,
        reported, due, rectified, verified, n)
      JOIN areas g ON g.id = u.grid_id`.execute(tx);
  }
}

/**
 * Runs a bulk load with the tables' secondary indexes and foreign keys set aside, then puts them
 * back exactly as they were (from pg_get_indexdef / pg_get_constraintdef). Building an index once
 * over sorted data, and checking a foreign key with one join, is several times faster than doing
 * both row by row; the seed's own transaction keeps the schema intact if anything fails.
 */
export async function withIndexesDeferred(
  tx: Tx,
  tables: string[],
  load: () => Promise<void>,
): Promise<void> {
  const indexes = (
    await sql<{ name: string; def: string }>`
      SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i
      WHERE i.indrelid = ANY (${tables}::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`.execute(tx)
  ).rows;
  const foreignKeys = (
    await sql<{ tbl: string; name: string; def: string }>`
      SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY (${tables}::regclass[])`.execute(tx)
  ).rows;
  for (const fk of foreignKeys) {
    await sql`ALTER TABLE ${sql.raw(fk.tbl)} DROP CONSTRAINT ${sql.ref(fk.name)}`.execute(tx);
  }
  for (const ix of indexes) await sql`DROP INDEX ${sql.raw(ix.name)}`.execute(tx);
  await load();
  for (const ix of indexes) await sql.raw(ix.def).execute(tx);
  for (const fk of foreignKeys) {
    await sql`ALTER TABLE ${sql.raw(fk.tbl)} ADD CONSTRAINT ${sql.ref(fk.name)} ${sql.raw(fk.def)}`.execute(
      tx,
    );
  }
}

/**
 * Identity columns were given explicit ids; move their sequences past them so that rows the app
 * inserts later get fresh ids.
 */
export async function syncSequences(tx: Tx): Promise<void> {
  for (const table of [
    'areas',
    'property_companies',
    'departments',
    'buildings',
    'tickets',
    'hazards',
  ]) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'),
      (SELECT coalesce(max(id), 0) + 1 FROM ${sql.table(table)}), false)`.execute(tx);
  }
}
