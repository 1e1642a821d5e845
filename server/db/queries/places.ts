import { sql } from 'kysely';
import type { Executor } from './audit.ts';

export interface Place {
  districtId: number;
  subdistrictId: number;
  communityId: number;
  gridId: number;
  gridName: string;
  compoundId: number | null;
  compoundName: string | null;
  /** The compound's property company; null outside compounds and for 无物业 compounds. */
  propertyCompanyId: number | null;
}

const pointSql = (p: readonly [number, number]) =>
  sql`ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326)`;

/**
 * The grid and compound a point falls in (point-in-polygon on the per-level indexes), or
 * nothing when it is outside every grid of the city.
 */
export async function placePoint(
  ex: Executor,
  p: readonly [number, number],
): Promise<Place | undefined> {
  const r = await sql<Place>`
    WITH pt AS (SELECT ${pointSql(p)} AS g)
    SELECT g.path[1] AS "districtId", g.path[2] AS "subdistrictId", g.path[3] AS "communityId",
      g.id AS "gridId", g.name AS "gridName", c.id AS "compoundId", c.name AS "compoundName",
      cp.property_company_id AS "propertyCompanyId"
    FROM pt
    JOIN areas g ON g.level = 'grid' AND ST_Intersects(g.geom, pt.g)
    LEFT JOIN LATERAL (
      SELECT a.id, a.name FROM areas a
      WHERE a.level = 'compound' AND a.parent_id = g.id AND ST_Intersects(a.geom, pt.g)
      LIMIT 1
    ) c ON true
    LEFT JOIN compounds cp ON cp.area_id = c.id
    LIMIT 1`.execute(ex);
  return r.rows[0];
}

/** The compound with its area ids and property company, for whistles and check-ins. */
export async function findCompoundPlace(ex: Executor, compoundId: number) {
  const r = await sql<
    Place & { compoundId: number; compoundName: string; label: [number, number] }
  >`
    SELECT a.path[1] AS "districtId", a.path[2] AS "subdistrictId", a.path[3] AS "communityId",
      a.path[4] AS "gridId", g.name AS "gridName", a.id AS "compoundId", a.name AS "compoundName",
      cp.property_company_id AS "propertyCompanyId",
      json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS label
    FROM areas a JOIN compounds cp ON cp.area_id = a.id JOIN areas g ON g.id = a.parent_id
    WHERE a.id = ${compoundId} AND a.level = 'compound'`.execute(ex);
  return r.rows[0];
}

/**
 * The next code of the day for a prefix (T20261126 00001). An advisory lock per prefix and day
 * serialises concurrent writers on PostgreSQL (PGlite runs one at a time anyway), and the range
 * scan on the code's unique index finds the day's last number.
 */
export async function nextDailyCode(
  ex: Executor,
  table: 'tickets' | 'hazards' | 'whistles',
  prefix: string,
  at: Date,
  digits: number,
): Promise<string> {
  const beijing = new Date(at.getTime() + 8 * 3600_000);
  const day = `${prefix}${beijing.toISOString().slice(0, 10).replaceAll('-', '')}`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${day}))`.execute(ex);
  const r = await sql<{ last: string | null }>`
    SELECT max(code) AS last FROM ${sql.table(table)}
    WHERE code >= ${day} AND code < ${day + '~'} AND length(code) = ${day.length + digits}`.execute(
    ex,
  );
  const last = r.rows[0]?.last;
  const n = last ? Number(last.slice(day.length)) + 1 : 1;
  return `${day}${String(n).padStart(digits, '0')}`;
}

export { pointSql };
