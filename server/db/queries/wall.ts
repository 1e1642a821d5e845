/**
 * The command-center wall's city figures, from the rollups: tickets received per Beijing day
 * (today's row is kept current by the trigger), open tickets per district, and the on-time and
 * satisfaction numerators of the last 30 days. Overdue changes with the clock and is counted from
 * the open tickets' partial index.
 */
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { OPEN_TICKET } from './areas.ts';

/** Tickets received per Beijing day over [from, to] (`YYYY-MM-DD`, both included), city-wide. */
export async function receivedPerDay(db: Db, from: string, to: string) {
  const r = await sql<{ days: { day: string; count: number }[] }>`
    SELECT coalesce(json_agg(json_build_object('day', d, 'count', n) ORDER BY d), '[]') AS days
    FROM (SELECT to_char(day, 'YYYY-MM-DD') AS d, sum(received)::int AS n FROM ticket_area_days
      WHERE area_id = 0 AND day >= ${from}::date AND day <= ${to}::date GROUP BY day) s`.execute(
    db.kysely,
  );
  return r.rows[0]!.days;
}

export interface DistrictFigures {
  id: number;
  name: string;
  received: number;
  open: number;
  overdue: number;
  closed: number;
  closedOnTime: number;
  satisfactionSum: number;
  satisfactionCount: number;
}

/**
 * The city (id 0) and each district: tickets received over the last days [from, to], and the
 * open, closed, closed-on-time and satisfaction figures of those tickets; open tickets of any age
 * and the overdue ones now.
 */
export async function districtFigures(db: Db, from: string, to: string) {
  const r = await sql<{ rows: DistrictFigures[] }>`
    WITH d AS (SELECT 0 AS id, '兰州市' AS name UNION ALL SELECT id, name FROM areas WHERE level = 'district'),
    recent AS (SELECT area_id AS id, sum(received)::int AS received, sum(closed)::int AS closed,
        sum(closed_on_time)::int AS on_time, sum(satisfaction_sum)::int AS sat_sum,
        sum(satisfaction_count)::int AS sat_count
      FROM ticket_area_days WHERE area_id IN (SELECT id FROM d)
        AND day >= ${from}::date AND day <= ${to}::date GROUP BY 1),
    open AS (SELECT area_id AS id, sum(open)::int AS open FROM ticket_area_months
      WHERE area_id IN (SELECT id FROM d) GROUP BY 1),
    overdue AS (SELECT t.district_id AS id, count(*)::int AS n FROM tickets t
      WHERE ${OPEN_TICKET} AND t.due_at < now() GROUP BY 1)
    SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name,
      'received', coalesce(recent.received, 0), 'open', coalesce(open.open, 0),
      'overdue', CASE WHEN d.id = 0 THEN (SELECT coalesce(sum(n), 0) FROM overdue) ELSE coalesce(overdue.n, 0) END,
      'closed', coalesce(recent.closed, 0), 'closedOnTime', coalesce(recent.on_time, 0),
      'satisfactionSum', coalesce(recent.sat_sum, 0), 'satisfactionCount', coalesce(recent.sat_count, 0))
      ORDER BY d.id), '[]') AS rows
    FROM d LEFT JOIN recent ON recent.id = d.id LEFT JOIN open ON open.id = d.id
    LEFT JOIN overdue ON overdue.id = d.id`.execute(db.kysely);
  return r.rows[0]!.rows;
}

/** Compounds rated red in the latest period, worst score first: names only. */
export async function redList(db: Db, limit: number) {
  const r = await sql<{ items: { id: number; name: string; district: string; score: number }[] }>`
    SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'district', district,
      'score', round(score::numeric, 1)) ORDER BY score, id), '[]') AS items
    FROM (SELECT c.id, c.name, d.name AS district, cr.score FROM compound_ratings cr
      JOIN areas c ON c.id = cr.compound_id JOIN areas d ON d.id = c.path[1]
      WHERE cr.color = 'red' AND cr.period = (SELECT max(period) FROM compound_ratings)
      ORDER BY cr.score, c.id LIMIT ${limit}) s`.execute(db.kysely);
  return r.rows[0]!.items;
}
