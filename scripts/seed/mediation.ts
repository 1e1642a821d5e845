/**
 * 物业纠纷人民调解: committees, rooms, mediators, cases with their parties and steps, in set-based
 * SQL. Calibration (docs/mediation.md), the same at every scale:
 *
 * - The company committee, sponsored by the `property` demo account's company (without demo
 *   accounts: the company managing the most compounds), is the seed's 兰州城关物业服务集团
 *   物业纠纷人民调解委员会: 7 rooms in its largest compounds (fewer if it has fewer), 73 mediators
 *   (a director, 17 full-time, 55 part-time), and over the year 371 complaints, 1,473 legal
 *   consultations and 167 disputes of which about 142 end in 调解成功 (85 %).
 * - A people's mediation committee in every community (568), with a room in its largest compound
 *   and 3–7 mediators; per year about one complaint per 400 households, one consultation per 200
 *   and one dispute per 500 (of the compounds not served by the company committee).
 * - Steps 受理 → 调查 → 调解 → 结案 by kind and age: consultations are answered within a day,
 *   complaints handled within 15 days, disputes mediated within 40; recent cases are still open.
 *
 * Deterministic: every choice is a hash of stable ids and the seed, never `random()`.
 */
import { sql, type RawBuilder } from 'kysely';
import type { SeedWindow } from './calendar.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import { SEED_HOURS } from './service-points.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const MEDIATION_TABLES: readonly string[] = [
  'mediation_committees',
  'mediators',
  'mediation_rooms',
  'mediation_cases',
  'mediation_parties',
  'mediation_steps',
];

/** The seed's figures for one property group over a year (DOMAIN.md). */
export const COMPANY_COMMITTEE = {
  rooms: 7,
  mediators: 73,
  fullTime: 17,
  complaints: 371,
  consultations: 1473,
  /** Disputes taken on; about 85 % (142) end in 调解成功. */
  disputes: 167,
  disputesResolved: 142,
} as const;

/** Community committees: cases per household per year, by kind. */
export const COMMUNITY_RATES = { complaint: 1 / 400, consultation: 1 / 200, dispute: 1 / 500 };

const CATEGORY_TEXT: Record<string, string> = {
  property_fee: '物业费收缴与调价争议',
  service_quality: '保洁、绿化等物业服务质量问题',
  parking: '车位分配与停车收费问题',
  leak: '楼上漏水造成室内损失',
  noise: '装修及生活噪音扰民',
  renovation: '装修违规改动公共部位',
  common_area: '公共区域占用与公共收益分配',
  neighbour: '邻里之间生活矛盾',
  other: '其他物业相关问题',
};
/** Categories by kind, repeated by weight. */
const KIND_CATEGORIES: Record<string, string[]> = {
  complaint: [
    'service_quality',
    'service_quality',
    'property_fee',
    'parking',
    'common_area',
    'noise',
    'leak',
    'other',
  ],
  consultation: [
    'property_fee',
    'property_fee',
    'common_area',
    'renovation',
    'parking',
    'leak',
    'neighbour',
    'other',
  ],
  dispute: [
    'leak',
    'leak',
    'neighbour',
    'noise',
    'property_fee',
    'parking',
    'renovation',
    'common_area',
  ],
};
const AGREEMENT: Record<string, string> = {
  property_fee: '双方确认收费标准，业主分期补缴，物业完善服务并公示收支',
  service_quality: '物业承诺限期整改并接受业主监督',
  parking: '按登记顺序重新分配车位，收费标准张榜公示',
  leak: '责任方承担维修费用并赔偿损失',
  noise: '约定装修作业时间，超时施工即停止',
  renovation: '业主恢复公共部位原状，物业加强巡查',
  common_area: '公共区域恢复公共使用，收益纳入公共收益账户',
  neighbour: '双方互谅互让，签订和解协议',
  other: '双方就争议事项达成一致',
};

