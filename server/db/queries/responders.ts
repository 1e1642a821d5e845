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
