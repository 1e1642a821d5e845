/**
 * 包抓落实: the follow-up of red compounds, after the colours are rated (ratings.ts), in two
 * set-based statements.
 *
 * - Most compounds red in one of the last three rated months (about 85 %) have an open plan: a
 *   responsible cadre (community secretary, subdistrict leader…), a rectification plan opened some
 *   days after the red month and due 30–90 days later, and four dated steps, those already due
 *   mostly done. Short deadlines opened early are overdue by now.
 * - About 60 % of the compounds red three to six months ago that have not been red since have a
 *   closed plan: done, with its outcome, when the compound improved (a few cancelled, with the
 *   reason).
 *
 * Deterministic: every choice is a hash of the compound id and the seed, never `random()`.
 */
import { sql, type RawBuilder } from 'kysely';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import type { Tx } from './write.ts';

const POSTS = ['社区党委书记', '社区居委会主任', '街道包片领导', '网格党支部书记', '街道办副主任'];
const PLANS = [
  '成立整改专班，逐项销号超期诉求，联合物业排查整治安全隐患，每周向社区报告进展',
  '召开四方联席会议，明确物业整改清单，限期办结积压诉求并开展满意度回访',
  '包抓干部驻点督办，隐患清单化管理，推动业委会组建，补齐小区治理短板',
  '对超期诉求和未报到事项挂牌督办，组织党员中心户入户走访，收集整改意见',
];
const STEPS = [
  '摸排问题，建立整改台账',
  '召开四方联席会议，明确责任分工',
  '集中整治超期诉求与安全隐患',
  '回访群众，评估整改成效',
];
const OUTCOMES = [
  '积压诉求全部办结，隐患完成整改，小区评估转为蓝色',
  '物业服务改进，满意度回升，评估转为黄色后持续向好',
  '业委会完成组建，联席会议机制常态化运行',
];

export async function insertFollowups(tx: Tx, o: { seed: number; now: Date }): Promise<void> {
  const seed = o.seed % 1_000_003;
  /** A uniform number in [0, 1) from an integer expression and a salt: the seed's dice. */
  const u = (expr: RawBuilder<unknown>, salt: number) =>
    sql<number>`((hashint8((${expr})::int8 * 1000003 + ${seed * 89 + salt}::int8) & 1048575)::float8 / 1048576)`;
  const pick = (list: readonly string[], expr: RawBuilder<unknown>, salt: number) =>
    sql<string>`(${list}::text[])[1 + floor(${u(expr, salt)} * ${list.length})::int]`;
  const id = sql.ref('x.compound_id') as unknown as RawBuilder<unknown>;
  const now = sql`${o.now}::timestamptz`;
  const today = sql`(${now} AT TIME ZONE 'Asia/Shanghai')::date`;
  const periods = sql`(SELECT array_agg(period ORDER BY period DESC) FROM
    (SELECT DISTINCT period FROM compound_ratings) s)`;

  await sql`
    WITH pp AS (SELECT ${periods} AS p),
    recent AS (
      -- The first month of the compound's latest run of red among the last three.
      SELECT cr.compound_id, min(cr.period) AS period FROM compound_ratings cr, pp
      WHERE cr.color = 'red' AND cr.period >= pp.p[3]
      GROUP BY 1
    ), older AS (
      SELECT cr.compound_id, max(cr.period) AS period FROM compound_ratings cr, pp
      WHERE cr.color = 'red' AND cr.period BETWEEN pp.p[6] AND pp.p[4]
        AND NOT EXISTS (SELECT 1 FROM compound_ratings r2 WHERE r2.compound_id = cr.compound_id
          AND r2.period >= pp.p[3] AND r2.color = 'red')
      GROUP BY 1
    ), chosen AS (
      SELECT x.compound_id, x.period, 'open' AS status FROM recent x WHERE ${u(id, 1)} < 0.85
      UNION ALL
      SELECT x.compound_id, x.period,
        CASE WHEN ${u(id, 2)} < 0.1 THEN 'cancelled' ELSE 'done' END FROM older x
      WHERE ${u(id, 3)} < 0.6
    ), dated AS (
      SELECT x.*,
        -- Opened 3–12 days into the month after the red one (the colour is known then), or a
        -- few days ago for this month's red.
        least(((x.period + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')
                + (3 + floor(${u(id, 4)} * 10)) * interval '1 day' + interval '9 hours',
              ${now} - (1 + floor(${u(id, 5)} * 4)) * interval '1 day') AS opened_at,
        30 + floor(${u(id, 6)} * 61)::int AS days
      FROM chosen x
    ), plans AS (
      INSERT INTO rating_followups (compound_id, area_path, period, cadre_name, cadre_post,
        cadre_phone, plan, status, due_on, opened_at, closed_at, outcome)
      SELECT x.compound_id, a.path, x.period,
        ${pick(SURNAMES, id, 7)} || ${pick(GIVEN_NAMES, id, 8)} ||
          CASE WHEN ${u(id, 9)} < 0.5 THEN ${pick(GIVEN_NAMES, id, 10)} ELSE '' END,
        ${pick(POSTS, id, 11)},
        '13' || (1 + floor(${u(id, 12)} * 9))::int || lpad(floor(${u(id, 13)} * 100000000)::int::text, 8, '0'),
        ${pick(PLANS, id, 14)},
        x.status,
        (x.opened_at AT TIME ZONE 'Asia/Shanghai')::date + x.days,
        x.opened_at,
        CASE WHEN x.status = 'open' THEN NULL
          ELSE least(x.opened_at + (x.days - floor(${u(id, 15)} * 10)) * interval '1 day', ${now}) END,
        CASE x.status WHEN 'done' THEN ${pick(OUTCOMES, id, 16)}
          WHEN 'cancelled' THEN '小区已连续三个月非红，并入常态化管理，撤销专项整改' END
      FROM dated x JOIN areas a ON a.id = x.compound_id
      RETURNING id, compound_id, status, opened_at, due_on, closed_at
    )
    INSERT INTO rating_followup_steps (followup_id, position, title, due_on, done_at, note)
    SELECT f.id, s.k, (${STEPS}::text[])[s.k], sd.due_on,
      CASE
        WHEN f.status = 'done' THEN least(sd.due_on::timestamp AT TIME ZONE 'Asia/Shanghai', f.closed_at)
        WHEN f.status = 'open' AND sd.due_on <= ${today}
          AND ${u(sql`f.compound_id * 8 + s.k`, 17)} < 0.75
          THEN least((sd.due_on - floor(${u(sql`f.compound_id * 8 + s.k`, 18)} * 4)::int)::timestamp
            AT TIME ZONE 'Asia/Shanghai' + interval '10 hours', ${now})
      END,
      ''
    FROM plans f CROSS JOIN generate_series(1, 4) AS s(k)
    CROSS JOIN LATERAL (SELECT (f.opened_at AT TIME ZONE 'Asia/Shanghai')::date
      + ((f.due_on - (f.opened_at AT TIME ZONE 'Asia/Shanghai')::date) * s.k / 4) AS due_on) sd
    WHERE f.status <> 'cancelled' OR s.k <= 2`.execute(tx);
}
