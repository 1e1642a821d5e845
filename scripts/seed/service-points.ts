/**
 * Service points (服务阵地) and 执法进小区 visits, in set-based SQL (a handful of INSERT … SELECT,
 * whatever the scale). Calibrated on the seed's 龙源社区 ("建好用好小区党群服务站、居民议事厅"):
 *
 * - 党群服务站: one per community, at its office (the community's label point), serving all its
 *   compounds; weekday office hours and Saturday morning.
 * - 居民议事厅: in about half the compounds with a party branch, serving that compound.
 * - 养老服务站 (about one compound in five of 300+ households) and 托育点 (one in ten), serving the
 *   compounds of their grid; 警务室 in one compound in twelve (round the clock).
 * - 公共法律服务工作站: one per subdistrict, serving all its compounds.
 * - 调解室 are written by the mediation seed (scripts/seed/mediation.ts), one per room.
 * - 执法进小区: 0–4 visits per compound over the year (about 2 on average), the topic choosing the
 *   department (违建/占道/环境卫生: 城管, 消防通道: 消防, 噪音: 生态环境, 物业合规: 住建) or the
 *   community's own joint team; about a quarter opened a follow-up ticket or a fire hazard.
 *
 * Deterministic: every choice is a hash of stable ids and the seed, never `random()`.
 */
import { sql, type RawBuilder } from 'kysely';
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const SERVICE_POINT_TABLES: readonly string[] = [
  'service_points',
  'service_point_compounds',
  'enforcement_visits',
];

const WEEKDAYS = [1, 2, 3, 4, 5];
/** Opening hours per kind, in the shape geo/opening-hours.ts reads. */
export const SEED_HOURS = {
  party_service: [
    { days: WEEKDAYS, open: '08:30', close: '12:00' },
    { days: WEEKDAYS, open: '14:30', close: '18:00' },
    { days: [6], open: '09:00', close: '12:00' },
  ],
  deliberation_hall: [
    { days: [3], open: '19:00', close: '21:00' },
    { days: [6], open: '09:00', close: '11:30' },
  ],
  elder_care: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '08:00', close: '18:00' }],
  childcare: [{ days: WEEKDAYS, open: '07:30', close: '18:00' }],
  legal_service: [{ days: WEEKDAYS, open: '09:00', close: '17:00' }],
  police_room: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }],
  mediation_room: [
    { days: WEEKDAYS, open: '09:00', close: '17:30' },
    { days: [6], open: '09:00', close: '12:00' },
  ],
} as const;

const FINDINGS: Record<string, string[]> = {
  illegal_construction: [
    '顶层住户私搭阳光房一处，已下达限期拆除通知',
    '一楼住户擅自扩建院落，责令恢复原状',
    '楼顶违规搭建彩钢房，已登记并约谈业主',
  ],
  road_occupation: [
    '小区出入口商户占道经营，已现场劝离',
    '主干道两侧堆放建材占用通道，责令清理',
    '非机动车乱停占用盲道，已组织清理',
  ],
  fire_lane: [
    '消防通道被私家车占用，已张贴告知并联系车主挪车',
    '楼道堆放杂物阻塞疏散通道，已督促清理',
    '消防车通道标线褪色，督促物业重新施划',
  ],
  noise: [
    '夜间装修噪音扰民，已告知施工时间规定',
    '广场舞音响音量过大，已协调调整活动时间',
    '商铺空调外机噪音超标，责令整改',
  ],
  property_compliance: [
    '物业服务收费公示不全，责令补充公示',
    '公共收益未按规定公开，督促物业限期公示',
    '物业服务合同到期未续签，已告知业委会依法选聘',
  ],
  sanitation: ['垃圾分类投放点满溢，督促物业增加清运频次', '小区绿地堆放生活垃圾，已组织清理'],
  other: ['联合检查未发现明显问题，已向居民宣传相关法规', '开展普法宣传，解答居民咨询'],
};

