import { sql } from 'kysely';
import type { Db } from '../../server/db/client.ts';

export const ROLES_UNDER_TEST = [
  'city',
  'district',
  'district2',
  'subdistrict',
  'community',
  'community2',
  'gridworker',
  'sentinel',
  'property',
  'property2',
  'department',
  'department2',
  'planner',
  'mediator',
  'mediator-director',
] as const;
export type DemoUser = (typeof ROLES_UNDER_TEST)[number];

export interface Place {
  id: number;
  label: [number, number];
  companyId: number | null;
  gridId: number;
  communityId: number;
}

/** The seeded demo accounts and the places the tests act on, read from the database. */
export async function loadFixtures(db: Db) {
  const acc = await sql<{
    username: DemoUser;
    id: number;
    areaId: number | null;
    propertyCompanyId: number | null;
    departmentId: number | null;
  }>`SELECT username, id, area_id AS "areaId", property_company_id AS "propertyCompanyId",
      department_id AS "departmentId" FROM accounts`.execute(db.kysely);
  const accounts = Object.fromEntries(acc.rows.map((r) => [r.username, r])) as Record<
    DemoUser,
    (typeof acc.rows)[number]
  >;
  const compounds = async (where: ReturnType<typeof sql>) =>
    (
      await sql<Place>`SELECT a.id, json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS label,
        c.property_company_id AS "companyId", a.path[4] AS "gridId", a.path[3] AS "communityId"
      FROM areas a JOIN compounds c ON c.area_id = a.id
      WHERE a.level = 'compound' AND ${where} ORDER BY a.id`.execute(db.kysely)
    ).rows;
  const grid = accounts.gridworker.areaId!;
  const community = accounts.community.areaId!;
  const company = accounts.property.propertyCompanyId!;
  // A compound the property account manages, in the gridworker's grid when there is one.
  const managed = await compounds(
    sql`a.path @> ARRAY[${community}]::int[] AND c.property_company_id = ${company}`,
  );
  const companyCompound = managed.find((c) => c.gridId === grid) ?? managed[0]!;
  const gridCompound = (await compounds(sql`a.parent_id = ${grid}`))[0]!;
  const noCompany = (
    await compounds(sql`a.path @> ARRAY[${community}]::int[] AND c.property_company_id IS NULL`)
  )[0];
  const otherCommunity = (
    await compounds(sql`a.path @> ARRAY[${accounts.community2.areaId!}]::int[]`)
  )[0]!;
  return { accounts, companyCompound, gridCompound, noCompany, otherCommunity };
}
export type Fixtures = Awaited<ReturnType<typeof loadFixtures>>;

export async function count(db: Db, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
    db.kysely,
  );
  return r.rows[0]!.n;
}
