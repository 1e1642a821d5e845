/**
 * Reads of the ticket rollups (migration 0006): whole months and whole days from the kept
 * counts, the partial days at either end of a range from the tickets themselves, so that every
 * answer equals a direct count whatever the range.
 */
import { sql } from 'kysely';
import { splitRange } from '../../../geo/periods.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { TimeRange } from '../../validation.ts';
import { OPEN_TICKET, sliceOn, type TicketSlice } from './areas.ts';

/** `column` within any of the spans (whole months, whole days as dates, or moments). */
export function spans(column: string, list: { from: unknown; to: unknown }[], cast = sql``) {
  if (list.length === 0) return sql`false`;
  const col = sql.ref(column);
  return sql`(${sql.join(
    list.map((s) => sql`(${col} >= ${s.from}${cast} AND ${col} < ${s.to}${cast})`),
    sql` OR `,
  )})`;
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
      WHERE r.area_id = ${areaId} AND ${spans('r.month', split.months ? [split.months] : [], date)}
        AND ${sliceOn('r', slice)}
      UNION ALL
      SELECT r.category, r.received, r.open, r.closed, r.closed_on_time, r.satisfaction_sum, r.satisfaction_count
      FROM ticket_area_days r
      WHERE r.area_id = ${areaId} AND ${spans('r.day', split.days, date)}
        AND ${sliceOn('r', slice)}
      UNION ALL
      SELECT t.category, 1, (${OPEN_TICKET})::int, (t.closed_at IS NOT NULL)::int,
        (t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at)::int,
        coalesce(t.satisfaction, 0), (t.satisfaction IS NOT NULL)::int
      FROM tickets t
      WHERE ${areaOfTicket} AND ${spans('t.received_at', split.edges)}
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
    WHERE ${OPEN_TICKET} AND t.due_at < now() AND ${areaOfTicket} AND ${sliceOn('t', slice)}
      AND t.received_at >= ${range.from} AND t.received_at < ${range.to}`.execute(db.kysely);
  return r.rows[0]!.n;
}
