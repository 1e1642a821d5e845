import { sql, type RawBuilder } from 'kysely';
import { HAZARD_DEPARTMENT } from '../../../geo/operations.ts';
import type { Actor } from '../../services/actors.ts';

export type ScopedNoun = 'tickets' | 'hazards' | 'whistles' | 'patrols';

/**
 * The rows of `noun` (aliased `alias`) this actor may read, as a SQL condition. Every scoped
 * query ANDs it in, so scope is enforced where the data is read, not after. All four tables carry
 * the denormalised district/subdistrict/community/grid ids, so an area scope is one index lookup.
 */
export function scopeCondition(actor: Actor, noun: ScopedNoun, alias: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const { scope } = actor;
  if (actor.role === 'planner' || scope.kind === 'city') return sql<boolean>`true`;
  if (scope.kind === 'area') {
    if (actor.role === 'sentinel') {
      // A mobile sentinel reports; it reads back only what it reported.
      return noun === 'tickets'
        ? sql<boolean>`${col('reporter_account_id')} = ${actor.accountId}`
        : sql<boolean>`false`;
    }
    return sql<boolean>`${col(`${scope.level}_id`)} = ${scope.id}`;
  }
  const byCompany = scope.kind === 'property_company';
  switch (noun) {
    case 'tickets':
      // Dispatched to it: a ticket only received is still the hub's, even if routing proposed it.
      return sql<boolean>`(${col(byCompany ? 'property_company_id' : 'department_id')} = ${scope.id}
        AND ${col('status')} <> 'received')`;
    case 'whistles':
      return sql<boolean>`EXISTS (SELECT 1 FROM whistle_report_ins ri WHERE ri.whistle_id = ${col('id')}
        AND ${sql.ref(byCompany ? 'ri.property_company_id' : 'ri.department_id')} = ${scope.id})`;
    case 'hazards': {
      if (byCompany) {
        return sql<boolean>`${col('compound_id')} IN (SELECT area_id FROM compounds WHERE property_company_id = ${scope.id})`;
      }
      const types = Object.entries(HAZARD_DEPARTMENT)
        .filter(([, code]) => code === scope.code)
        .map(([type]) => type);
      return sql<boolean>`${col('type')} = ANY(${types}::text[])`;
    }
    case 'patrols':
      return sql<boolean>`false`;
  }
}
