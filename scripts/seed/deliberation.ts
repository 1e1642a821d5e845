/**
 * 四方联席会议 and the three lists, set-based in SQL (a dozen INSERT … SELECT, whatever the scale):
 *
 * - Proposals: 0–4 owners' or residents' proposals per compound and year (parking, aging pipes,
 *   elevators, greening and property service first), plus one from map evidence for about half
 *   of the compound × category pairs whose tickets reach the threshold (≥ 5 in 90 days), carrying
 *   the cluster's tickets as their snapshot.
 * - The flow by age: about 8 % rejected and 10 % returned at review (some resubmitted), the rest
 *   accepted within two weeks; accepted proposals are decided at their community's monthly joint
 *   meeting (1+3+N attendees, minutes), then published when the action is done. What would fall
 *   after "now" has not happened yet, so young proposals wait at earlier stages; a few stall (the
 *   overdue ones).
 * - Needs from most decided proposals and from some ticket clusters; 2–5 resources per community
 *   (space, funds, volunteers, a unit's help); projects for most needs with 3 milestones and one
 *   or two matched resources (never beyond capacity). A finished project's completion is dated
 *   where its compound's tickets of that category fell most (of four candidate days), so the
 *   before/after effect shows where there is one.
 *
 * Deterministic: every choice is a hash of stable ids and the seed, never `random()`.
 */
import { sql, type RawBuilder } from 'kysely';
import type { SeedWindow } from './calendar.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const DELIBERATION_TABLES: readonly string[] = [
  'joint_meetings',
  'proposals',
  'proposal_steps',
  'needs',
  'resources',
  'projects',
  'project_resources',
  'project_milestones',
];

/** Titles per topic (the seed's proposals pick one by hash). */
const TITLES: Record<string, string[]> = {
  parking: [
    '增设停车位，规范小区停车',
    '消防通道被占，建议划线管理',
    '建议建设非机动车充电棚',
    '外来车辆乱停，建议道闸管理',
  ],
  pipes: [
    '供暖管道老化漏水，建议更换',
    '自来水管锈蚀，建议改造',
    '雨污管道堵塞，建议清疏改造',
    '燃气管线老化，建议更新',
  ],
  elevator: ['老旧楼栋加装电梯', '电梯频繁故障，建议大修', '加装电梯费用分摊协商'],
  greening: ['绿地荒废，建议补植绿化', '建议建设口袋公园', '树木遮挡采光，建议修剪'],
  property_service: [
    '物业费收支公开',
    '保洁频次不足，建议增加',
    '物业服务合同续签协商',
    '门岗管理不到位',
  ],
  facilities: ['楼道照明损坏，建议更换', '建议增设健身器材', '屋面漏水，建议维修'],
  safety: ['楼道堆物，存在消防隐患', '建议增设监控探头'],
  elder_care: ['建议设立老年助餐点', '建议开设托育点'],
  sanitation: ['垃圾分类站点设置', '化粪池满溢，建议清掏'],
  other: ['小区公共空间使用协商'],
};

const DECISIONS: Record<string, string> = {
  parking: '同意划定停车位并实行道闸管理，物业负责施工，业委会监督',
  pipes: '同意申报老旧管网改造，街道协调资金，物业配合施工',
  elevator: '同意启动加装电梯，社区协调费用分摊方案，征求全体业主意见',
  greening: '同意利用公共收益补植绿化，业委会监督使用',
  property_service: '同意物业整改服务并按月公示收支，业委会监督',
  facilities: '同意维修更换，费用由公共维修资金列支',
  safety: '同意开展楼道清理和隐患整治，执法部门配合',
  elder_care: '同意利用党群服务站场地开设服务点',
  sanitation: '同意调整垃圾分类点位，环卫部门配合',
  other: '同意按议定方案实施',
};

const TOPIC_OF_CATEGORY: Record<string, string> = {
  parking: 'parking',
  facilities: 'pipes',
  property_service: 'property_service',
  sanitation: 'greening',
  safety: 'safety',
  elder_child_care: 'elder_care',
};

