import { sql, type RawBuilder } from 'kysely';

/**
 * The SQL side of exports: where a keyset batch starts. A batch is ordered by the list's sort
 * expression and then the id (unique), and the next one starts strictly after the last row's
 * (sort value, id), so a deep batch costs the same as the first (no OFFSET).
 */
export interface SortKey {
  expr: RawBuilder<unknown>;
  type: 'timestamptz' | 'text' | 'int';
}

/** The last row of a batch: its sort value as the row's JSON carried it, and its id. */
export type ExportKey = { value: string; id: number };

const TYPES = { timestamptz: sql`timestamptz`, text: sql`text`, int: sql`int` } as const;

/** `(sort, id) < (after)` (or `>` ascending); null for the first batch. */
export function afterKey(
  key: SortKey,
  desc: boolean,
  after: ExportKey | null,
  id: RawBuilder<unknown> = sql`t.id`,
): RawBuilder<unknown> | null {
  if (!after) return null;
  const cmp = desc ? sql`<` : sql`>`;
  const bound = desc ? sql`<=` : sql`>=`;
  const value = sql`${after.value}::${TYPES[key.type]}`;
  // The plain bound beside the row comparison lets the planner range-scan an index on the sort
  // column (received_at): without it every batch would scan and sort the whole filter again.
  return sql`(${key.expr} ${bound} ${value} AND (${key.expr}, ${id}) ${cmp} (${value}, ${after.id}::int))`;
}

/** `ORDER BY` of a keyset batch. */
export function keysetOrder(
  key: SortKey,
  desc: boolean,
  id: RawBuilder<unknown> = sql`t.id`,
): RawBuilder<unknown> {
  const dir = desc ? sql`DESC` : sql`ASC`;
  return sql`${key.expr} ${dir}, ${id} ${dir}`;
}