export async function insertMediation(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  const seed = o.seed % 1_000_003;
  const u = (expr: RawBuilder<unknown>, salt: number) =>
    sql<number>`((hashint8((${expr})::int8 * 1000003 + ${seed * 83 + salt}::int8) & 1048575)::float8 / 1048576)`;
  const ref = (name: string) => sql.ref(name) as unknown as RawBuilder<unknown>;
  const pick = (arr: readonly string[], expr: RawBuilder<unknown>, salt: number) =>
    sql<string>`(${[...arr]}::text[])[1 + floor(${u(expr, salt)} * ${arr.length})::int]`;
  const person = (expr: RawBuilder<unknown>, salt: number) =>
    sql<string>`${pick(SURNAMES.slice(0, 60), expr, salt)} || ${pick(GIVEN_NAMES, expr, salt + 1)}`;
  const mobile = (expr: RawBuilder<unknown>, salt: number) =>
    sql<string>`'1' || (ARRAY['38','39','58','59','87','89'])[1 + floor(${u(expr, salt)} * 6)::int]
      || lpad(floor(${u(expr, salt + 1)} * 100000000)::int::text, 8, '0')`;
  const today = sql`least((to_timestamp(${o.window.nowS}) AT TIME ZONE 'Asia/Shanghai')::date,
    (${o.now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)`;
  const start = sql`(to_timestamp(${o.window.startS}) AT TIME ZONE 'Asia/Shanghai')::date`;
  const days = o.window.days;

  // An embedded database seeded before the 调解员 role: its demo accounts gain the two mediators.
  await sql`
    INSERT INTO accounts (username, display_name, role, password_hash, demo)
    SELECT x.username, x.display_name, 'mediator', a.password_hash, true
    FROM accounts a CROSS JOIN (VALUES ('mediator', '王调解员'), ('mediator-director', '李主任'))
      AS x(username, display_name)
    WHERE a.username = 'city' AND a.demo
      AND NOT EXISTS (SELECT 1 FROM accounts b WHERE b.username = x.username)
    ORDER BY x.username`.execute(tx);

  // The company committee.
  await sql`
    INSERT INTO mediation_committees (kind, name, property_company_id, founded_on)
    SELECT 'company', left(p.name || '物业纠纷人民调解委员会', 120), p.id, date '2019-06-18'
    FROM property_companies p
    WHERE p.id = coalesce(
      (SELECT property_company_id FROM accounts WHERE username = 'property'),
      (SELECT property_company_id FROM compounds WHERE property_company_id IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1))`.execute(tx);
  // A community committee in every community.
  await sql`
    INSERT INTO mediation_committees (kind, name, area_id, area_path, founded_on)
    SELECT 'community', left(a.name || '人民调解委员会', 120), a.id, a.path,
      date '2008-01-01' + floor(${u(ref('a.id'), 1)} * 3000)::int
    FROM areas a WHERE a.level = 'community' ORDER BY a.id`.execute(tx);

  // Mediators: 73 for the company's committee, 3–7 for a community's; the first is the director.
  await sql`
    INSERT INTO mediators (committee_id, name, phone, post)
    SELECT m.id, ${person(sql`m.id * 100 + n`, 2)}, ${mobile(sql`m.id * 100 + n`, 4)},
      CASE WHEN n = 1 THEN 'director'
        WHEN n <= 1 + CASE m.kind WHEN 'company' THEN ${COMPANY_COMMITTEE.fullTime}
          ELSE 1 + floor(${u(ref('m.id'), 6)} * 2)::int END THEN 'full_time'
        ELSE 'part_time' END
    FROM mediation_committees m
    CROSS JOIN generate_series(1, ${COMPANY_COMMITTEE.mediators}::int) AS n
    WHERE n <= CASE m.kind WHEN 'company' THEN ${COMPANY_COMMITTEE.mediators}
      ELSE 3 + floor(${u(ref('m.id'), 7)} * 5)::int END
    ORDER BY m.id, n`.execute(tx);
  // The demo mediators: the director and the first full-time mediator of the company committee.
  await sql`
    UPDATE mediators m SET account_id = a.id, name = a.display_name
    FROM accounts a, mediation_committees c
    WHERE c.id = m.committee_id AND c.kind = 'company' AND a.role = 'mediator'
      AND ((a.username = 'mediator-director' AND m.post = 'director')
        OR (a.username = 'mediator' AND m.id = (SELECT min(id) FROM mediators x
          WHERE x.committee_id = c.id AND x.post = 'full_time')))`.execute(tx);

  // Rooms: the company committee's in its 7 largest compounds, a community's in its largest.
  await sql`
    CREATE TEMP TABLE seed_med_rooms ON COMMIT DROP AS
    SELECT m.id AS committee_id, a.id AS compound_id, a.path, a.name, a.label_point,
      m.kind, m.area_id AS community_id
    FROM mediation_committees m
    JOIN LATERAL (
      SELECT a.* FROM areas a JOIN compounds c ON c.area_id = a.id
      WHERE (m.kind = 'company' AND c.property_company_id = m.property_company_id)
         OR (m.kind = 'community' AND a.path[3] = m.area_id AND a.level = 'compound')
      ORDER BY c.households DESC, a.id
      LIMIT CASE m.kind WHEN 'company' THEN ${COMPANY_COMMITTEE.rooms} ELSE 1 END
    ) a ON true`.execute(tx);
  await sql`
    INSERT INTO service_points (kind, name, area_id, area_path, geom, address, phone, hours)
    SELECT 'mediation_room', left(r.name || CASE r.kind WHEN 'company' THEN '物业纠纷调解室'
        ELSE '人民调解室' END, 80), r.compound_id, r.path,
      ST_Translate(r.label_point, (${u(sql`r.committee_id * 7919 + r.compound_id`, 8)} - 0.5) * 0.001,
        (${u(sql`r.committee_id * 7919 + r.compound_id`, 9)} - 0.5) * 0.0008),
      left(r.name || CASE r.kind WHEN 'company' THEN '物业服务中心二楼' ELSE '活动中心一楼' END, 120),
      '0931-' || lpad((8000000 + floor(${u(sql`r.committee_id * 7919 + r.compound_id`, 10)} * 1999999))::int::text, 8, '8'),
      ${JSON.stringify(SEED_HOURS.mediation_room)}::text::jsonb
    FROM seed_med_rooms r ORDER BY r.committee_id, r.compound_id`.execute(tx);
  await sql`
    INSERT INTO mediation_rooms (committee_id, compound_id, area_path, service_point_id, name)
    SELECT r.committee_id, r.compound_id, r.path, p.id, p.name
    FROM seed_med_rooms r
    JOIN service_points p ON p.kind = 'mediation_room' AND p.area_id = r.compound_id
      AND p.name LIKE '%' || CASE r.kind WHEN 'company' THEN '物业纠纷调解室' ELSE '人民调解室' END
    ORDER BY r.committee_id, r.compound_id`.execute(tx);
  // A room serves its committee's compounds: the company's, or the community's.
  await sql`
    INSERT INTO service_point_compounds (service_point_id, compound_id)
    SELECT DISTINCT r.service_point_id, a.id
    FROM mediation_rooms r JOIN mediation_committees m ON m.id = r.committee_id
    JOIN areas a ON a.level = 'compound'
    JOIN compounds c ON c.area_id = a.id
    WHERE (m.kind = 'company' AND c.property_company_id = m.property_company_id
        AND a.id = r.compound_id)
      OR (m.kind = 'community' AND a.path[3] = m.area_id)
    ON CONFLICT DO NOTHING`.execute(tx);

  // Case slots: (committee, compound, kind, n), then one row per case with its dice.
  await sql`
    CREATE TEMP TABLE seed_med_slots ON COMMIT DROP AS
    WITH co AS (
      SELECT m.id AS committee_id, array_agg(a.id ORDER BY a.id) AS compounds,
        array_agg(a.id ORDER BY a.id) FILTER (WHERE EXISTS (SELECT 1 FROM mediation_rooms r
          WHERE r.committee_id = m.id AND r.compound_id = a.id)) AS rooms
      FROM mediation_committees m
      JOIN compounds c ON c.property_company_id = m.property_company_id
      JOIN areas a ON a.id = c.area_id
      WHERE m.kind = 'company' GROUP BY m.id
    ), k AS (
      SELECT * FROM (VALUES ('complaint', ${COMPANY_COMMITTEE.complaints}::int, 1),
        ('consultation', ${COMPANY_COMMITTEE.consultations}::int, 2),
        ('dispute', ${COMPANY_COMMITTEE.disputes}::int, 3)) AS k(kind, n, salt)
    )
    -- The company's cases: three in five in a compound with a room, the rest anywhere it manages.
    SELECT co.committee_id, k.kind, k.salt * 100000 + g AS n,
      CASE WHEN ${u(sql`co.committee_id * 7 + k.salt * 100000 + g`, 11)} < 0.6 AND co.rooms IS NOT NULL
        THEN co.rooms[1 + floor(${u(sql`co.committee_id * 7 + k.salt * 100000 + g`, 12)} * cardinality(co.rooms))::int]
        ELSE co.compounds[1 + floor(${u(sql`co.committee_id * 7 + k.salt * 100000 + g`, 12)} * cardinality(co.compounds))::int]
      END AS compound_id
    FROM co CROSS JOIN k CROSS JOIN LATERAL generate_series(1, k.n) AS g
    UNION ALL
    -- A community's: by households, in the compounds the company's committee does not serve.
    SELECT m.id, k.kind, a.id * 100 + k.salt * 20 + g, a.id
    FROM mediation_committees m
    JOIN areas a ON a.level = 'compound' AND a.path[3] = m.area_id
    JOIN compounds c ON c.area_id = a.id
    CROSS JOIN (VALUES ('complaint', ${COMMUNITY_RATES.complaint}::float8, 1),
      ('consultation', ${COMMUNITY_RATES.consultation}::float8, 2),
      ('dispute', ${COMMUNITY_RATES.dispute}::float8, 3)) AS k(kind, rate, salt)
    CROSS JOIN LATERAL generate_series(1, 19) AS g
    WHERE m.kind = 'community'
      AND c.property_company_id IS DISTINCT FROM (SELECT property_company_id FROM mediation_committees WHERE kind = 'company' LIMIT 1)
      AND g <= least(19, floor(c.households * k.rate + ${u(sql`a.id * 3 + k.salt`, 13)})::int)`.execute(
    tx,
  );

  await sql`
    CREATE TEMP TABLE seed_med_cases ON COMMIT DROP AS
    SELECT s.*, x.received_on, (${today} - x.received_on) AS age,
      ${u(sql`s.committee_id * 1000003 + s.n`, 20)} AS r1,
      ${u(sql`s.committee_id * 1000003 + s.n`, 21)} AS r2,
      ${u(sql`s.committee_id * 1000003 + s.n`, 22)} AS r3,
      ${u(sql`s.committee_id * 1000003 + s.n`, 23)} AS r4,
      NULL::text AS category
    FROM seed_med_slots s
    CROSS JOIN LATERAL (SELECT ${start} + floor(${u(sql`s.committee_id * 1000003 + s.n`, 25)} * ${days})::int
      AS received_on) x`.execute(tx);
  // The category, drawn from its kind's weighted list.
  await sql`
    UPDATE seed_med_cases SET category = CASE kind
      WHEN 'complaint' THEN ${pick(KIND_CATEGORIES.complaint!, sql`committee_id * 1000003 + n`, 24)}
      WHEN 'consultation' THEN ${pick(KIND_CATEGORIES.consultation!, sql`committee_id * 1000003 + n`, 24)}
      ELSE ${pick(KIND_CATEGORIES.dispute!, sql`committee_id * 1000003 + n`, 24)} END`.execute(tx);

  const catText = sql`(${Object.values(CATEGORY_TEXT)}::text[])[array_position(${Object.keys(CATEGORY_TEXT)}::text[], x.category)]`;
  const agreement = sql`(${Object.values(AGREEMENT)}::text[])[array_position(${Object.keys(AGREEMENT)}::text[], x.category)]`;
  await sql`
    INSERT INTO mediation_cases (code, committee_id, kind, category, compound_id, building_id,
      area_path, mediator_id, summary, status, outcome, agreement, received_on, closed_on,
      created_at, updated_at)
    SELECT 'TJ' || to_char(x.received_on, 'YYYYMMDD') || '-'
        || lpad((row_number() OVER (ORDER BY x.received_on, x.committee_id, x.n))::text, 6, '0'),
      x.committee_id, x.kind, x.category, x.compound_id,
      CASE WHEN x.r4 < 0.8 AND b.ids IS NOT NULL
        THEN b.ids[1 + floor(x.r3 * cardinality(b.ids))::int] END,
      a.path, md.ids[1 + floor(x.r2 * cardinality(md.ids))::int],
      CASE x.kind WHEN 'complaint' THEN '业主投诉：' WHEN 'consultation' THEN '法律咨询：'
        ELSE '纠纷调解：' END || ${catText},
      x.status, x.outcome,
      CASE WHEN x.outcome = 'success' THEN ${agreement} END,
      x.received_on, x.closed_on,
      (x.received_on + time '10:00') AT TIME ZONE 'Asia/Shanghai',
      (coalesce(x.closed_on, x.received_on) + time '16:00') AT TIME ZONE 'Asia/Shanghai'
    FROM (
      SELECT c.*, s.status, s.outcome,
        CASE WHEN s.status IN ('closed', 'transferred', 'terminated') THEN c.received_on + s.took END
          AS closed_on
      FROM seed_med_cases c
      CROSS JOIN LATERAL (
        SELECT CASE
          WHEN c.kind = 'consultation' THEN CASE WHEN c.age >= 2 THEN 'closed' ELSE 'accepted' END
          WHEN c.kind = 'complaint' THEN CASE WHEN c.age > 15 THEN 'closed' WHEN c.age < 3 THEN 'accepted'
            ELSE 'investigating' END
          ELSE CASE WHEN c.age > 40 THEN (CASE WHEN c.r1 < 0.85 THEN 'closed' WHEN c.r1 < 0.97 THEN 'closed'
              WHEN c.r1 < 0.99 THEN 'transferred' ELSE 'terminated' END)
            WHEN c.age < 5 THEN 'accepted' WHEN c.age < 15 THEN 'investigating' ELSE 'mediating' END
        END AS status,
        CASE
          WHEN c.kind = 'consultation' AND c.age >= 2 THEN 'answered'
          WHEN c.kind = 'complaint' AND c.age > 15 THEN CASE WHEN c.r1 < 0.9 THEN 'resolved' ELSE 'failed' END
          WHEN c.kind = 'dispute' AND c.age > 40 THEN CASE WHEN c.r1 < 0.85 THEN 'success'
            WHEN c.r1 < 0.93 THEN 'failed' WHEN c.r1 < 0.97 THEN 'litigation' END
        END AS outcome,
        CASE c.kind WHEN 'consultation' THEN floor(c.r3 * 2)::int
          WHEN 'complaint' THEN 3 + floor(c.r3 * 12)::int ELSE 10 + floor(c.r3 * 30)::int END AS took
      ) s
    ) x
    JOIN areas a ON a.id = x.compound_id
    LEFT JOIN LATERAL (SELECT array_agg(id ORDER BY id) AS ids FROM buildings
      WHERE compound_id = x.compound_id) b ON true
    JOIN LATERAL (SELECT array_agg(id ORDER BY id) AS ids FROM mediators
      WHERE committee_id = x.committee_id AND post <> 'director') md ON true
    WHERE x.received_on <= ${today}
    ORDER BY x.received_on, x.committee_id, x.n`.execute(tx);

  // Parties: the applicant; a respondent for complaints (the property service centre) and
  // disputes (a neighbour, or the company for fee and service disputes).
  await sql`
    INSERT INTO mediation_parties (case_id, side, name, phone)
    SELECT c.id, 'applicant', ${person(ref('c.id'), 30)}, ${mobile(ref('c.id'), 32)}
    FROM mediation_cases c ORDER BY c.id`.execute(tx);
  await sql`
    INSERT INTO mediation_parties (case_id, side, name, phone)
    SELECT c.id, 'respondent',
      CASE WHEN c.kind = 'complaint' OR c.category IN ('property_fee', 'service_quality', 'parking', 'common_area')
        THEN left(coalesce(p.name, '小区') || '服务中心', 40) ELSE ${person(ref('c.id'), 34)} END,
      CASE WHEN c.kind = 'complaint' OR c.category IN ('property_fee', 'service_quality', 'parking', 'common_area')
        THEN NULL ELSE ${mobile(ref('c.id'), 36)} END
    FROM mediation_cases c
    JOIN compounds k ON k.area_id = c.compound_id
    LEFT JOIN property_companies p ON p.id = k.property_company_id
    WHERE c.kind <> 'consultation' ORDER BY c.id`.execute(tx);

  // Steps: 受理 always; 调查 for complaints and disputes past it; 调解 for disputes past it; the end.
  await sql`
    INSERT INTO mediation_steps (case_id, step, on_date, note, mediator_id, created_at)
    SELECT c.id, st.step, st.on_date, st.note, c.mediator_id,
      (st.on_date + time '11:00') AT TIME ZONE 'Asia/Shanghai'
    FROM mediation_cases c
    CROSS JOIN LATERAL (VALUES
      (1, 'accepted', c.received_on, '登记受理'),
      (2, CASE WHEN c.kind <> 'consultation' AND c.status <> 'accepted' THEN 'investigating' END,
        least(c.received_on + 1 + (c.id % 2), coalesce(c.closed_on, ${today})), '走访当事人，了解情况'),
      (3, CASE WHEN c.kind = 'dispute' AND c.status IN ('mediating', 'closed') THEN 'mediating' END,
        least(c.received_on + 4 + (c.id % 5), coalesce(c.closed_on, ${today})), '组织双方当面调解'),
      (4, CASE WHEN c.closed_on IS NOT NULL THEN c.status END, c.closed_on,
        CASE c.status WHEN 'transferred' THEN '转交司法所处理' WHEN 'terminated' THEN '申请人撤回申请'
          ELSE CASE c.outcome WHEN 'success' THEN '调解成功，签订协议' WHEN 'failed' THEN '调解未成功'
            WHEN 'litigation' THEN '引导当事人诉讼' WHEN 'answered' THEN '已解答' ELSE '已处理' END END)
    ) AS st(n, step, on_date, note)
    WHERE st.step IS NOT NULL
    ORDER BY c.id, st.n`.execute(tx);
}