export async function insertServicePoints(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  const seed = o.seed % 1_000_003;
  /** A uniform number in [0, 1) from an integer expression and a salt: the seed's dice. */
  const u = (expr: RawBuilder<unknown>, salt: number) =>
    sql<number>`((hashint8((${expr})::int8 * 1000003 + ${seed * 89 + salt}::int8) & 1048575)::float8 / 1048576)`;
  const ref = (name: string) => sql.ref(name) as unknown as RawBuilder<unknown>;
  const hours = (k: keyof typeof SEED_HOURS) => sql`${JSON.stringify(SEED_HOURS[k])}::text::jsonb`;
  // A public line of the point: 0931 (Lanzhou) and eight digits from its place.
  const phone = (expr: RawBuilder<unknown>, salt: number) =>
    sql<string>`'0931-' || lpad((8000000 + floor(${u(expr, salt)} * 1999999))::int::text, 8, '8')`;
  // A few dozen metres from the label point, so points in one compound do not overlap.
  const near = (geom: string, expr: RawBuilder<unknown>, salt: number) =>
    sql`ST_Translate(${sql.ref(geom)}, (${u(expr, salt)} - 0.5) * 0.0012, (${u(expr, salt + 1)} - 0.5) * 0.0009)`;

  await sql`CREATE TEMP TABLE seed_sp_compounds ON COMMIT DROP AS
    SELECT a.id, a.name, a.path, a.parent_id AS grid_id, a.path[3] AS community_id,
      a.path[2] AS subdistrict_id, a.label_point, c.households, c.has_party_branch
    FROM areas a JOIN compounds c ON c.area_id = a.id`.execute(tx);

  // 党群服务站 of every community, serving all its compounds.
  await sql`
    INSERT INTO service_points (kind, name, area_id, area_path, geom, address, phone, hours)
    SELECT 'party_service', left(a.name || '党群服务站', 80), a.id, a.path, a.label_point,
      left(a.name || '办公楼一层', 120), ${phone(ref('a.id'), 1)}, ${hours('party_service')}
    FROM areas a WHERE a.level = 'community' ORDER BY a.id`.execute(tx);
  await sql`
    INSERT INTO service_point_compounds (service_point_id, compound_id)
    SELECT p.id, c.id FROM service_points p JOIN seed_sp_compounds c ON c.community_id = p.area_id
    WHERE p.kind = 'party_service'`.execute(tx);

  // 公共法律服务工作站 of every subdistrict.
  await sql`
    INSERT INTO service_points (kind, name, area_id, area_path, geom, address, phone, hours)
    SELECT 'legal_service', left(a.name || '公共法律服务工作站', 80), a.id, a.path,
      ${near('a.label_point', ref('a.id'), 2)}, left(a.name || '便民服务中心', 120),
      ${phone(ref('a.id'), 4)}, ${hours('legal_service')}
    FROM areas a WHERE a.level = 'subdistrict' ORDER BY a.id`.execute(tx);
  await sql`
    INSERT INTO service_point_compounds (service_point_id, compound_id)
    SELECT p.id, c.id FROM service_points p JOIN seed_sp_compounds c ON c.subdistrict_id = p.area_id
    WHERE p.kind = 'legal_service'`.execute(tx);

  // Points inside compounds: 居民议事厅, 养老服务站, 托育点, 警务室.
  await sql`
    INSERT INTO service_points (kind, name, area_id, area_path, geom, address, phone, hours)
    SELECT k.kind, left(c.name || k.suffix, 80), c.id, c.path,
      ${near('c.label_point', sql`c.id * 8 + k.n`, 10)}, left(c.name || k.place, 120),
      CASE WHEN k.kind = 'deliberation_hall' THEN NULL ELSE ${phone(sql`c.id * 8 + k.n`, 12)} END,
      CASE k.kind WHEN 'deliberation_hall' THEN ${hours('deliberation_hall')}
        WHEN 'elder_care' THEN ${hours('elder_care')}
        WHEN 'childcare' THEN ${hours('childcare')}
        ELSE ${hours('police_room')} END
    FROM seed_sp_compounds c
    CROSS JOIN (VALUES (1, 'deliberation_hall', '居民议事厅', '党支部活动室'),
      (2, 'elder_care', '养老服务站', '一号楼底商'), (3, 'childcare', '托育点', '南门东侧'),
      (4, 'police_room', '警务室', '北门岗亭旁')) AS k(n, kind, suffix, place)
    WHERE (k.kind = 'deliberation_hall' AND c.has_party_branch AND ${u(ref('c.id'), 20)} < 0.5)
      OR (k.kind = 'elder_care' AND c.households >= 300 AND ${u(ref('c.id'), 21)} < 0.2)
      OR (k.kind = 'childcare' AND ${u(ref('c.id'), 22)} < 0.1)
      OR (k.kind = 'police_room' AND ${u(ref('c.id'), 23)} < 0.08)
    ORDER BY c.id, k.n`.execute(tx);
  // A hall or a police room serves its compound; elder care and childcare the compounds of its grid.
  await sql`
    INSERT INTO service_point_compounds (service_point_id, compound_id)
    SELECT p.id, c.id FROM service_points p
    JOIN seed_sp_compounds home ON home.id = p.area_id
    JOIN seed_sp_compounds c ON CASE WHEN p.kind IN ('elder_care', 'childcare')
      THEN c.grid_id = home.grid_id ELSE c.id = home.id END
    WHERE p.kind IN ('deliberation_hall', 'elder_care', 'childcare', 'police_room')`.execute(tx);

  // 执法进小区: 0–4 visits a compound over the year.
  const days = o.window.days;
  const start = sql`(to_timestamp(${o.window.startS}) AT TIME ZONE 'Asia/Shanghai')::date`;
  const topics = Object.keys(FINDINGS);
  // The findings as one flat array, each topic's padded to the longest (cycling its own texts).
  const width = Math.max(...topics.map((t) => FINDINGS[t]!.length));
  const findings = topics.flatMap((t) =>
    Array.from({ length: width }, (_, i) => FINDINGS[t]![i % FINDINGS[t]!.length]!),
  );
  await sql`
    INSERT INTO enforcement_visits (compound_id, area_path, department_id, team, visited_on, topic,
      findings, ticket_id, hazard_id, created_at)
    SELECT v.compound_id, v.path, d.id,
      coalesce(d.name || '执法组', left(v.community_name, 40) || '联合执法队'),
      v.visited_on, v.topic, (${findings}::text[])[(v.topic_n - 1) * ${width} + 1 + floor(v.r3 * ${width})::int],
      CASE WHEN v.topic <> 'fire_lane' AND v.r4 < 0.25 THEN (
        SELECT t.id FROM tickets t WHERE t.compound_id = v.compound_id
          AND t.received_at >= v.visited_on::timestamp AT TIME ZONE 'Asia/Shanghai'
        ORDER BY t.received_at, t.id LIMIT 1) END,
      CASE WHEN v.topic = 'fire_lane' AND v.r4 < 0.4 THEN (
        SELECT h.id FROM hazards h WHERE h.compound_id = v.compound_id AND h.type = 'fire'
        ORDER BY h.reported_at, h.id LIMIT 1) END,
      (v.visited_on + time '16:00') AT TIME ZONE 'Asia/Shanghai'
    FROM (
      SELECT c.id AS compound_id, c.path, cm.name AS community_name, n,
        ${start} + floor(${u(sql`c.id * 7 + n`, 31)} * ${days})::int AS visited_on,
        (${topics}::text[])[1 + floor(${u(sql`c.id * 7 + n`, 32)} * ${topics.length})::int] AS topic,
        1 + floor(${u(sql`c.id * 7 + n`, 32)} * ${topics.length})::int AS topic_n,
        ${u(sql`c.id * 7 + n`, 33)} AS r3, ${u(sql`c.id * 7 + n`, 34)} AS r4,
        ${u(sql`c.id * 7 + n`, 35)} AS r5
      FROM seed_sp_compounds c
      JOIN areas cm ON cm.id = c.community_id
      CROSS JOIN generate_series(1, 4) AS n
      WHERE n <= floor(${u(ref('c.id'), 30)} * 5)
    ) v
    LEFT JOIN departments d ON d.code = CASE v.topic
      WHEN 'illegal_construction' THEN 'urban_management'
      WHEN 'road_occupation' THEN CASE WHEN v.r5 < 0.5 THEN 'urban_management' ELSE 'traffic_police' END
      WHEN 'sanitation' THEN 'urban_management'
      WHEN 'fire_lane' THEN 'fire'
      WHEN 'noise' THEN CASE WHEN v.r5 < 0.5 THEN 'ecology' ELSE 'police' END
      WHEN 'property_compliance' THEN 'housing'
      ELSE NULL END
    ORDER BY v.visited_on, v.compound_id, v.n`.execute(tx);
}
