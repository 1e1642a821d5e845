import { sql, type RawBuilder } from 'kysely';
import type { Noun, PlaceRule, ReadRule } from '../../policy.ts';

export type ScopedNoun = Noun;

/**
 * A read rule (server/policy.ts) on the rows of `noun` aliased `alias`, as a SQL condition. Every
 * scoped query ANDs it in, so scope is enforced where the data is read, not after. All four
 * tables carry the denormalised district/subdistrict/community/grid ids, so an area rule is one
 * index lookup. `matchesRule` in the policy gives the same answer on one record.
 */
export function scopeCondition(
  rule: ReadRule,
  noun: ScopedNoun,
  alias: string,
): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  switch (rule.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'none':
      return sql<boolean>`false`;
    case 'area':
      return rule.level === 'compound'
        ? sql<boolean>`false`
        : sql<boolean>`${col(`${rule.level}_id`)} = ${rule.id}`;
    case 'reporter':
      return noun === 'tickets'
        ? sql<boolean>`${col('reporter_account_id')} = ${rule.accountId}`
        : sql<boolean>`false`;
    case 'dispatched_to':
      return noun === 'tickets'
        ? sql<boolean>`(${col(rule.by === 'property_company' ? 'property_company_id' : 'department_id')} = ${rule.id}
          AND ${col('status')} <> 'received')`
        : sql<boolean>`false`;
    case 'reports_in':
      return noun === 'whistles'
        ? sql<boolean>`EXISTS (SELECT 1 FROM whistle_report_ins ri WHERE ri.whistle_id = ${col('id')}
          AND ${sql.ref(rule.by === 'property_company' ? 'ri.property_company_id' : 'ri.department_id')} = ${rule.id})`
        : sql<boolean>`false`;
    case 'compound_company':
      return noun === 'hazards'
        ? sql<boolean>`${col('compound_id')} IN (SELECT area_id FROM compounds WHERE property_company_id = ${rule.id})`
        : sql<boolean>`false`;
    case 'hazard_types':
      return noun === 'hazards'
        ? sql<boolean>`${col('type')} = ANY(${rule.types}::text[])`
        : sql<boolean>`false`;
  }
}

/**
 * A place rule (server/policy.ts) as a SQL condition on a row's area path and, for company rules,
 * the company managing its compound. `path` is an integer[] expression (a row's `area_path` or
 * `areas.path`), `compound` the compound's area id (null for rows of no compound: a community's
 * committee, which a company never reaches).
 *
 * @example
 * sql`SELECT ... FROM gap_tasks g WHERE ${placeCondition(rule, sql.ref('g.area_path'), sql.ref('g.compound_id'))}`
 */
export function placeCondition(
  rule: PlaceRule,
  path: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
  compound: RawBuilder<unknown> | ReturnType<typeof sql.ref> | null,
): RawBuilder<boolean> {
  switch (rule.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'none':
      return sql<boolean>`false`;
    case 'subtree':
      return sql<boolean>`${path} @> ARRAY[${rule.areaId}::int]`;
    case 'company':
      return compound === null
        ? sql<boolean>`false`
        : sql<boolean>`${compound} IN (SELECT area_id FROM compounds WHERE property_company_id = ${rule.id})`;
  }
}
