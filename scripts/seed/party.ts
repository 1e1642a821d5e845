/**
 * 党建引领: the party organisation of every community in four levels, owners' committees, the
 * pairings of compounds that lack a company or a committee, and the gap tasks, all in set-based
 * SQL (a handful of INSERT … SELECT statements, whatever the scale).
 *
 * - 社区党委 per community (`<社区名>党委`), 60–230 members of its own (retired cadres, members
 *   registered where they live), so a community counts roughly 80–400 with its branches.
 * - 小区党支部 exactly where `compounds.has_party_branch` says so (6–10 members of its own:
 *   secretary, deputy, committee members), with 楼栋党小组 inside, one per 2–4 buildings
 *   (leader and 1–4 members, living in the group's buildings): 8–60 a branch.
 * - 网格党支部 in grids holding a compound without a branch, company or owners' committee.
 * - 党员中心户: most buildings of compounds with a branch (all in demonstration compounds), few
 *   elsewhere. 包联 (the grid's branch) and 包抓 (a party group of the community) for most
 *   compounds without a company or an owners' committee.
 * - 业委会 with 5–9 members for the compounds with `has_owners_committee`; in some the chair is the
 *   branch secretary and a vice-chair a branch committee member (交叉任职; always in
 *   demonstration compounds); some branch members work for the compound's company.
 * - Gap tasks: some filled in the past, some waived (owners' committees of very small compounds),
 *   and one task for every current gap, about 45 % assigned (some overdue).
 *
 * Deterministic: every choice is a hash of stable ids and the seed, never `random()`.
 */
import { sql, type RawBuilder } from 'kysely';
import { reconcileGaps } from '../../server/db/queries/gaps.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import type { Tx } from './write.ts';

