/**
 * 党建引领 over the API: coverage recomputed from the tables, gap detection against arrangements
 * built in the test (a steward removed and given back, an owners' committee dissolved), masking
 * of personal data by role, the permission matrix, hostile input and the audit rows of writes.
 */
import type { z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName, maskPhone } from '../../geo/party.ts';
import {
  GapTaskList,
  PartyCoverage,
  PartyCoverageMap,
  PartyTree,
} from '../../server/contract/party.ts';
import { reconcileGaps } from '../../server/db/queries/gaps.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
const ALL = [...ROLES_UNDER_TEST, 'public'] as const;

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const rows = async <T = any>(q: ReturnType<typeof sql>) =>
  (await q.execute(t.db.kysely)).rows as T[];
const community = () => fx.accounts.community.areaId!;

/** Coverage of the compounds under an area, counted straight from the tables. */
async function expected(areaId: number) {
  const [r] = await rows<Record<string, number>>(sql`
    SELECT count(*)::int AS compounds,
      count(*) FILTER (WHERE c.property_company_id IS NOT NULL)::int AS "withCompany",
      count(*) FILTER (WHERE c.has_owners_committee)::int AS "withCommittee",
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM party_orgs o WHERE o.kind = 'compound_branch'
        AND o.area_id = c.area_id))::int AS "withBranch",
      (SELECT count(*)::int FROM buildings b JOIN areas ba ON ba.id = b.compound_id
        WHERE ba.path @> ARRAY[${areaId}::int]) AS buildings,
      (SELECT count(*)::int FROM building_stewards s JOIN buildings b ON b.id = s.building_id
        JOIN areas ba ON ba.id = b.compound_id WHERE ba.path @> ARRAY[${areaId}::int]) AS "buildingsWithSteward",
      (SELECT count(*)::int FROM gap_tasks g WHERE g.status <> 'closed'
        AND g.area_path @> ARRAY[${areaId}::int]) AS "openGaps"
    FROM compounds c JOIN areas a ON a.id = c.area_id
    WHERE a.path @> ARRAY[${areaId}::int]`);
  return r!;
}