export async function insertDeliberation(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  const seed = o.seed % 1_000_003;
  /** A uniform number in [0, 1) from an integer expression and a salt: the seed's dice. */
  const u = (expr: RawBuilder<unknown>, salt: number) =>
    sql<number>`((hashint8((${expr})::int8 * 1000003 + ${seed * 71 + salt}::int8) & 1048575)::float8 / 1048576)`;
  const ref = (name: string) => sql.ref(name) as unknown as RawBuilder<unknown>;
  const start = new Date(o.window.startS * 1000);
  const now = o.now;
  // Seconds in which proposals are submitted (the year up to the day before now).
  const spanS = (now.getTime() - start.getTime()) / 1000 - 86400;
  const topics = Object.keys(TITLES);
  const titleTopic = topics.flatMap((t) => TITLES[t]!.map(() => t));
  const titleText = topics.flatMap((t) => TITLES[t]!);
  const decTopic = Object.keys(DECISIONS);
  const decText = decTopic.map((t) => DECISIONS[t]!);
  const categoryOf = sql`CASE x.topic WHEN 'parking' THEN 'parking' WHEN 'pipes' THEN 'facilities'
    WHEN 'elevator' THEN 'facilities' WHEN 'greening' THEN 'sanitation'
    WHEN 'property_service' THEN 'property_service' WHEN 'facilities' THEN 'facilities'
    WHEN 'safety' THEN 'safety' WHEN 'elder_care' THEN 'elder_child_care'
    WHEN 'sanitation' THEN 'sanitation' ELSE 'other' END`;

  // The seed's proposals before their flow: owners' and residents' (topic weighted to what
  // compounds raise most) and those from ticket clusters.
  await sql`
    CREATE TEMP TABLE seed_props ON COMMIT DROP AS
    WITH owner AS (
      SELECT a.id AS compound_id, a.path, k,
        ${u(sql`a.id * 7 + k`, 1)} AS r_topic, ${u(sql`a.id * 7 + k`, 2)} AS r_day,
        ${u(sql`a.id * 7 + k`, 3)} AS r_name
      FROM compounds c JOIN areas a ON a.id = c.area_id,
        generate_series(1, floor(${u(ref('a.id'), 4)} * 5)::int) k
    ), titled AS (
      SELECT o.*, t.i AS title_no
      FROM owner o,
        LATERAL (SELECT CASE
          WHEN o.r_topic < 0.25 THEN 'parking' WHEN o.r_topic < 0.45 THEN 'pipes'
          WHEN o.r_topic < 0.57 THEN 'elevator' WHEN o.r_topic < 0.69 THEN 'greening'
          WHEN o.r_topic < 0.84 THEN 'property_service' WHEN o.r_topic < 0.90 THEN 'facilities'
          WHEN o.r_topic < 0.94 THEN 'safety' WHEN o.r_topic < 0.97 THEN 'elder_care'
          WHEN o.r_topic < 0.99 THEN 'sanitation' ELSE 'other' END AS topic) tp,
        LATERAL (SELECT i FROM unnest(${titleTopic}::text[]) WITH ORDINALITY AS z(t, i)
          WHERE z.t = tp.topic ORDER BY i
          OFFSET floor(${u(sql`o.compound_id * 13 + o.k`, 5)} * (SELECT count(*) FROM unnest(${titleTopic}::text[]) q WHERE q = tp.topic))::int
          LIMIT 1) t
    )
    SELECT x.compound_id, x.path, (${titleTopic}::text[])[x.title_no] AS topic,
      (${titleText}::text[])[x.title_no] AS title,
      CASE WHEN x.r_name < 0.7 THEN 'owner' ELSE 'resident' END AS source,
      (${SURNAMES}::text[])[1 + floor(x.r_name * ${SURNAMES.length})::int] ||
        (${GIVEN_NAMES}::text[])[1 + floor(${u(sql`x.compound_id * 17 + x.k`, 6)} * ${GIVEN_NAMES.length})::int] AS proposer_name,
      '13' || lpad((floor(${u(sql`x.compound_id * 19 + x.k`, 7)} * 1e9))::bigint::text, 9, '0') AS proposer_phone,
      NULL::jsonb AS evidence,
      ${start}::timestamptz + make_interval(secs => x.r_day * ${spanS}::float8) AS submitted_at,
      x.compound_id * 10 + x.k AS key
    FROM titled x`.execute(tx);
  // Evidence: a compound × category with ≥ 5 tickets in the 90 days before one of its tickets (hashed).
  await sql`
    WITH pairs AS (
      SELECT t.compound_id, t.category, count(*) AS n
      FROM tickets t
      WHERE t.compound_id IS NOT NULL AND t.category = ANY(${Object.keys(TOPIC_OF_CATEGORY)}::text[])
        AND t.status <> 'rejected_duplicate'
      GROUP BY 1, 2 HAVING count(*) >= 5
    ), windows AS (
      -- Each ticket of a chosen pair with the pair's count over the 90 days up to it: the map's
      -- evidence exists wherever that count reaches 5, whatever day the seed runs up to.
      SELECT t.compound_id, t.category, t.id, t.received_at,
        count(*) OVER (PARTITION BY t.compound_id, t.category ORDER BY t.received_at
          RANGE BETWEEN interval '90 days' PRECEDING AND CURRENT ROW) AS n90
      FROM pairs p JOIN tickets t ON t.compound_id = p.compound_id AND t.category = p.category
        AND t.status <> 'rejected_duplicate'
      WHERE ${u(sql`p.compound_id * 3 + length(p.category)`, 9)} < 0.55
    ), dated AS (
      SELECT DISTINCT ON (w.compound_id, w.category) w.compound_id, w.category,
        w.received_at + interval '1 minute' AS at
      FROM windows w WHERE w.n90 >= 5
      ORDER BY w.compound_id, w.category, ${u(sql`w.id`, 8)}
    ), snap AS (
      SELECT d.compound_id, d.category, d.at, array_agg(t.id ORDER BY t.received_at, t.id) AS ids
      FROM dated d JOIN tickets t ON t.compound_id = d.compound_id AND t.category = d.category
        AND t.received_at >= d.at - interval '90 days' AND t.received_at < d.at
        AND t.status <> 'rejected_duplicate'
      GROUP BY 1, 2, 3 HAVING count(*) >= 5
    )
    INSERT INTO seed_props
    SELECT s.compound_id, a.path, (${Object.values(TOPIC_OF_CATEGORY)}::text[])[array_position(${Object.keys(TOPIC_OF_CATEGORY)}::text[], s.category)],
      left(a.name || '：近90天' || cardinality(s.ids) || '件' ||
        CASE s.category WHEN 'parking' THEN '停车' WHEN 'facilities' THEN '设施管道'
          WHEN 'property_service' THEN '物业服务' WHEN 'sanitation' THEN '环境卫生'
          WHEN 'safety' THEN '安全隐患' ELSE '养老托育' END || '诉求', 80),
      'evidence', NULL, NULL,
      jsonb_build_object('kind', 'tickets', 'category', s.category,
        'from', to_char((s.at - interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'to', to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'days', 90, 'count', cardinality(s.ids), 'ticketIds', to_jsonb(s.ids)),
      s.at, 1000000000 + s.compound_id * 16 + length(s.category)
    FROM snap s JOIN areas a ON a.id = s.compound_id`.execute(tx);

  // The flow's dates: review 2–14 days on (8 % rejected, 10 % returned, of which half come back
  // within 3 weeks and are accepted), the community's joint meeting early in the month after
  // acceptance, the action due 1–4 months on, published when done (15 % late). NULL: not yet.
  await sql`
    CREATE TEMP TABLE seed_flow ON COMMIT DROP AS
    WITH f AS (
      SELECT p.*, ${u(ref('p.key'), 10)} AS r_out, ${u(ref('p.key'), 11)} AS r_late,
        ${u(ref('p.key'), 12)} AS r_stall,
        p.submitted_at + make_interval(days => 2 + floor(${u(ref('p.key'), 13)} * 13)::int, hours => 9) AS reviewed_at
      FROM seed_props p
    ), g AS (
      SELECT f.*,
        CASE WHEN f.r_stall < 0.04 THEN NULL
          WHEN f.r_out < 0.08 THEN 'reject' WHEN f.r_out < 0.18 THEN 'return' ELSE 'accept' END AS review,
        CASE WHEN f.r_out >= 0.08 AND f.r_out < 0.13 THEN f.reviewed_at + make_interval(days => 5 + floor(f.r_late * 16)::int) END AS resubmitted_at
      FROM f
    ), h AS (
      SELECT g.*,
        CASE WHEN g.review = 'accept' THEN g.reviewed_at
          WHEN g.resubmitted_at IS NOT NULL THEN g.resubmitted_at + interval '4 days' END AS accepted_at
      FROM g
    ), m AS (
      SELECT h.*, a.path[3] AS community_id,
        date_trunc('month', h.accepted_at AT TIME ZONE 'Asia/Shanghai') + interval '1 month'
          + make_interval(days => 2 + (abs(hashint4(a.path[3] + ${seed})) % 8), hours => 14) AS held_local
      FROM h JOIN areas a ON a.id = h.compound_id
    )
    SELECT m.*, (m.held_local AT TIME ZONE 'Asia/Shanghai') AS held_at,
      ((m.held_local + make_interval(days => 30 + floor(m.r_late * 90)::int)))::date AS due_on,
      ((m.held_local + make_interval(days => 20 + floor(m.r_late * 90)::int
        + CASE WHEN m.r_stall > 0.85 THEN 60 ELSE 0 END)))::date AS published_on
    FROM m`.execute(tx);

  // One joint meeting per community and month that decided something before now.
  await sql`
    INSERT INTO joint_meetings (community_id, area_path, held_at, place, attendees, minutes, created_at)
    SELECT x.community_id, a.path, x.held_at, a.name || '党群服务中心议事厅',
      jsonb_build_array(
        jsonb_build_object('side', 'party', 'name', '社区党委书记', 'unit', a.name || '党委'),
        jsonb_build_object('side', 'committee', 'name', '业委会主任', 'unit', '业主委员会'),
        jsonb_build_object('side', 'company', 'name', '物业项目经理', 'unit', '物业服务企业'),
        jsonb_build_object('side', 'department', 'name', '街道城建办', 'unit', '街道办事处'))
        || CASE WHEN ${u(sql`x.community_id + extract(month FROM x.held_at)::int`, 14)} < 0.4
          THEN jsonb_build_array(jsonb_build_object('side', 'department', 'name', '综合执法队员', 'unit', '综合行政执法局'))
          ELSE '[]'::jsonb END,
      '会议听取议题说明，参会各方逐项协商，形成议定事项并明确责任单位和完成时限。', x.held_at
    FROM (SELECT DISTINCT community_id, held_at FROM seed_flow
      WHERE accepted_at IS NOT NULL AND held_at < ${now} AND r_stall >= 0.04) x
    JOIN areas a ON a.id = x.community_id
    ORDER BY x.held_at, x.community_id`.execute(tx);

  // The proposals at the stage they have reached by now.
  await sql`
    CREATE TEMP TABLE seed_stage ON COMMIT DROP AS
    SELECT f.*, jm.id AS meeting_id,
      CASE
        WHEN f.review IS NULL OR f.reviewed_at >= ${now} THEN 'submitted'
        WHEN f.review = 'reject' THEN 'rejected'
        WHEN f.review = 'return' AND (f.resubmitted_at IS NULL OR f.resubmitted_at >= ${now}) THEN 'returned'
        WHEN f.review = 'return' AND f.accepted_at >= ${now} THEN 'submitted'
        WHEN jm.id IS NULL THEN 'accepted'
        WHEN (f.published_on::timestamp AT TIME ZONE 'Asia/Shanghai') >= ${now} THEN 'decided'
        ELSE 'published' END AS stage
    FROM seed_flow f
    LEFT JOIN joint_meetings jm ON jm.community_id = f.community_id AND jm.held_at = f.held_at
      AND f.accepted_at IS NOT NULL AND f.held_at < ${now} AND f.r_stall >= 0.04`.execute(tx);

  await sql`
    INSERT INTO proposals (compound_id, area_path, topic, category, title, body, source,
      proposer_name, proposer_phone, evidence, stage, submitted_at, staged_at, meeting_id, decision,
      action_owner, due_on, result, published_on)
    SELECT x.compound_id, x.path, x.topic, ${categoryOf}, x.title,
      CASE WHEN x.source = 'evidence' THEN '由网格诉求聚集自动生成，附诉求清单。'
        ELSE '业主反映：' || x.title || '，希望尽快协商解决。' END
        || CASE WHEN x.stage IN ('submitted', 'accepted', 'decided', 'published') AND x.resubmitted_at IS NOT NULL
          THEN E'\n\n补充材料：已征集同楼栋业主意见并附现场照片。' ELSE '' END,
      x.source, x.proposer_name, x.proposer_phone, x.evidence, x.stage, x.submitted_at,
      CASE x.stage WHEN 'submitted' THEN coalesce(CASE WHEN x.resubmitted_at < ${now} THEN x.resubmitted_at END, x.submitted_at)
        WHEN 'returned' THEN x.reviewed_at WHEN 'rejected' THEN x.reviewed_at
        WHEN 'accepted' THEN x.accepted_at WHEN 'decided' THEN x.held_at
        ELSE (x.published_on::timestamp + interval '10 hours') AT TIME ZONE 'Asia/Shanghai' END,
      CASE WHEN x.stage IN ('decided', 'published') THEN x.meeting_id END,
      CASE WHEN x.stage IN ('decided', 'published') THEN (${decText}::text[])[array_position(${decTopic}::text[], x.topic)] END,
      CASE WHEN x.stage IN ('decided', 'published') THEN
        CASE WHEN x.topic IN ('parking', 'property_service', 'greening') THEN '物业服务企业'
          WHEN x.topic IN ('pipes', 'elevator') THEN '街道城建办' ELSE '社区居委会' END END,
      CASE WHEN x.stage IN ('decided', 'published') THEN x.due_on END,
      CASE WHEN x.stage = 'published' THEN '议定事项已落实：' || (${decText}::text[])[array_position(${decTopic}::text[], x.topic)] || '。结果已在小区公示栏公开。' END,
      CASE WHEN x.stage = 'published' THEN x.published_on END
    FROM seed_stage x ORDER BY x.submitted_at, x.key`.execute(tx);

  // The timeline of each proposal, one row per step taken.
  await sql`
    INSERT INTO proposal_steps (proposal_id, step, at, actor, fields)
    SELECT p.id, s.step, s.at, s.actor, s.fields
    FROM proposals p
    JOIN seed_stage x ON x.compound_id = p.compound_id AND x.submitted_at = p.submitted_at AND x.title = p.title
    JOIN areas c ON c.id = x.community_id,
    LATERAL (VALUES
      ('submit', x.submitted_at, CASE WHEN x.source = 'evidence' THEN '网格员（诉求聚集）' ELSE '网格员代录' END,
        jsonb_build_object('source', x.source), true),
      (x.review, x.reviewed_at, c.name || '党委',
        CASE x.review WHEN 'accept' THEN jsonb_build_object('note', '提交联席会议商议')
          WHEN 'return' THEN jsonb_build_object('reason', '请补充楼栋业主意见和现场照片')
          ELSE jsonb_build_object('reason', '不属于小区公共事务，已转相关部门按诉求办理') END,
        x.stage <> 'submitted' OR x.resubmitted_at < ${now}),
      ('resubmit', x.resubmitted_at, '网格员代录', jsonb_build_object('addition', '已征集同楼栋业主意见并附现场照片。'),
        x.resubmitted_at < ${now}),
      ('accept', x.accepted_at, c.name || '党委', jsonb_build_object('note', '补充材料齐全，提交联席会议商议'),
        x.review = 'return' AND x.accepted_at < ${now}),
      ('decide', x.held_at, '四方联席会议', jsonb_build_object('meetingId', p.meeting_id, 'decision', p.decision,
        'actionOwner', p.action_owner, 'dueOn', to_char(p.due_on, 'YYYY-MM-DD')), p.stage IN ('decided', 'published')),
      ('publish', p.staged_at, c.name || '居委会', jsonb_build_object('result', p.result,
        'publishedOn', to_char(p.published_on, 'YYYY-MM-DD')), p.stage = 'published')
    ) AS s(step, at, actor, fields, taken)
    WHERE s.taken AND s.step IS NOT NULL AND s.at IS NOT NULL
    ORDER BY p.id, s.at`.execute(tx);

  // 需求清单: most decided proposals, and some ticket clusters of their own.
  await sql`
    INSERT INTO needs (compound_id, area_path, topic, category, title, source, proposal_id, evidence, status, created_at)
    SELECT p.compound_id, p.area_path, p.topic, p.category, p.title, 'proposal', p.id, p.evidence, 'open',
      p.staged_at + interval '3 days'
    FROM proposals p
    WHERE p.stage IN ('decided', 'published') AND ${u(ref('p.id'), 15)} < 0.8
      AND p.staged_at + interval '3 days' < ${now}
    ORDER BY p.id`.execute(tx);

  // 资源清单: 2–5 per community (and a few compounds' own).
  await sql`
    INSERT INTO resources (area_id, area_path, kind, name, provider, capacity, unit, created_at)
    SELECT a.id, a.path, k.kind, k.name, k.provider, k.capacity, k.unit,
      ${start}::timestamptz + make_interval(days => floor(${u(sql`a.id * 5 + n`, 16)} * 120)::int)
    FROM areas a, generate_series(1, 2 + floor(${u(ref('a.id'), 17)} * 4)::int) n,
    LATERAL (SELECT * FROM (VALUES
      (1, 'funds', '社区公益金', '街道办事处', round((50000 + ${u(sql`a.id * 5 + n`, 18)} * 250000)::numeric, -3), 'yuan'),
      (2, 'space', '党群服务中心活动室', a.name || '党委', round((60 + ${u(sql`a.id * 5 + n`, 19)} * 300)::numeric), 'm2'),
      (3, 'volunteers', '党员志愿服务队', a.name || '党委', round((200 + ${u(sql`a.id * 5 + n`, 20)} * 800)::numeric), 'hours'),
      (4, 'unit', '共建单位技术帮扶', '共建单位', round((6 + ${u(sql`a.id * 5 + n`, 21)} * 18)::numeric), 'times'),
      (5, 'funds', '物业公共收益', '物业服务企业', round((20000 + ${u(sql`a.id * 5 + n`, 22)} * 80000)::numeric, -3), 'yuan')
    ) v(i, kind, name, provider, capacity, unit) WHERE v.i = n) k
    WHERE a.level = 'community'
    ORDER BY a.id, n`.execute(tx);

  // 项目清单: most needs become a project; those whose proposal is published are done (dated
  // where the compound's tickets of that category fell most, of four candidate days).
  await sql`
    CREATE TEMP TABLE seed_projects ON COMMIT DROP AS
    SELECT n.id AS need_id, n.compound_id, n.area_path, n.category, n.title, p.stage,
      p.action_owner AS owner, (n.created_at AT TIME ZONE 'Asia/Shanghai')::date + 7 AS started_on,
      greatest(p.due_on, (n.created_at AT TIME ZONE 'Asia/Shanghai')::date + 30) AS due_on,
      round((20000 + ${u(ref('n.id'), 23)} * 280000)::numeric, -2) AS budget, n.created_at,
      ${u(ref('n.id'), 24)} AS r
    FROM needs n JOIN proposals p ON p.id = n.proposal_id
    WHERE ${u(ref('n.id'), 25)} < 0.75`.execute(tx);
  const today = sql`(${now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
  await sql`
    INSERT INTO projects (need_id, compound_id, area_path, category, title, owner, budget, status,
      started_on, due_on, completed_on, created_at)
    SELECT s.need_id, s.compound_id, s.area_path, s.category, left(s.title, 76) || '项目', s.owner,
      s.budget, CASE WHEN done.on_day IS NOT NULL THEN 'done'
        WHEN s.started_on <= ${today} THEN 'in_progress' ELSE 'planned' END,
      s.started_on, greatest(s.due_on, s.started_on), done.on_day, s.created_at
    FROM seed_projects s
    LEFT JOIN LATERAL (
      SELECT c.on_day FROM (
        SELECT (s.started_on + k * greatest(7, (${today} - s.started_on) / 5))::date AS on_day
        FROM generate_series(1, 4) k) c,
      LATERAL (SELECT
        count(*) FILTER (WHERE t.received_at < (c.on_day::timestamp AT TIME ZONE 'Asia/Shanghai')) AS before,
        count(*) FILTER (WHERE t.received_at >= (c.on_day::timestamp AT TIME ZONE 'Asia/Shanghai')) AS after
        FROM tickets t WHERE t.compound_id = s.compound_id AND t.category = s.category
          AND t.received_at >= ((c.on_day - least(90, ${today} - c.on_day))::timestamp AT TIME ZONE 'Asia/Shanghai')
          AND t.received_at < ((c.on_day + least(90, ${today} - c.on_day))::timestamp AT TIME ZONE 'Asia/Shanghai')) w
      WHERE c.on_day < ${today} - 14
      ORDER BY w.after - w.before, c.on_day LIMIT 1
    ) done ON s.stage = 'published' AND s.started_on < ${today} - 30
    ORDER BY s.need_id`.execute(tx);
  await sql`
    UPDATE needs n SET status = CASE WHEN j.status = 'done' THEN 'done' ELSE 'matched' END
    FROM projects j WHERE j.need_id = n.id`.execute(tx);

  // Milestones: 立项, 施工, 验收 spread over the project; done as far as the project got.
  await sql`
    INSERT INTO project_milestones (project_id, title, due_on, done_on)
    SELECT j.id, m.title, (j.started_on + round((j.due_on - j.started_on) * m.share)::int),
      CASE WHEN j.status = 'done' THEN least(j.completed_on, (j.started_on + round((j.completed_on - j.started_on) * m.share)::int))
        WHEN j.status = 'in_progress' AND m.i = 1 THEN least(j.started_on + 3, ${today}) END
    FROM projects j, (VALUES (1, '立项和方案公示', 0.1), (2, '施工或服务实施', 0.6), (3, '验收和结果公示', 1.0)) m(i, title, share)
    ORDER BY j.id, m.i`.execute(tx);

  // Matches: one or two of the community's resources per project; each resource's capacity is
  // shared among its matches (90 % of it at most), so no resource is overdrawn.
  await sql`
    WITH pick AS (
      SELECT j.id AS project_id, r.id AS resource_id, r.capacity, j.created_at
      FROM projects j
      JOIN LATERAL (
        SELECT r.id, r.capacity FROM resources r WHERE r.area_id = j.area_path[3]
        ORDER BY ${u(sql`j.id * 31 + r.id`, 26)} LIMIT 1 + floor(${u(ref('j.id'), 27)} * 2)::int
      ) r ON true
    )
    INSERT INTO project_resources (project_id, resource_id, amount, matched_at, matched_by)
    SELECT p.project_id, p.resource_id,
      greatest(0.01, round(p.capacity * 0.9 / count(*) OVER (PARTITION BY p.resource_id), 2)),
      p.created_at + interval '2 days', '社区党委'
    FROM pick p ORDER BY p.project_id, p.resource_id`.execute(tx);
}
