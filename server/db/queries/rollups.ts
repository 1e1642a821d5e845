/**
 * Reads of the ticket rollups (migration 0006): whole months and whole days from the kept
 * counts, the partial days at either end of a range from the tickets themselves, so that every
 * answer equals a direct count whatever the range.
 */
import { sql, type RawBuilder } from 'kysely';
import { splitRange } from '../../../geo/periods.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { TimeRange } from '../../validation.ts';
import type { TicketSlice } from './areas.ts';

const OPEN = sql`t.closed_at IS NULL AND t.status NOT IN ('rejected_duplicate', 'resolved')`;

/** Category and channel filters over rows aliased `alias` (rollups and tickets share the names). */
export function sliceOn(alias: string, s: TicketSlice | undefined): RawBuilder<unknown> {
  const parts = [sql`true`];
  if (s?.categories)
    parts.push(sql`${sql.ref(`${alias}.category`)} = ANY(${s.categories}::text[])`);
  if (s?.channels) parts.push(sql`${sql.ref(`${alias}.channel`)} = ANY(${s.channels}::text[])`);
  return sql.join(parts, sql` AND `);
}

/** `column` within the spans of a split: whole months, whole days, or moments. */
function within<T>(column: string, spans: T[], bounds: (s: T) => [unknown, unknown], cast = sql``) {
  if (spans.length === 0) return sql`false`;
  return sql.join(
    spans.map((s) => {
      const [from, to] = bounds(s);
      return sql`(${sql.ref(column)} >= ${from}${cast} AND ${sql.ref(column)} < ${to}${cast})`;
    }),
    sql` OR `,
  );
}

/**
 * The KPI numerators per category over [range), for an area (city: null), as one union of
 * month rollups, day rollups and the tickets of the partial days at the ends.
 */
export async function areaTotalsByCategory(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  range: TimeRange,
  slice?: TicketSlice,
) {
  const split = splitRange(range.from, range.to);
  const areaId = area?.id ?? 0;
  const date = sql`::date`;
  const areaOfTicket = area ? sql`${sql.ref(`t.${area.level}_id`)} = ${area.id}` : sql`true`;
  const r = await sql<{
    category: string;
    received: number;
    open: number;
    closed: number;
    closedOnTime: number;
    satisfactionSum: number;
    satisfactionCount: number;
  }>`
    SELECT category, sum(received)::int AS received, sum(open)::int AS open,
      sum(closed)::int AS closed, sum(closed_on_time)::int AS "closedOnTime",
      sum(satisfaction_sum)::int AS "satisfactionSum", sum(satisfaction_count)::int AS "satisfactionCount"
    FROM (
      SELECT r.category, r.received, r.open, r.closed, r.closed_on_time, r.satisfaction_sum, r.satisfaction_count
      FROM ticket_area_months r
      WHERE r.area_id = ${areaId} AND ${within('r.month', split.months ? [split.months] : [], (s) => [s.from, s.to], date)}
        AND ${sliceOn('r', slice)}
      UNION ALL
      SELECT r.category, r.received, r.open, r.closed, r.closed_on_time, r.satisfaction_sum, r.satisfaction_count
      FROM ticket_area_days r
      WHERE r.area_id = ${areaId} AND (${within('r.day', split.days, (s) => [s.from, s.to], date)})
        AND ${sliceOn('r', slice)}
      UNION ALL
      SELECT t.category, 1, (${OPEN})::int, (t.closed_at IS NOT NULL)::int,
        (t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at)::int,
        coalesce(t.satisfaction, 0), (t.satisfaction IS NOT NULL)::int
      FROM tickets t
      WHERE ${areaOfTicket} AND (${within('t.received_at', split.edges, (s) => [s.from, s.to])})
        AND ${sliceOn('t', slice)}
    ) u
    GROUP BY category HAVING sum(received) > 0
    ORDER BY 2 DESC, 1`.execute(db.kysely);
  return r.rows;
}

/** Open tickets received in [range) that are past their deadline now (open ones are few). */
export async function overdueCount(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  range: TimeRange,
  slice?: TicketSlice,
): Promise<number> {
  const areaOfTicket = area ? sql`${sql.ref(`t.${area.level}_id`)} = ${area.id}` : sql`true`;
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM tickets t
    WHERE t.closed_at IS NULL AND t.status <> 'rejected_duplicate' AND t.status <> 'resolved'
      AND t.due_at < now() AND ${areaOfTicket} AND ${sliceOn('t', slice)}
      AND t.received_at >= ${range.from} AND t.received_at < ${range.to}`.execute(db.kysely);
  return r.rows[0]!.n;
}
