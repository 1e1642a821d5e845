/**
 * 红黄蓝三色动态评估: every compound rated for each of the twelve months of the dataset, in SQL,
 * from indicators of that month — tickets per 100 households, the share of them overdue, resident
 * satisfaction, hazards open at the month's end — and standing gaps (no property company, no
 * owners' committee). The score starts at 100 and loses points per indicator; fixed thresholds
 * turn it into a colour (calibrated so that about one compound in eight is red and three in ten
 * yellow in a typical month).
 */
import { sql } from 'kysely';
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

export const RED_BELOW = 70;
export const YELLOW_BELOW = 86;

export async function insertRatings(tx: Tx, w: SeedWindow): Promise<void> {
  await sql`
    WITH now_ AS (
      SELECT to_timestamp(${w.nowS}::int8) AS now_ts
    ), periods AS (
      -- Months in Beijing time; the last one is the month holding the dataset's last second.
      SELECT p.period,
        (p.period::timestamp AT TIME ZONE 'UTC') - interval '8 hours' AS start_ts,
        least(((p.period + interval '1 month')::timestamp AT TIME ZONE 'UTC') - interval '8 hours',
              (SELECT now_ts FROM now_)) AS end_ts
      FROM generate_series(0, 11) AS m(i)
      CROSS JOIN LATERAL (SELECT (date_trunc('month',
          ((SELECT now_ts FROM now_) - interval '1 second') AT TIME ZONE 'UTC' + interval '8 hours')
          - m.i * interval '1 month')::date AS period) p
    ), tk AS (
      SELECT t.compound_id,
        date_trunc('month', (t.received_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS period,
        t.due_at, t.resolved_at, t.satisfaction
      FROM tickets t
      WHERE t.compound_id IS NOT NULL AND t.status <> 'rejected_duplicate'
    ), tickets_by_month AS (
      SELECT tk.compound_id, tk.period, count(*) AS n,
        count(*) FILTER (WHERE tk.due_at < p.end_ts
                           AND (tk.resolved_at IS NULL OR tk.resolved_at > tk.due_at)) AS overdue,
        avg(tk.satisfaction) AS satisfaction
      FROM tk JOIN periods p ON p.period = tk.period
      GROUP BY 1, 2
    ), hazards_by_month AS (
      SELECT h.compound_id, p.period,
        count(*) AS open_hazards,
        sum(CASE h.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 ELSE 1 END) AS hazard_weight
      FROM hazards h JOIN periods p
        ON h.reported_at < p.end_ts AND (h.rectified_at IS NULL OR h.rectified_at >= p.end_ts)
      WHERE h.compound_id IS NOT NULL
      GROUP BY 1, 2
    ), indicators AS (
      SELECT c.area_id, p.period,
        coalesce(t.n, 0) * 100.0 / greatest(c.households, 1) AS per100,
        coalesce(t.overdue, 0)::float8 / greatest(coalesce(t.n, 0), 1) AS overdue_share,
        t.satisfaction::float8 AS satisfaction,
        coalesce(h.open_hazards, 0) AS open_hazards,
        coalesce(h.hazard_weight, 0) AS hazard_weight,
        coalesce(t.n, 0) AS tickets,
        (c.property_company_id IS NULL)::int AS no_company,
        (NOT c.has_owners_committee)::int AS no_committee,
        c.provincial_demonstration::int AS demonstration
      FROM compounds c CROSS JOIN periods p
      LEFT JOIN tickets_by_month t ON t.compound_id = c.area_id AND t.period = p.period
      LEFT JOIN hazards_by_month h ON h.compound_id = c.area_id AND h.period = p.period
    ), relative AS (
      -- Ticket load relative to the month's city average, so the colours mean the same at every
      -- dataset scale (and in a quiet month as in a busy one).
      SELECT i.*, i.per100 / nullif(avg(i.per100) OVER (PARTITION BY i.period), 0) AS load
      FROM indicators i
    ), scored AS (
      SELECT r.*, round(greatest(0, least(100,
          100
          - 10 * least(greatest(coalesce(r.load, 0) - 1, 0), 3)
          - 35 * r.overdue_share
          - 6 * greatest(0, 4.2 - coalesce(r.satisfaction, 4.2))
          - 4 * least(r.hazard_weight, 5)
          - 8 * r.no_company
          - 4 * r.no_committee
          + 4 * r.demonstration))::numeric, 1) AS score
      FROM relative r
    )
    INSERT INTO compound_ratings (compound_id, period, color, score, indicators)
    SELECT area_id, period,
      CASE WHEN score < ${RED_BELOW} THEN 'red' WHEN score < ${YELLOW_BELOW} THEN 'yellow' ELSE 'blue' END,
      score,
      jsonb_build_object(
        'tickets', tickets,
        'ticketsPer100Households', round(per100::numeric, 2),
        'loadVsCity', round(coalesce(load, 0)::numeric, 2),
        'overdueShare', round(overdue_share::numeric, 3),
        'satisfaction', round(satisfaction::numeric, 2),
        'openHazards', open_hazards,
        'noPropertyCompany', no_company,
        'noOwnersCommittee', no_committee,
        'provincialDemonstration', demonstration)
    FROM scored`.execute(tx);
}