describe('seeded organisation', () => {
  it('has a committee per community, a branch exactly where the compound says, a task per gap', async () => {
    const [r] = await rows(sql`
      SELECT
        (SELECT count(*)::int FROM areas WHERE level = 'community') AS communities,
        (SELECT count(*)::int FROM party_orgs WHERE kind = 'community_committee') AS committees,
        (SELECT count(*)::int FROM compounds c WHERE c.has_party_branch <> EXISTS (
          SELECT 1 FROM party_orgs o WHERE o.kind = 'compound_branch' AND o.area_id = c.area_id)) AS branch_mismatch,
        (SELECT count(*)::int FROM compounds c WHERE c.has_owners_committee <> EXISTS (
          SELECT 1 FROM owners_committees o WHERE o.compound_id = c.area_id)) AS committee_mismatch,
        (SELECT count(*)::int FROM buildings b WHERE NOT EXISTS (SELECT 1 FROM building_stewards s WHERE s.building_id = b.id)
          AND NOT EXISTS (SELECT 1 FROM gap_tasks g WHERE g.building_id = b.id AND g.status <> 'closed')) AS untracked,
        (SELECT count(*)::int FROM gap_tasks g JOIN building_stewards s ON s.building_id = g.building_id
          WHERE g.status <> 'closed') AS stale`);
    expect(r.committees).toBe(r.communities);
    expect(r.branch_mismatch).toBe(0);
    expect(r.committee_mismatch).toBe(0);
    expect(r.untracked).toBe(0);
    expect(r.stale).toBe(0);
    const sizes = await rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM party_members m JOIN party_orgs o ON o.id = m.org_id
      WHERE o.kind IN ('compound_branch', 'building_group') GROUP BY o.area_id`);
    for (const s of sizes) expect(s.n).toBeGreaterThanOrEqual(8);
    for (const s of sizes) expect(s.n).toBeLessThanOrEqual(60);
  });
});

describe('coverage', () => {
  it("a subdistrict's communities, counted as the tables say, ranked by score", async () => {
    const sub = fx.accounts.subdistrict.areaId!;
    const r = await call(t.app, 'GET', `/api/party/coverage?area=${sub}`, { cookie: as.city });
    expect(r.status).toBe(200);
    expect(r.body.area.id).toBe(sub);
    for (const child of r.body.children.slice(0, 5)) {
      const want = await expected(child.id);
      for (const k of Object.keys(want)) expect(child[k], `${child.name} ${k}`).toBe(want[k]);
    }
    const want = await expected(sub);
    for (const k of Object.keys(want)) expect(r.body.totals[k], k).toBe(want[k]);
    const scores = r.body.children.map((c: any) => c.score).filter((s: any) => s !== null);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(r.body.children[0].rank).toBe(1);
  });

  it("the city's districts by default; a community's compounds", async () => {
    const city = await call(t.app, 'GET', '/api/party/coverage', { cookie: as.city });
    expect(city.body.area).toBeNull();
    expect(city.body.children.every((c: any) => c.level === 'district')).toBe(true);
    const own = await call(t.app, 'GET', '/api/party/coverage', { cookie: as.community });
    expect(own.body.area.id).toBe(community());
    expect(own.body.children.every((c: any) => c.level === 'compound')).toBe(true);
    const map = await call(t.app, 'GET', `/api/party/coverage/map?area=${community()}`, {
      cookie: as.community,
    });
    expect(map.status).toBe(200);
    expect(map.body.features.length).toBe(own.body.children.length);
  });
});

describe('gap detection', () => {
  it('removing a 党员中心户 opens a task, assigning one closes it as filled; coverage follows', async () => {
    const [b] = await rows<{ id: number; compound: number; member: number }>(sql`
      SELECT b.id, b.compound_id AS compound, s.member_id AS member FROM buildings b
      JOIN building_stewards s ON s.building_id = b.id JOIN areas a ON a.id = b.compound_id
      WHERE a.path @> ARRAY[${community()}::int] ORDER BY b.id LIMIT 1`);
    const before = await call(t.app, 'GET', `/api/party/coverage?area=${community()}`, {
      cookie: as.community,
    });
    const row = (body: any) => body.children.find((c: any) => c.id === b!.compound);
    const del = await call(t.app, 'DELETE', `/api/party/buildings/${b!.id}/steward`, {
      cookie: as.community,
    });
    expect(del.status).toBe(200);
    expect(del.body.tasksOpened).toHaveLength(1);
    const after = await call(t.app, 'GET', `/api/party/coverage?area=${community()}`, {
      cookie: as.community,
    });
    expect(row(after.body).buildingsWithSteward).toBe(row(before.body).buildingsWithSteward - 1);
    expect(row(after.body).openGaps).toBe(row(before.body).openGaps + 1);
    const list = await call(
      t.app,
      'GET',
      `/api/party/gaps?area=${b!.compound}&kind=no_building_steward`,
      { cookie: as.community },
    );
    const task = list.body.items.find((g: any) => g.buildingId === b!.id);
    expect(task).toMatchObject({ status: 'open', kind: 'no_building_steward', canManage: true });

    const put = await call(t.app, 'PUT', `/api/party/buildings/${b!.id}/steward`, {
      cookie: as.community,
      body: { memberId: b!.member },
    });
    expect(put.status).toBe(200);
    expect(put.body.tasksFilled).toEqual([task.id]);
    const [closed] = await rows(
      sql`SELECT status, resolution FROM gap_tasks WHERE id = ${task.id}`,
    );
    expect(closed).toEqual({ status: 'closed', resolution: 'filled' });
    const again = await call(t.app, 'GET', `/api/party/coverage?area=${community()}`, {
      cookie: as.community,
    });
    expect(row(again.body)).toEqual(row(before.body));
    const audit = await rows(sql`
      SELECT action, entity FROM audit_log WHERE entity = 'building_steward' AND entity_id = ${String(b!.id)}
      ORDER BY id`);
    expect(audit).toEqual([
      { action: 'building_steward.remove', entity: 'building_steward' },
      { action: 'building_steward.assign', entity: 'building_steward' },
    ]);
  });

  it('a dissolved owners committee is a gap once reconciled; coverage counts it at once', async () => {
    const [c] = await rows<{ id: number }>(sql`
      SELECT oc.compound_id AS id FROM owners_committees oc JOIN areas a ON a.id = oc.compound_id
      WHERE a.path @> ARRAY[${community()}::int] ORDER BY 1 LIMIT 1`);
    if (!c) return;
    const before = await expected(community());
    await sql`DELETE FROM owners_committees WHERE compound_id = ${c.id}`.execute(t.db.kysely);
    const r = await reconcileGaps(t.db.kysely, [c.id], new Date());
    expect(r.opened).toHaveLength(1);
    const cov = await call(t.app, 'GET', `/api/party/coverage?area=${c.id}`, { cookie: as.city });
    expect(cov.body.totals.withCommittee).toBe(0);
    expect((await expected(community())).withCommittee).toBe(before.withCommittee - 1);
    const list = await call(t.app, 'GET', `/api/party/gaps?area=${c.id}&kind=no_owners_committee`, {
      cookie: as.city,
    });
    expect(list.body.items.map((g: any) => g.id)).toEqual(r.opened);
  });

  it('assigns and waives a task, audited; a closed task is a 409', async () => {
    const list = await call(
      t.app,
      'GET',
      `/api/party/gaps?area=${fx.accounts.subdistrict.areaId}`,
      {
        cookie: as.subdistrict,
      },
    );
    const [a, w] = list.body.items;
    const res = await call(t.app, 'POST', `/api/party/gaps/${a.id}/assign`, {
      cookie: as.subdistrict,
      body: { assignee: '李建华', dueOn: '2099-01-31', note: '两周内完成' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'assigned', assignee: '李建华', dueOn: '2099-01-31' });
    const waive = await call(t.app, 'POST', `/api/party/gaps/${w.id}/waive`, {
      cookie: as.subdistrict,
      body: { reason: '小区即将拆迁' },
    });
    expect(waive.body).toMatchObject({
      status: 'closed',
      resolution: 'waived',
      note: '小区即将拆迁',
    });
    const twice = await call(t.app, 'POST', `/api/party/gaps/${w.id}/waive`, {
      cookie: as.subdistrict,
      body: { reason: '再次' },
    });
    expect(twice.status).toBe(409);
    // the waived gap is not reopened by reconciling its compound
    const r = await reconcileGaps(t.db.kysely, [w.compoundId], new Date());
    expect(r.opened).toEqual([]);
    const audit = await rows(sql`
      SELECT action FROM audit_log WHERE entity = 'gap_task' AND entity_id IN (${String(a.id)}, ${String(w.id)}) ORDER BY id`);
    expect(audit.map((x) => x.action)).toEqual(['gap_task.assign', 'gap_task.waive']);
  });
});

describe('masking', () => {
  it('names and phones in full for community and up; masked for the gridworker', async () => {
    const id = fx.gridCompound.id;
    const [m] = await rows<{ name: string; phone: string }>(sql`
      SELECT m.name, m.phone FROM party_members m JOIN party_orgs o ON o.id = m.org_id
      WHERE o.area_id = ${id} AND o.kind IN ('compound_branch', 'building_group')
      ORDER BY CASE m.post WHEN 'secretary' THEN 0 ELSE 1 END, m.org_id, m.id LIMIT 1`);
    const full = await call(t.app, 'GET', `/api/party/tree?area=${id}`, { cookie: as.community });
    const masked = await call(t.app, 'GET', `/api/party/tree?area=${id}`, {
      cookie: as.gridworker,
    });
    expect(full.status).toBe(200);
    expect(masked.status).toBe(200);
    expect(full.body.personal).toBe(true);
    expect(masked.body.personal).toBe(false);
    if (m) {
      expect(full.body.members.some((x: any) => x.name === m.name && x.phone === m.phone)).toBe(
        true,
      );
      expect(masked.body.members.some((x: any) => x.name === m.name)).toBe(false);
      expect(
        masked.body.members.some(
          (x: any) => x.name === maskName(m.name) && x.phone === maskPhone(m.phone),
        ),
      ).toBe(true);
      expect(masked.body.members.every((x: any) => x.birthYear === null && x.masked)).toBe(true);
    }
    for (const cm of masked.body.committee?.members ?? []) expect(cm.phone).toMatch(/\*{4}/);
    expect(masked.body.candidates).toEqual([]);
    expect(JSON.stringify(masked.body)).not.toMatch(/1[3-9]\d{9}/);
  });
});

describe('permission matrix', () => {
  async function matrix(method: string, url: () => string, body?: () => unknown) {
    const got: Record<string, number> = {};
    for (const who of ALL)
      got[who] = (await call(t.app, method, url(), { cookie: as[who], body: body?.() })).status;
    return got;
  }
  const reads = {
    city: 200,
    district: 200,
    district2: 404,
    subdistrict: 200,
    community: 200,
    community2: 404,
    gridworker: 404,
    sentinel: 403,
    property: 403,
    property2: 403,
    department: 403,
    department2: 403,
    planner: 403,
    mediator: 403,
    'mediator-director': 403,
    public: 401,
  };

  it("reads a community's coverage, tree and gaps", async () => {
    expect(await matrix('GET', () => `/api/party/coverage?area=${community()}`)).toEqual(reads);
    expect(await matrix('GET', () => `/api/party/tree?area=${community()}`)).toEqual(reads);
    expect(await matrix('GET', () => `/api/party/gaps?area=${community()}`)).toEqual(reads);
  });

  it("reads the tree of the gridworker's compound", async () => {
    expect(await matrix('GET', () => `/api/party/tree?area=${fx.gridCompound.id}`)).toEqual({
      ...reads,
      gridworker: 200,
    });
  });

  it('assigns a gap task: managers of the area only', async () => {
    const [g] = await rows<{ id: number }>(sql`
      SELECT id FROM gap_tasks WHERE status <> 'closed' AND area_path @> ARRAY[${fx.gridCompound.id}::int]
      ORDER BY id LIMIT 1`);
    expect(
      await matrix(
        'POST',
        () => `/api/party/gaps/${g!.id}/assign`,
        () => ({ assignee: '王芳', dueOn: '2099-12-31' }),
      ),
    ).toEqual({ ...reads, gridworker: 403 });
  });

  it('removes a 党员中心户: managers of the area only', async () => {
    const bs = await rows<{ id: number; member: number }>(sql`
      SELECT s.building_id AS id, s.member_id AS member FROM building_stewards s
      JOIN buildings b ON b.id = s.building_id WHERE b.compound_id = ${fx.gridCompound.id} ORDER BY 1`);
    if (bs.length === 0) return;
    const got: Record<string, number> = {};
    for (const who of ALL) {
      const res = await call(t.app, 'DELETE', `/api/party/buildings/${bs[0]!.id}/steward`, {
        cookie: as[who],
      });
      got[who] = res.status;
      if (res.status === 200)
        await call(t.app, 'PUT', `/api/party/buildings/${bs[0]!.id}/steward`, {
          cookie: as.city,
          body: { memberId: bs[0]!.member },
        });
    }
    expect(got).toEqual({ ...reads, gridworker: 403 });
  });
});

describe('hostile input', () => {
  it('400 naming the field, nothing written', async () => {
    const [g] = await rows<{ id: number }>(sql`
      SELECT id FROM gap_tasks WHERE status <> 'closed' AND area_path @> ARRAY[${community()}::int] ORDER BY id LIMIT 1`);
    const [b] = await rows<{ id: number }>(sql`
      SELECT b.id FROM buildings b JOIN areas a ON a.id = b.compound_id
      WHERE a.path @> ARRAY[${community()}::int] ORDER BY b.id LIMIT 1`);
    const [foreign] = await rows<{ id: number }>(sql`
      SELECT m.id FROM party_members m JOIN party_orgs o ON o.id = m.org_id
      WHERE o.area_path @> ARRAY[${fx.accounts.community2.areaId!}::int] LIMIT 1`);
    const audits = async () => (await rows(sql`SELECT count(*)::int AS n FROM audit_log`))[0].n;
    const n0 = await audits();
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        `/api/party/gaps/${g!.id}/assign`,
        { assignee: '', dueOn: '2099-01-01' },
        'assignee',
      ],
      ['POST', `/api/party/gaps/${g!.id}/assign`, { assignee: '王', dueOn: '2099-02-30' }, 'dueOn'],
      ['POST', `/api/party/gaps/${g!.id}/assign`, { assignee: '王', dueOn: '2001-01-01' }, 'dueOn'],
      [
        'POST',
        `/api/party/gaps/${g!.id}/assign`,
        { assignee: 'x'.repeat(41), dueOn: '2099-01-01' },
        'assignee',
      ],
      [
        'POST',
        `/api/party/gaps/${g!.id}/assign`,
        { assignee: '王', dueOn: '2099-01-01', evil: 1 },
        'evil',
      ],
      ['POST', `/api/party/gaps/${g!.id}/waive`, { reason: 42 }, 'reason'],
      ['PUT', `/api/party/buildings/${b!.id}/steward`, { memberId: -1 }, 'memberId'],
      [
        'PUT',
        `/api/party/buildings/${b!.id}/steward`,
        { memberId: '1; DROP TABLE party_members' },
        'memberId',
      ],
      ['PUT', `/api/party/buildings/${b!.id}/steward`, { memberId: foreign!.id }, 'memberId'],
      ['GET', `/api/party/gaps?kind=nothing`, undefined, 'kind'],
      ['GET', `/api/party/gaps?limit=100000`, undefined, 'limit'],
      ['GET', `/api/party/tree?area=abc`, undefined, 'area'],
      ['GET', `/api/party/tree?area=${fx.accounts.subdistrict.areaId}`, undefined, 'area'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await call(t.app, method, url, { cookie: as.city, body });
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(JSON.stringify(res.body), url).toContain(field);
    }
    expect(await audits()).toBe(n0);
    const missing = await call(t.app, 'POST', '/api/party/gaps/2147483647/assign', {
      cookie: as.city,
      body: { assignee: '王', dueOn: '2099-01-01' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('contract', () => {
  it('every party answer parses with its schema', async () => {
    const c = fx.gridCompound.id;
    const checks: [z.ZodType, string][] = [
      [PartyCoverage, '/api/party/coverage'],
      [PartyCoverage, `/api/party/coverage?area=${c}`],
      [PartyCoverageMap, `/api/party/coverage/map?area=${community()}`],
      [PartyCoverageMap, `/api/party/coverage/map?area=${c}&zoom=17`],
      [PartyTree, `/api/party/tree?area=${c}`],
      [PartyTree, `/api/party/tree?area=${community()}`],
      [GapTaskList, `/api/party/gaps?area=${community()}&status=all`],
    ];
    for (const [schema, url] of checks) {
      for (const who of ['city', 'gridworker'] as const) {
        const r = await call(t.app, 'GET', url, { cookie: as[who] });
        if (r.status !== 200) continue;
        const parsed = schema.safeParse(r.body);
        expect(parsed.success, `${who} ${url}: ${parsed.error?.message}`).toBe(true);
      }
    }
    const map = await call(t.app, 'GET', `/api/party/coverage/map?area=${c}`, { cookie: as.city });
    const buildings = map.body.features.filter((f: any) => f.properties.kind === 'building');
    const [n] = await rows(sql`SELECT count(*)::int AS n FROM buildings WHERE compound_id = ${c}`);
    expect(buildings).toHaveLength(n.n);
  });
});
