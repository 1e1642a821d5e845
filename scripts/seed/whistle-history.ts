/**
 * The year of 吹哨报到 before the last two months (whistles.ts writes those, with every open state
 * the map shows): tickets that went overdue and were resolved late got a whistle a few hours after
 * their deadline, the body they were dispatched to reported in, on time or late or never, and
 * the whistle was settled when the ticket was. Without this history the late report-ins that the
 * 红黄蓝 colours and property-company credit count would rest on a few dozen whistles.
 *
 * Set-based and deterministic (hashes of the ticket id and the seed). A company's report-ins are
 * late more often the lower its standing (its seeded credit score), a department's at one rate.
 * Every whistle here is resolved and older than sixty days: no open state, alarm or replay changes.
 */
import { sql } from 'kysely';
import {
  WHISTLE_DEFAULT_REPORT_HOURS,
  WHISTLE_DEFAULT_RESOLVE_HOURS,
} from '../../geo/operations.ts';
import type { Tx } from './write.ts';

/** One overdue, late-resolved ticket in this many gets a whistle. */
const ONE_IN = 6;
/** Whistles older than this many days come from here; younger ones from whistles.ts. */
const RECENT_DAYS = 61;

export async function insertWhistleHistory(
  tx: Tx,
  o: { seed: number; now: Date },
): Promise<{ whistles: number; reportIns: number }> {
  // Uniform in [0, 1) from the ticket, the seed and a salt (int8: abs of the smallest int4 fails).
  const mix = (salt: number) => (o.seed % 1_000_000) + salt * 1_000_003;
  const u = (salt: number) => sql`(abs(hashint4(t.id + ${mix(salt)})::int8) % 100000) / 100000.0`;
  const r = await sql<{ whistles: number; report_ins: number }>`
    WITH ref AS (SELECT least(${o.now}::timestamptz, max(received_at)) AS t FROM tickets),
    cand AS (
      SELECT t.id, t.geom, t.compound_id, t.title, t.property_company_id AS company,
        t.department_id AS dept, t.due_at, t.resolved_at,
        t.due_at + least(interval '1 hour' * (2 + 22 * ${u(1)}),
          (t.resolved_at - t.due_at) / 2) AS blown_at,
        ${u(2)} AS r_late, ${u(3)} AS r_when, ${u(4)} AS r_missed
      FROM tickets t, ref
      WHERE t.resolved_at IS NOT NULL
        AND t.resolved_at > t.due_at + interval '6 hours'
        AND t.due_at < ref.t - make_interval(days => ${RECENT_DAYS})
        AND t.compound_id IS NOT NULL
        AND (t.property_company_id IS NOT NULL OR t.department_id IS NOT NULL)
        AND abs(hashint4(t.id + ${mix(0)})::int8) % ${ONE_IN} = 0
        AND NOT EXISTS (SELECT 1 FROM whistles w WHERE w.ticket_id = t.id)
    ), numbered AS (
      SELECT cand.*, c.path,
        to_char(cand.blown_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS ymd,
        row_number() OVER (PARTITION BY to_char(cand.blown_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
          ORDER BY cand.blown_at, cand.id) AS n
      FROM cand JOIN areas c ON c.id = cand.compound_id
    ), ins AS (
      -- Numbered from 500 within a day, so no code meets one of whistles.ts on the boundary day.
      INSERT INTO whistles (code, level, ticket_id, compound_id, district_id, subdistrict_id,
        community_id, grid_id, geom, reason, blown_by, blown_by_name, blown_at, report_due_at,
        resolve_due_at, resolved_at, resolution)
      SELECT 'W' || x.ymd || lpad((499 + x.n)::text, 3, '0'),
        CASE WHEN x.company IS NOT NULL THEN 'community' ELSE 'subdistrict' END,
        x.id, x.compound_id, x.path[1], x.path[2], x.path[3], x.path[4], x.geom,
        CASE WHEN x.company IS NOT NULL THEN '超期未办结，请物业负责人到社区报到'
          ELSE '超期未办结，涉及部门职责，请部门到场报到' END,
        NULL,
        CASE WHEN x.company IS NOT NULL THEN cm.name ELSE sd.name END,
        x.blown_at, x.blown_at + make_interval(hours => ${WHISTLE_DEFAULT_REPORT_HOURS}),
        x.blown_at + make_interval(hours => ${WHISTLE_DEFAULT_RESOLVE_HOURS}),
        x.resolved_at, '已处置完毕，居民认可'
      FROM numbered x
      JOIN areas cm ON cm.id = x.path[3]
      JOIN areas sd ON sd.id = x.path[2]
      WHERE x.n <= 500
      RETURNING id, ticket_id, blown_at, resolved_at
    ), ri AS (
      INSERT INTO whistle_report_ins (whistle_id, property_company_id, department_id,
        reported_at, reported_by_name, note)
      SELECT s.whistle, s.company, s.dept, s.at,
        CASE WHEN s.at IS NOT NULL THEN s.body || ' 值班负责人' END,
        CASE WHEN s.at IS NOT NULL THEN '已到场，安排人员处置' END
      FROM (
        SELECT ins.id AS whistle, x.company, CASE WHEN x.company IS NULL THEN x.dept END AS dept,
          coalesce(pc.name, d.name) AS body,
          CASE
            -- Missed: never reported in (a few percent, more for weak companies).
            WHEN x.r_missed < 0.02 + 0.1 * (1 - coalesce(pc.credit_score, 80) / 100.0) THEN NULL
            -- Late: after the two hours, before the whistle was settled.
            WHEN x.r_late < CASE WHEN x.company IS NULL THEN 0.2
                ELSE least(0.7, greatest(0.05, (95 - pc.credit_score) / 60.0)) END
              THEN least(ins.resolved_at,
                ins.blown_at + interval '1 hour' * (2.2 + 20 * x.r_when))
            ELSE ins.blown_at + interval '1 minute' * (10 + 105 * x.r_when)
          END AS at
        FROM ins JOIN numbered x ON x.id = ins.ticket_id
        LEFT JOIN property_companies pc ON pc.id = x.company
        LEFT JOIN departments d ON d.id = x.dept
      ) s
      RETURNING id
    )
    SELECT (SELECT count(*)::int FROM ins) AS whistles, (SELECT count(*)::int FROM ri) AS report_ins`.execute(
    tx,
  );
  return { whistles: r.rows[0]!.whistles, reportIns: r.rows[0]!.report_ins };
}
