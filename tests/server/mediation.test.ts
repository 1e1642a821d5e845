/**
 * 物业纠纷人民调解 over the API: the seed's calibration, the permission matrix over every demo
 * account and the public, parties seen only by the case's mediator and the director, the case
 * flow with its bad inputs (nothing written, audit unchanged), and k-anonymity on hand-built cases
 * (4, 5 and 6 in a compound's buildings) read back through the map.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediationCase,
  MediationCaseList,
  MediationMap,
  MediationOverview,
} from '../../server/contract/mediation.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
const ALL = [...ROLES_UNDER_TEST, 'public'] as const;

const rows = async <T = any>(q: ReturnType<typeof sql>) =>
  (await q.execute(t.db.kysely)).rows as T[];
const auditCount = async () =>
  (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
const caseCount = async () =>
  (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mediation_cases`))[0]!.n;

/** The company committee, its demo mediators, and a compound it serves with 3+ buildings. */
let committee: { id: number; companyId: number };
let me: { id: number };
let director: { id: number };
let colleague: { id: number };
let compound: { id: number; path: number[]; buildings: number[] };

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
  [committee] = await rows(sql`SELECT id, property_company_id AS "companyId"
    FROM mediation_committees WHERE kind = 'company'`);
  [me] = await rows(sql`SELECT m.id FROM mediators m JOIN accounts a ON a.id = m.account_id
    WHERE a.username = 'mediator'`);
  [director] = await rows(sql`SELECT m.id FROM mediators m JOIN accounts a ON a.id = m.account_id
    WHERE a.username = 'mediator-director'`);
  [colleague] = await rows(sql`SELECT id FROM mediators WHERE committee_id = ${committee.id}
    AND account_id IS NULL AND post <> 'director' ORDER BY id LIMIT 1`);
  // A compound of the sponsor in the `community` account's community with three buildings or more.
  [compound] = await rows(sql`
    SELECT a.id, a.path, array_agg(b.id ORDER BY b.id) AS buildings
    FROM areas a JOIN compounds k ON k.area_id = a.id JOIN buildings b ON b.compound_id = a.id
    WHERE k.property_company_id = ${committee.companyId}
    GROUP BY a.id, a.path HAVING count(*) >= 3
    ORDER BY (a.path[3] = ${fx.accounts.community.areaId!}) DESC, a.id LIMIT 1`);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