export async function insertParty(tx: Tx, o: { seed: number; now: Date }): Promise<void> {
  const seed = o.seed % 1_000_003;
  /** A uniform number in [0, 1) from an integer expression and a salt: the seed's dice. */
  const u = (expr: RawBuilder<unknown>, salt: number) =>
    sql<number>`((hashint8((${expr})::int8 * 1000003 + ${seed * 97 + salt}::int8) & 1048575)::float8 / 1048576)`;
  const ref = (name: string) => sql.ref(name) as unknown as RawBuilder<unknown>;
  const today = sql`(${o.now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;

  // 社区党委
  await sql`
    INSERT INTO party_orgs (kind, name, parent_id, area_id, area_path, founded_on)
    SELECT 'community_committee', left(a.name || '党委', 80), NULL, a.id, a.path,
      date '2003-07-01' + (${u(ref('a.id'), 1)} * 4800)::int
    FROM areas a WHERE a.level = 'community' ORDER BY a.id`.execute(tx);

  // 网格党支部 where a grid has a compound that needs looking after.
  await sql`
    INSERT INTO party_orgs (kind, name, parent_id, area_id, area_path, founded_on)
    SELECT 'grid_branch', left(g.name || '党支部', 80), cc.id, g.id, g.path,
      cc.founded_on + (${u(ref('g.id'), 2)} * 1800)::int
    FROM areas g
    JOIN party_orgs cc ON cc.kind = 'community_committee' AND cc.area_id = g.parent_id
    WHERE g.level = 'grid' AND EXISTS (
      SELECT 1 FROM areas ca JOIN compounds c ON c.area_id = ca.id
      WHERE ca.parent_id = g.id
        AND (NOT c.has_party_branch OR c.property_company_id IS NULL OR NOT c.has_owners_committee))
    ORDER BY g.id`.execute(tx);

  // 小区党支部, exactly where the compound says it has one.
  await sql`
    INSERT INTO party_orgs (kind, name, parent_id, area_id, area_path, founded_on)
    SELECT 'compound_branch', left(a.name || '党支部', 80), cc.id, a.id, a.path,
      cc.founded_on + (${u(ref('a.id'), 3)} * 2500)::int
    FROM compounds c
    JOIN areas a ON a.id = c.area_id
    JOIN party_orgs cc ON cc.kind = 'community_committee' AND cc.area_id = a.path[3]
    WHERE c.has_party_branch
    ORDER BY a.id`.execute(tx);

  // 楼栋党小组: buildings in id order, 2–4 to a group (the size is the compound's).
  await sql`
    CREATE TEMP TABLE seed_party_buildings ON COMMIT DROP AS
    SELECT b.id AS building_id, b.compound_id,
      ((row_number() OVER (PARTITION BY b.compound_id ORDER BY b.id) - 1)
        / (2 + floor(${u(ref('b.compound_id'), 4)} * 3)::int))::int AS group_no
    FROM buildings b JOIN compounds c ON c.area_id = b.compound_id
    WHERE c.has_party_branch`.execute(tx);
  await sql`
    INSERT INTO party_orgs (kind, name, parent_id, area_id, area_path, founded_on)
    SELECT 'building_group', left(a.name, 70) || '第' || (x.group_no + 1) || '党小组', br.id,
      x.compound_id, a.path, br.founded_on + (${u(sql`x.compound_id * 31 + x.group_no`, 5)} * 700)::int
    FROM (SELECT DISTINCT compound_id, group_no FROM seed_party_buildings) x
    JOIN party_orgs br ON br.kind = 'compound_branch' AND br.area_id = x.compound_id
    JOIN areas a ON a.id = x.compound_id
    ORDER BY x.compound_id, x.group_no`.execute(tx);
  await sql`
    CREATE TEMP TABLE seed_party_groups ON COMMIT DROP AS
    SELECT o.id AS org_id, o.area_id AS compound_id,
      (row_number() OVER (PARTITION BY o.area_id ORDER BY o.id) - 1)::int AS group_no
    FROM party_orgs o WHERE o.kind = 'building_group'`.execute(tx);

  // Where members may live: the buildings of each org's area, as arrays to index by a hash.
  await sql`
    CREATE TEMP TABLE seed_party_homes ON COMMIT DROP AS
    SELECT o.id AS org_id, coalesce(h.ids, '{}') AS ids
    FROM party_orgs o
    LEFT JOIN (
      SELECT g.org_id, array_agg(sb.building_id ORDER BY sb.building_id) AS ids
      FROM seed_party_groups g
      JOIN seed_party_buildings sb ON sb.compound_id = g.compound_id AND sb.group_no = g.group_no
      GROUP BY g.org_id
      UNION ALL
      SELECT o.id, array_agg(b.id ORDER BY b.id)
      FROM party_orgs o JOIN buildings b ON b.compound_id = o.area_id
      WHERE o.kind = 'compound_branch' GROUP BY o.id
      UNION ALL
      SELECT o.id, array_agg(b.id ORDER BY b.id)
      FROM party_orgs o JOIN areas ca ON ca.level = 'compound' AND ca.path[4] = o.area_id
      JOIN buildings b ON b.compound_id = ca.id
      WHERE o.kind = 'grid_branch' GROUP BY o.id
      UNION ALL
      SELECT o.id, array_agg(b.id ORDER BY b.id)
      FROM party_orgs o JOIN areas ca ON ca.level = 'compound' AND ca.path[3] = o.area_id
      JOIN buildings b ON b.compound_id = ca.id
      WHERE o.kind = 'community_committee' GROUP BY o.id
    ) h ON h.org_id = o.id`.execute(tx);

  // Member slots: org, position in the org, post, home and employer.
  const slots = sql`(
    SELECT o.id AS org_id, o.area_path, o.kind, i,
      CASE
        WHEN o.kind = 'building_group' THEN CASE WHEN i = 1 THEN 'group_leader' END
        WHEN i = 1 THEN 'secretary'
        WHEN i = 2 AND o.kind <> 'grid_branch' THEN 'deputy_secretary'
        WHEN i <= CASE o.kind WHEN 'community_committee' THEN 7 WHEN 'compound_branch' THEN 5 ELSE 3 END
          THEN 'committee_member'
      END AS post,
      CASE WHEN cardinality(h.ids) > 0
             AND ${u(sql`o.id * 1000 + i`, 6)} < CASE o.kind WHEN 'community_committee' THEN 0.6 ELSE 0.95 END
        THEN h.ids[1 + floor(${u(sql`o.id * 1000 + i`, 7)} * cardinality(h.ids))::int] END AS building_id,
      CASE WHEN o.kind = 'compound_branch' AND i = n AND (c.provincial_demonstration
             OR ${u(sql`o.id`, 8)} < 0.55) THEN c.property_company_id
           WHEN o.kind = 'compound_branch' AND i = n - 1 AND ${u(sql`o.id`, 9)} < 0.2
             THEN c.property_company_id END AS company_id,
      o.id::int8 * 1000 + i AS k
    FROM party_orgs o
    JOIN seed_party_homes h ON h.org_id = o.id
    LEFT JOIN compounds c ON c.area_id = o.area_id AND o.kind = 'compound_branch'
    CROSS JOIN LATERAL (SELECT (CASE o.kind
        WHEN 'community_committee' THEN 60 + floor(${u(ref('o.id'), 10)} * 170)
        WHEN 'grid_branch' THEN 5 + floor(${u(ref('o.id'), 10)} * 8)
        WHEN 'compound_branch' THEN 6 + floor(${u(ref('o.id'), 10)} * 5)
        ELSE 2 + floor(${u(ref('o.id'), 10)} * 4) END)::int AS n) nn
    CROSS JOIN LATERAL generate_series(1, nn.n) AS i
  )`;
  await sql`
    INSERT INTO party_members (org_id, area_path, name, gender, birth_year, phone, joined_on, post,
                               building_id, company_id)
    SELECT s.org_id, s.area_path,
      (${SURNAMES}::text[])[1 + floor(power(${u(ref('s.k'), 11)}, 2) * ${SURNAMES.length})::int]
        || (${GIVEN_NAMES}::text[])[1 + floor(${u(ref('s.k'), 12)} * ${GIVEN_NAMES.length})::int],
      CASE WHEN ${u(ref('s.k'), 13)} < 0.55 THEN 'male' ELSE 'female' END,
      p.birth_year,
      '1' || (ARRAY['38','39','58','59','86','87','88','89','37','35','36','89'])[1 + floor(${u(ref('s.k'), 15)} * 12)::int]
        || lpad(floor(${u(ref('s.k'), 16)} * 100000000)::int::text, 8, '0'),
      least(${today} - 30, make_date(p.birth_year + 18 + floor(${u(ref('s.k'), 17)}
          * greatest(1, least(40, extract(year FROM ${today})::int - p.birth_year - 19)))::int,
        1 + floor(${u(ref('s.k'), 18)} * 12)::int, 1 + floor(${u(ref('s.k'), 19)} * 28)::int)),
      s.post, s.building_id, s.company_id
    FROM ${slots} s
    CROSS JOIN LATERAL (SELECT (CASE WHEN s.post IS NOT NULL THEN 1955 + floor(${u(ref('s.k'), 14)} * 40)
                                     ELSE 1938 + floor(${u(ref('s.k'), 14)} * 62) END)::int AS birth_year) p
    ORDER BY s.org_id, s.i`.execute(tx);

  // 党员中心户: in a compound with a branch, a member of the building's group (one living there
  // first); elsewhere a member of the grid's branch or of the community living in the compound.
  await sql`
    INSERT INTO building_stewards (building_id, member_id, since)
    SELECT DISTINCT ON (k.building_id) k.building_id, k.member_id,
      -- 党员中心户包楼栋 took hold with the 2019 guidelines: nobody has covered a building longer.
      least(${today} - 1, greatest(k.joined_on, DATE '2019-01-01')
        + (${u(sql`k.member_id * 7 + k.building_id`, 20)} * 1800)::int)
    FROM (
      SELECT b.id AS building_id, m.id AS member_id, m.joined_on, m.building_id = b.id AS lives
      FROM buildings b
      JOIN seed_party_buildings sb ON sb.building_id = b.id
      JOIN seed_party_groups g ON g.compound_id = sb.compound_id AND g.group_no = sb.group_no
      JOIN party_members m ON m.org_id = g.org_id
      UNION ALL
      SELECT b.id, m.id, m.joined_on, m.building_id = b.id
      FROM buildings b
      JOIN compounds c ON c.area_id = b.compound_id AND NOT c.has_party_branch
      JOIN areas a ON a.id = b.compound_id
      JOIN party_orgs gb ON gb.kind = 'grid_branch' AND gb.area_id = a.path[4]
      JOIN party_members m ON m.org_id = gb.id
      UNION ALL
      SELECT b.id, m.id, m.joined_on, true
      FROM buildings b
      JOIN compounds c ON c.area_id = b.compound_id AND NOT c.has_party_branch
      JOIN party_members m ON m.building_id = b.id
      JOIN party_orgs cc ON cc.id = m.org_id AND cc.kind = 'community_committee'
    ) k
    JOIN buildings b ON b.id = k.building_id
    JOIN compounds c ON c.area_id = b.compound_id
    WHERE ${u(ref('b.id'), 21)} < CASE WHEN c.provincial_demonstration THEN 1.0
                                       WHEN c.has_party_branch THEN 0.86 ELSE 0.16 END
    ORDER BY k.building_id, k.lives DESC NULLS LAST, ${u(sql`k.member_id * 13 + k.building_id`, 22)}`.execute(
    tx,
  );

  // 包联 (the grid's branch) and 包抓 (a party group of the community) for compounds without a
  // company or an owners' committee; about one in ten of either is missing.
  await sql`
    INSERT INTO compound_pairings (compound_id, kind, org_id, since)
    SELECT c.area_id, 'liaison', gb.id, ${today} - 30 - (${u(ref('c.area_id'), 23)} * 1500)::int
    FROM compounds c JOIN areas a ON a.id = c.area_id
    JOIN party_orgs gb ON gb.kind = 'grid_branch' AND gb.area_id = a.path[4]
    WHERE (c.property_company_id IS NULL OR NOT c.has_owners_committee)
      AND ${u(ref('c.area_id'), 24)} < 0.9
    ORDER BY c.area_id`.execute(tx);
  await sql`
    INSERT INTO compound_pairings (compound_id, kind, org_id, since)
    SELECT DISTINCT ON (c.area_id) c.area_id, 'caretaker', bg.id,
      ${today} - 30 - (${u(ref('c.area_id'), 25)} * 1500)::int
    FROM compounds c JOIN areas a ON a.id = c.area_id
    JOIN party_orgs bg ON bg.kind = 'building_group' AND bg.area_path[3] = a.path[3]
    WHERE (c.property_company_id IS NULL OR NOT c.has_owners_committee)
      AND ${u(ref('c.area_id'), 26)} < 0.88
    ORDER BY c.area_id, (bg.area_id = c.area_id), ${u(sql`bg.id * 17 + c.area_id`, 27)}`.execute(
    tx,
  );

  // 业委会 with 5–9 members; 交叉任职 through the chair and the first vice-chair.
  await sql`
    INSERT INTO owners_committees (compound_id, elected_on, term_ends_on)
    SELECT c.area_id, e.elected, (e.elected + interval '5 years')::date
    FROM compounds c
    CROSS JOIN LATERAL (SELECT ${today} - 20 - (${u(ref('c.area_id'), 28)} * 1700)::int AS elected) e
    WHERE c.has_owners_committee
    ORDER BY c.area_id`.execute(tx);
  await sql`
    INSERT INTO committee_members (compound_id, name, phone, post, party_member_id)
    SELECT oc.compound_id,
      coalesce(pm.name, (${SURNAMES}::text[])[1 + floor(power(${u(sql`oc.compound_id * 16 + i`, 29)}, 2) * ${SURNAMES.length})::int]
        || (${GIVEN_NAMES}::text[])[1 + floor(${u(sql`oc.compound_id * 16 + i`, 30)} * ${GIVEN_NAMES.length})::int]),
      coalesce(pm.phone, '13' || lpad(floor(${u(sql`oc.compound_id * 16 + i`, 31)} * 1000000000)::int::text, 9, '0')),
      CASE WHEN i = 1 THEN 'chair'
           WHEN i = 2 OR (i = 3 AND ${u(ref('oc.compound_id'), 32)} < 0.5) THEN 'vice_chair'
           ELSE 'member' END,
      pm.id
    FROM owners_committees oc
    JOIN compounds c ON c.area_id = oc.compound_id
    CROSS JOIN LATERAL generate_series(1, 5 + floor(${u(ref('oc.compound_id'), 33)} * 5)::int) AS i
    LEFT JOIN LATERAL (
      SELECT m.id, m.name, m.phone FROM party_members m
      JOIN party_orgs br ON br.id = m.org_id AND br.kind = 'compound_branch' AND br.area_id = oc.compound_id
      WHERE (i = 1 AND m.post = 'secretary'
               AND (c.provincial_demonstration OR ${u(ref('oc.compound_id'), 34)} < 0.35))
         OR (i = 2 AND m.post IN ('deputy_secretary', 'committee_member')
               AND (c.provincial_demonstration OR ${u(ref('oc.compound_id'), 35)} < 0.4))
         OR (i = 4 AND m.post IS NULL AND ${u(ref('oc.compound_id'), 36)} < 0.3)
      ORDER BY m.id LIMIT 1) pm ON true
    ORDER BY oc.compound_id, i`.execute(tx);

  // Gap tasks of the past: filled (the compound or building has it now) and waived (an owners'
  // committee is not workable in a compound of a few dozen households).
  await sql`
    INSERT INTO gap_tasks (kind, compound_id, building_id, area_path, status, assignee, due_on,
                           note, opened_at, closed_at, resolution)
    SELECT x.kind, x.compound_id, x.building_id, a.path, 'closed', x.assignee, x.opened::date + 60,
      x.note, x.opened, x.opened + (10 + ${u(sql`x.compound_id * 5 + coalesce(x.building_id, 0)`, 37)} * 150) * interval '1 day',
      x.resolution
    FROM (
      SELECT 'no_property_company' AS kind, c.area_id AS compound_id, NULL::int AS building_id,
        'filled' AS resolution, '' AS note, c.area_id AS k
      FROM compounds c WHERE c.property_company_id IS NOT NULL AND ${u(ref('c.area_id'), 38)} < 0.08
      UNION ALL
      SELECT 'no_owners_committee', c.area_id, NULL, 'filled', '', c.area_id
      FROM compounds c WHERE c.has_owners_committee AND ${u(ref('c.area_id'), 39)} < 0.15
      UNION ALL
      SELECT 'no_owners_committee', c.area_id, NULL, 'waived', '户数过少，暂不具备成立业委会条件', c.area_id
      FROM compounds c WHERE NOT c.has_owners_committee AND c.households < 120
        AND ${u(ref('c.area_id'), 40)} < 0.5
      UNION ALL
      SELECT 'no_building_steward', b.compound_id, b.id, 'filled', '', b.id
      FROM building_stewards s JOIN buildings b ON b.id = s.building_id
      WHERE ${u(ref('b.id'), 41)} < 0.12
    ) x0
    CROSS JOIN LATERAL (SELECT x0.*,
      ${o.now}::timestamptz - (200 + ${u(ref('x0.k'), 42)} * 400) * interval '1 day' AS opened,
      (${SURNAMES}::text[])[1 + floor(${u(ref('x0.k'), 43)} * 20)::int]
        || (${GIVEN_NAMES}::text[])[1 + floor(${u(ref('x0.k'), 44)} * ${GIVEN_NAMES.length})::int] AS assignee) x
    JOIN areas a ON a.id = x.compound_id
    ORDER BY x.opened, x.compound_id, x.kind, x.building_id`.execute(tx);

  // One task for every current gap, then dated and about 45 % assigned (some past due).
  await reconcileGaps(tx, null, o.now);
  await sql`
    UPDATE gap_tasks g SET
      opened_at = d.opened,
      status = CASE WHEN ${u(ref('g.id'), 46)} < 0.45 THEN 'assigned' ELSE 'open' END,
      assignee = CASE WHEN ${u(ref('g.id'), 46)} < 0.45 THEN
        (${SURNAMES}::text[])[1 + floor(${u(ref('g.id'), 47)} * 20)::int]
          || (${GIVEN_NAMES}::text[])[1 + floor(${u(ref('g.id'), 48)} * ${GIVEN_NAMES.length})::int] END,
      due_on = CASE WHEN ${u(ref('g.id'), 46)} < 0.45 THEN greatest(
        (d.opened AT TIME ZONE 'Asia/Shanghai')::date + 14,
        ${today} - 25 + (${u(ref('g.id'), 49)} * 100)::int) END
    FROM (SELECT id, ${o.now}::timestamptz - (3 + ${u(ref('id'), 45)} * 180) * interval '1 day' AS opened
          FROM gap_tasks WHERE status = 'open') d
    WHERE g.id = d.id`.execute(tx);
  await sql`DROP TABLE IF EXISTS seed_party_homes, seed_party_groups, seed_party_buildings`.execute(
    tx,
  );
}
