import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';

export async function departmentByCode(ex: Executor, code: string) {
  return ex
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function departmentsByIds(ex: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return ex.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute();
}

export async function companyById(ex: Executor, id: number) {
  return ex
    .selectFrom('property_companies')
    .select(['id', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Pickers for dispatch, transfer and whistles. */
export async function listResponders(db: Db) {
  const r = await sql<{ departments: unknown[]; propertyCompanies: unknown[] }>`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name) ORDER BY id), '[]')
        FROM departments) AS departments,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name,
          'creditScore', credit_score, 'list', list) ORDER BY name), '[]')
        FROM property_companies) AS "propertyCompanies"`.execute(db.kysely);
  return r.rows[0]!;
}

/**
 * The bodies that can serve a place: the property company managing the compound (none for a
 * compound without one, or a ticket outside compounds), every department, and the community.
 */
export async function respondersForPlace(
  db: Db,
  place: { compoundId: number | null; communityId: number },
) {
  const r = await sql<{
    targets: { kind: 'property_company' | 'department' | 'community'; id: number; name: string }[];
  }>`
    SELECT coalesce((SELECT json_agg(x ORDER BY x.o, x.name, x.id) FROM (
        SELECT 1 AS o, 'property_company' AS kind, p.id, p.name FROM compounds c
          JOIN property_companies p ON p.id = c.property_company_id
          WHERE c.area_id = ${place.compoundId}
        UNION ALL SELECT 2, 'department', d.id, d.name FROM departments d
        UNION ALL SELECT 3, 'community', a.id, a.name FROM areas a WHERE a.id = ${place.communityId}
      ) x), '[]') AS targets`.execute(db.kysely);
  return r.rows[0]!.targets.map(({ kind, id, name }) => ({ kind, id, name }));
}