describe('the seed', () => {
  it("calibrates the company committee on the seed's property group", async () => {
    const [c] = await rows(sql`
      SELECT (SELECT count(*)::int FROM mediators WHERE committee_id = m.id) AS mediators,
        (SELECT count(*)::int FROM mediation_rooms WHERE committee_id = m.id) AS rooms,
        (SELECT count(*)::int FROM mediation_cases WHERE committee_id = m.id AND kind = 'complaint') AS complaints,
        (SELECT count(*)::int FROM mediation_cases WHERE committee_id = m.id AND kind = 'consultation') AS consultations,
        (SELECT count(*)::int FROM mediation_cases WHERE committee_id = m.id AND kind = 'dispute'
          AND outcome = 'success') AS resolved
      FROM mediation_committees m WHERE m.kind = 'company'`);
    expect(c.mediators).toBe(73);
    // The demo accounts are bound to the committee's director and one of its mediators.
    expect(director.id).not.toBe(me.id);
    expect(c.rooms).toBeGreaterThanOrEqual(1);
    expect(c.rooms).toBeLessThanOrEqual(7);
    expect(c.complaints).toBe(371);
    expect(c.consultations).toBe(1473);
    expect(c.resolved).toBeGreaterThan(110);
    expect(c.resolved).toBeLessThan(170);
    const [x] = await rows(sql`SELECT
      (SELECT count(*)::int FROM mediation_committees WHERE kind = 'community') AS communities,
      (SELECT count(*)::int FROM areas WHERE level = 'community') AS areas,
      (SELECT count(*)::int FROM mediation_cases c WHERE (c.status = 'closed') <> (c.outcome IS NOT NULL)) AS bad`);
    expect(x.communities).toBe(x.areas);
    expect(x.bad).toBe(0);
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
    district2: 200,
    subdistrict: 200,
    community: 200,
    community2: 200,
    gridworker: 403,
    sentinel: 403,
    property: 403,
    property2: 403,
    department: 403,
    department2: 403,
    planner: 403,
    mediator: 200,
    'mediator-director': 200,
    public: 401,
  };

  it('reads figures, cases and the map: officials and mediators only', async () => {
    expect(await matrix('GET', () => '/api/mediation/overview')).toEqual(reads);
    expect(await matrix('GET', () => '/api/mediation/cases')).toEqual(reads);
    expect(await matrix('GET', () => '/api/mediation/map')).toEqual(reads);
  });

  it("reads a case of the community: its area's officials and its committee", async () => {
    const [c] = await rows(sql`SELECT id FROM mediation_cases WHERE committee_id = ${committee.id}
      AND area_path @> ARRAY[${fx.accounts.community.areaId!}::int] ORDER BY id LIMIT 1`);
    expect(await matrix('GET', () => `/api/mediation/cases/${c.id}`)).toEqual({
      ...reads,
      district2: 404,
      community2: 404,
    });
  });

  it('registers a case: mediators only', async () => {
    const before = await caseCount();
    const got = await matrix(
      'POST',
      () => '/api/mediation/cases',
      () => ({
        kind: 'consultation',
        category: 'property_fee',
        compoundId: compound.id,
        summary: '咨询物业费调整程序',
        parties: [{ side: 'applicant', name: '张三', phone: '13800000000' }],
      }),
    );
    expect(got).toEqual({
      ...Object.fromEntries(Object.keys(reads).map((k) => [k, 403])),
      mediator: 201,
      'mediator-director': 201,
      public: 401,
    });
    expect(await caseCount()).toBe(before + 2);
  });
});

describe('identities', () => {
  async function caseOf(mediatorId: number) {
    const [c] = await rows<{ id: number }>(sql`SELECT id FROM mediation_cases
      WHERE mediator_id = ${mediatorId} AND kind <> 'consultation' ORDER BY id LIMIT 1`);
    return c!.id;
  }

  it("shows the parties to the case's mediator and the director, never to officials", async () => {
    const mine = await caseOf(me.id);
    const theirs = await caseOf(colleague.id);
    const get = async (who: DemoUser, id: number) =>
      MediationCase.parse(
        (await call(t.app, 'GET', `/api/mediation/cases/${id}`, { cookie: as[who] })).body,
      );
    const own = await get('mediator', mine);
    expect(own.identities).toBe(true);
    expect(own.parties!.length).toBeGreaterThan(0);
    expect(own.parties![0]!.phone).toMatch(/^1\d{10}$/);
    const other = await get('mediator', theirs);
    expect(other.identities).toBe(false);
    expect(other.parties).toBeNull();
    expect(other.canMove).toBe(false);
    for (const id of [mine, theirs]) {
      const d = await get('mediator-director', id);
      expect(d.identities).toBe(true);
      expect(d.parties).not.toBeNull();
      expect(d.canMove).toBe(true);
    }
    const official = await get('city', mine);
    expect(official.parties).toBeNull();
    expect(official.identities).toBe(false);
    expect(official.buildingId).toBeNull();
    // Nothing of a party reaches an official's answer, not even in the summary or the steps.
    const parties = await rows<{ name: string; phone: string | null }>(
      sql`SELECT name, phone FROM mediation_parties WHERE case_id = ${mine}`,
    );
    const text = JSON.stringify(
      (await call(t.app, 'GET', `/api/mediation/cases/${mine}`, { cookie: as.city })).body,
    );
    for (const p of parties) {
      expect(text).not.toContain(p.name);
      if (p.phone) expect(text).not.toContain(p.phone);
    }
  });

  it('lists cases without parties for everyone; an official sees no building', async () => {
    const l = MediationCaseList.parse(
      (await call(t.app, 'GET', '/api/mediation/cases?limit=50', { cookie: as.community })).body,
    );
    expect(l.items.length).toBeGreaterThan(0);
    for (const c of l.items) {
      expect(c.buildingId).toBeNull();
      expect(c.identities).toBe(false);
    }
    const m = MediationCaseList.parse(
      (
        await call(t.app, 'GET', '/api/mediation/cases?mine=true&limit=200', {
          cookie: as.mediator,
        })
      ).body,
    );
    expect(m.items.length).toBeGreaterThan(0);
    expect(m.items.every((c) => c.mine && c.identities)).toBe(true);
  });

  it('withholds small monthly figures from officials, not from the committee', async () => {
    const o = MediationOverview.parse(
      (await call(t.app, 'GET', '/api/mediation/overview', { cookie: as.community2 })).body,
    );
    const shown = o.months.flatMap((m) => [m.complaints, m.consultations, m.disputes, m.resolved]);
    expect(shown.every((n) => n === null || n === 0 || n >= 5)).toBe(true);
    const d = MediationOverview.parse(
      (await call(t.app, 'GET', '/api/mediation/overview', { cookie: as['mediator-director'] }))
        .body,
    );
    expect(d.exact).toBe(true);
    expect(d.committees).toHaveLength(1);
    expect(d.committees[0]!.mediators).toBe(73);
    expect(d.mediators.length).toBe(73);
  });
});

describe('the case flow', () => {
  const newDispute = () => ({
    kind: 'dispute',
    category: 'leak',
    compoundId: compound.id,
    buildingId: compound.buildings[0],
    summary: '楼上卫生间漏水致楼下吊顶损坏',
    parties: [
      { side: 'applicant', name: '李四', phone: '13900000001' },
      { side: 'respondent', name: '王五', phone: '13900000002' },
    ],
  });

  it('受理 → 调查 → 调解 → 结案 with the agreement, each step audited; read after write', async () => {
    const a0 = await auditCount();
    const c = await call(t.app, 'POST', '/api/mediation/cases', {
      cookie: as.mediator,
      body: newDispute(),
    });
    expect(c.status).toBe(201);
    const id = MediationCase.parse(c.body).id;
    expect(c.body.status).toBe('accepted');
    expect(c.body.nextSteps).toEqual(['investigating', 'transferred', 'terminated']);
    const list = await call(t.app, 'GET', '/api/mediation/cases?mine=true&status=open', {
      cookie: as.mediator,
    });
    expect(list.body.items.map((x: { id: number }) => x.id)).toContain(id);
    const step = (body: unknown, who: DemoUser = 'mediator') =>
      call(t.app, 'POST', `/api/mediation/cases/${id}/steps`, { cookie: as[who], body });
    expect((await step({ step: 'investigating', note: '上门查看' })).status).toBe(200);
    expect((await step({ step: 'mediating' })).status).toBe(200);
    const bad = await step({ step: 'closed', outcome: 'success' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('agreement');
    const done = await step({ step: 'closed', outcome: 'success', agreement: '楼上承担维修费用' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('closed');
    expect(done.body.steps.map((s: { step: string }) => s.step)).toEqual([
      'accepted',
      'investigating',
      'mediating',
      'closed',
    ]);
    const audit = await rows(sql`SELECT action FROM audit_log WHERE entity = 'mediation_case'
      AND entity_id = ${String(id)} ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual([
      'mediation_case.create',
      'mediation_case.investigating',
      'mediation_case.mediating',
      'mediation_case.closed',
    ]);
    expect(await auditCount()).toBe(a0 + 4);
    // The audit log names no party.
    const logged = JSON.stringify(
      await rows(sql`SELECT before, after FROM audit_log
      WHERE entity = 'mediation_case' AND entity_id = ${String(id)}`),
    );
    expect(logged).not.toContain('李四');
    // An ended case takes no step.
    const again = await step({ step: 'terminated' });
    expect(again.status).toBe(409);
  });

  it('refuses a step out of order (409), and bad input (400 naming it): nothing written', async () => {
    const c = await call(t.app, 'POST', '/api/mediation/cases', {
      cookie: as.mediator,
      body: newDispute(),
    });
    const id = c.body.id as number;
    const [a0, s0] = [
      await auditCount(),
      (await rows(sql`SELECT count(*)::int AS n FROM mediation_steps`))[0].n,
    ];
    const step = (body: unknown, who: DemoUser = 'mediator') =>
      call(t.app, 'POST', `/api/mediation/cases/${id}/steps`, { cookie: as[who], body });
    const early = await step({ step: 'closed', outcome: 'success', agreement: '协议' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/only after mediation/);
    const skip = await step({ step: 'mediating' });
    expect(skip.status).toBe(409);
    expect((await step({ step: 'flying' })).body.error.field).toBe('step');
    expect((await step({ step: 'investigating', onDate: '2099-01-01' })).body.error.field).toBe(
      'onDate',
    );
    expect((await step({ step: 'investigating', outcome: 'success' })).body.error.field).toBe(
      'outcome',
    );
    expect((await step({ step: 'investigating', extra: 1 })).status).toBe(400);
    // Not the case's mediator: 403; an official: 403; the public: 401.
    expect((await step({ step: 'investigating' }, 'city')).status).toBe(403);
    expect(
      (
        await call(t.app, 'POST', `/api/mediation/cases/${id}/steps`, {
          body: { step: 'investigating' },
        })
      ).status,
    ).toBe(401);
    expect(await auditCount()).toBe(a0);
    expect((await rows(sql`SELECT count(*)::int AS n FROM mediation_steps`))[0].n).toBe(s0);
    const [row] = await rows(sql`SELECT status FROM mediation_cases WHERE id = ${id}`);
    expect(row.status).toBe('accepted');
  });

  it("refuses a colleague's case (403) and another committee's (404)", async () => {
    const [theirs] =
      await rows(sql`SELECT id FROM mediation_cases WHERE mediator_id = ${colleague.id}
      AND status IN ('accepted', 'investigating') ORDER BY id LIMIT 1`);
    if (theirs) {
      const r = await call(t.app, 'POST', `/api/mediation/cases/${theirs.id}/steps`, {
        cookie: as.mediator,
        body: { step: 'terminated' },
      });
      expect(r.status).toBe(403);
    }
    const [foreign] =
      await rows(sql`SELECT id FROM mediation_cases WHERE committee_id <> ${committee.id}
      ORDER BY id LIMIT 1`);
    const r = await call(t.app, 'GET', `/api/mediation/cases/${foreign.id}`, {
      cookie: as.mediator,
    });
    expect(r.status).toBe(404);
  });

  it('refuses a foreign compound, a foreign building and bad fields, writing nothing', async () => {
    const [foreign] = await rows(sql`SELECT k.area_id AS id FROM compounds k
      WHERE k.property_company_id IS DISTINCT FROM ${committee.companyId} ORDER BY k.area_id LIMIT 1`);
    const [otherBuilding] =
      await rows(sql`SELECT id FROM buildings WHERE compound_id <> ${compound.id}
      ORDER BY id LIMIT 1`);
    const [a0, c0] = [await auditCount(), await caseCount()];
    const post = (patch: Record<string, unknown>) =>
      call(t.app, 'POST', '/api/mediation/cases', {
        cookie: as.mediator,
        body: { ...newDispute(), ...patch },
      });
    const cases: [Record<string, unknown>, string][] = [
      [{ compoundId: foreign.id }, 'compoundId'],
      [{ buildingId: otherBuilding.id }, 'buildingId'],
      [{ kind: 'gossip' }, 'kind'],
      [{ category: 'x' }, 'category'],
      [{ summary: '' }, 'summary'],
      [{ receivedOn: '2099-01-01' }, 'receivedOn'],
      [{ receivedOn: '2026-02-30' }, 'receivedOn'],
      [{ parties: [] }, 'parties'],
      [{ parties: [{ side: 'respondent', name: '王五' }] }, 'parties'],
      [{ parties: [{ side: 'applicant', name: '李四', phone: 'call me' }] }, 'parties.0.phone'],
      [{ mediatorId: colleague.id }, 'mediatorId'],
    ];
    for (const [patch, field] of cases) {
      const r = await post(patch);
      expect([r.status, r.body.error?.field], JSON.stringify(patch)).toEqual([
        field === 'mediatorId' ? 403 : 400,
        field,
      ]);
    }
    expect(await auditCount()).toBe(a0);
    expect(await caseCount()).toBe(c0);
  });

  it('lets the director assign a case to a colleague, who is then its mediator', async () => {
    const r = await call(t.app, 'POST', '/api/mediation/cases', {
      cookie: as['mediator-director'],
      body: { ...newDispute(), mediatorId: colleague.id },
    });
    expect(r.status).toBe(201);
    expect(r.body.mediatorId).toBe(colleague.id);
    const seen = await call(t.app, 'GET', `/api/mediation/cases/${r.body.id}`, {
      cookie: as.mediator,
    });
    expect(seen.body.identities).toBe(false);
  });
});

describe('k-anonymity through the API (k = 5)', () => {
  /** Replaces the compound's cases by hand-built ones: `counts[i]` in building i. */
  async function build(counts: number[]) {
    await sql`DELETE FROM mediation_cases WHERE compound_id = ${compound.id}`.execute(t.db.kysely);
    for (const [i, n] of counts.entries()) {
      await sql`
        INSERT INTO mediation_cases (code, committee_id, kind, category, compound_id, building_id,
          area_path, mediator_id, summary, status, received_on)
        SELECT 'K' || ${compound.id} || '-' || ${i} || '-' || g, ${committee.id}, 'complaint', 'noise',
          ${compound.id}, ${compound.buildings[i]!}, ${compound.path}::int[], ${me.id}, '测试',
          'accepted', current_date - 3
        FROM generate_series(1, ${n}::int) g`.execute(t.db.kysely);
    }
    t.app.cache.clear();
  }
  const map = async (who: DemoUser, area: number) =>
    MediationMap.parse(
      (await call(t.app, 'GET', `/api/mediation/map?area=${area}`, { cookie: as[who] })).body,
    );
  const shown = (m: MediationMap) =>
    new Map(m.features.map((f) => [f.properties.id, f.properties.count]));

  it('4 in one building: nothing shown in the compound, and the compound merged up', async () => {
    await build([4]);
    const m = await map('mediator', compound.id);
    expect(m.count).toBeNull();
    expect(m.features).toEqual([]);
    const grid = await map('mediator', compound.path[3]!);
    expect(shown(grid).has(compound.id)).toBe(false);
  });

  it('5 in one building: the building and the compound show 5', async () => {
    await build([5]);
    const m = await map('mediator', compound.id);
    expect(m.count).toBe(5);
    expect(m.rest).toBe(0);
    expect(shown(m)).toEqual(new Map([[compound.buildings[0]!, 5]]));
  });

  it('4, 5 and 6: the 6 shows; the 4 is merged with the 5 so no subtraction recovers it', async () => {
    await build([4, 5, 6]);
    const m = await map('mediator', compound.id);
    expect(m.count).toBe(15);
    expect(shown(m)).toEqual(new Map([[compound.buildings[2]!, 6]]));
    expect(m.rest).toBe(9);
    // Officials see the same counts (their scope holds these cases too).
    const c = await map('city', compound.id);
    expect(c.count).toBe(15);
    expect(shown(c)).toEqual(new Map([[compound.buildings[2]!, 6]]));
  });

  it('2 and 2: merged into the compound it is still under k, and passes up', async () => {
    await build([2, 2]);
    const m = await map('mediator', compound.id);
    expect(m.count).toBeNull();
    expect(m.features).toEqual([]);
  });

  it('shows no place under k anywhere, for any reader, at any level', async () => {
    const levels = await rows<{ id: number }>(sql`
      SELECT DISTINCT unnest(area_path[1:4]) AS id FROM mediation_cases ORDER BY 1 LIMIT 60`);
    for (const who of ['city', 'community', 'mediator'] as const) {
      for (const area of [undefined, ...levels.map((l) => l.id).slice(0, 20), compound.id]) {
        const r = await call(t.app, 'GET', `/api/mediation/map${area ? `?area=${area}` : ''}`, {
          cookie: as[who],
        });
        if (r.status === 404) continue;
        const m = MediationMap.parse(r.body);
        for (const f of m.features) expect(f.properties.count).toBeGreaterThanOrEqual(5);
        if (m.rest !== null) expect(m.rest === 0 || m.rest >= 5).toBe(true);
        if (m.count !== null) {
          expect(m.count).toBeGreaterThanOrEqual(5);
          expect(m.features.reduce((s, f) => s + f.properties.count, 0) + m.rest!).toBe(m.count);
        }
      }
    }
  });
});
