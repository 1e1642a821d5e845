/**
 * Gaps in the party organisation, read from the tables themselves, and their tasks kept in step.
 * A gap is current while the data shows it: a compound with no property company, no owners'
 * committee or no party branch; a building with no 党员中心户. `reconcileGaps` opens a task for
 * every current gap that has none (and was not waived) and closes as `filled` every open task
 * whose gap the data has filled. Writes that change the organisation call it for the compounds
 * they touched, in their transaction, so a task never disagrees with the data for long.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './audit.ts';

export { GAP_KINDS, type GapKind } from '../../../geo/party.ts';

/**
 * The current gaps of some compounds (all when `compoundIds` is null) as a SQL relation with
 * columns kind, compound_id, building_id (null but for stewards), path (the compound's area path).
 */
export function currentGaps(compoundIds: readonly number[] | null): RawBuilder<unknown> {
  const only = (col: string) =>
    compoundIds === null ? sql`true` : sql`${sql.ref(col)} = ANY(${[...compoundIds]}::int[])`;
  return sql`(
    SELECT g.kind, c.area_id AS compound_id, NULL::int AS building_id, a.path
    FROM compounds c
    JOIN areas a ON a.id = c.area_id
    CROSS JOIN LATERAL (VALUES
      ('no_property_company', c.property_company_id IS NULL),
      ('no_owners_committee', NOT c.has_owners_committee),
      ('no_party_branch', NOT c.has_party_branch)) AS g(kind, missing)
    WHERE g.missing AND ${only('c.area_id')}
    UNION ALL
    SELECT 'no_building_steward', b.compound_id, b.id, a.path
    FROM buildings b
    JOIN areas a ON a.id = b.compound_id
    WHERE NOT EXISTS (SELECT 1 FROM building_stewards s WHERE s.building_id = b.id)
      AND ${only('b.compound_id')}
  )`;
}

/**
 * Opens a task for each current gap of these compounds (null: all) that has none open and was not
 * waived, and closes as filled each open task whose gap is gone. Returns the ids it touched.
 */
export async function reconcileGaps(
  tx: Executor,
  compoundIds: readonly number[] | null,
  now: Date,
): Promise<{ opened: number[]; filled: number[] }> {
  const only =
    compoundIds === null ? sql`true` : sql`g.compound_id = ANY(${[...compoundIds]}::int[])`;
  const r = await sql<{ id: number; change: 'opened' | 'filled' }>`
    WITH cur AS ${currentGaps(compoundIds)},
    filled AS (
      UPDATE gap_tasks g SET status = 'closed', closed_at = ${now}, resolution = 'filled'
      WHERE g.status <> 'closed' AND ${only}
        AND NOT EXISTS (SELECT 1 FROM cur k WHERE k.kind = g.kind AND k.compound_id = g.compound_id
                          AND k.building_id IS NOT DISTINCT FROM g.building_id)
      RETURNING g.id
    ),
    opened AS (
      INSERT INTO gap_tasks (kind, compound_id, building_id, area_path, status, opened_at)
      SELECT k.kind, k.compound_id, k.building_id, k.path, 'open', ${now}
      FROM cur k
      WHERE NOT EXISTS (
        SELECT 1 FROM gap_tasks g
        WHERE g.kind = k.kind AND g.compound_id = k.compound_id
          AND coalesce(g.building_id, 0) = coalesce(k.building_id, 0)
          AND (g.status <> 'closed' OR g.resolution = 'waived'))
      ORDER BY k.compound_id, k.kind, k.building_id
      RETURNING id
    )
    SELECT id, 'filled' AS change FROM filled
    UNION ALL SELECT id, 'opened' FROM opened`.execute(tx);
  return {
    opened: r.rows.filter((x) => x.change === 'opened').map((x) => x.id),
    filled: r.rows.filter((x) => x.change === 'filled').map((x) => x.id),
  };
}
