/**
 * Service points and 执法进小区 over the API: the public layer (kinds, open now), the managers'
 * writes with their bad inputs (nothing written, audit unchanged), read after write, and the
 * permission matrix of visits (a department: any compound, its own visits; an area: its own).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenAt } from '../../geo/opening-hours.ts';
import {
  EnforcementMap,
  EnforcementVisitList,
  ServicePoint,
  ServicePointCollection,
} from '../../server/contract/service-points.ts';
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
const count = async (table: string) =>
  (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.table(table)}`))[0]!.n;

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

async function matrix(method: string, url: () => string, body?: () => unknown) {
  const got: Record<string, number> = {};
  for (const who of ALL)
    got[who] = (await call(t.app, method, url(), { cookie: as[who], body: body?.() })).status;
  return got;
}
const everyone = (status: number) => Object.fromEntries(ALL.map((w) => [w, status]));

const HOURS = [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }];
const newPoint = () => ({
  kind: 'elder_care',
  name: '测试日间照料站',
  areaId: fx.companyCompound.id,
  address: '3号楼底商',
  phone: '0931-8888888',
  hours: HOURS,
  compoundIds: [fx.companyCompound.id],
});

describe('the public layer', () => {
  it('is public: every kind, with open now computed from the hours', async () => {
    expect(await matrix('GET', () => '/api/service-points')).toEqual(everyone(200));
    const r = await call(t.app, 'GET', '/api/service-points');
    const fc = ServicePointCollection.parse(r.body);
    const kinds = new Set(fc.features.map((f) => f.properties.kind));
    for (const k of ['party_service', 'mediation_room', 'legal_service'])
      expect(kinds).toContain(k);
    const now = new Date();
    for (const f of fc.features.slice(0, 200))
      expect(f.properties.openNow).toBe(isOpenAt(f.properties.hours, now));
    // The public line of a point, never a mobile (a person's).
    for (const f of fc.features)
      if (f.properties.phone) expect(f.properties.phone).toMatch(/^0931-/);
    expect(fc.features.every((f) => !f.properties.canManage)).toBe(true);
  });

  it('filters by kind and area; an unknown kind is a 400 naming it', async () => {
    const r = await call(
      t.app,
      'GET',
      `/api/service-points?kind=party_service,mediation_room&area=${fx.accounts.community.areaId}`,
    );
    const fc = ServicePointCollection.parse(r.body);
    expect([...new Set(fc.features.map((f) => f.properties.kind))].sort()).toEqual([
      'mediation_room',
      'party_service',
    ]);
    const bad = await call(t.app, 'GET', '/api/service-points?kind=casino');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('kind');
    expect((await call(t.app, 'GET', '/api/service-points?closed=true')).status).toBe(401);
    expect(
      (await call(t.app, 'GET', '/api/service-points?closed=true', { cookie: as.planner })).status,
    ).toBe(403);
  });

  it('shows one point with the compounds it serves', async () => {
    const [p] = await rows(
      sql`SELECT id FROM service_points WHERE kind = 'party_service' ORDER BY id LIMIT 1`,
    );
    const r = await call(t.app, 'GET', `/api/service-points/${p.id}`);
    const d = ServicePoint.parse(r.body);
    expect(d.servedCompounds.length).toBeGreaterThan(0);
    expect((await call(t.app, 'GET', '/api/service-points/99999999')).status).toBe(404);
  });
});

describe('keeping points (services.manage)', () => {
  it('creates: the area officials above the compound only', async () => {
    const before = await count('service_points');
    const got = await matrix('POST', () => '/api/service-points', newPoint);
    expect(got).toEqual({
      ...everyone(403),
      city: 201,
      district: 201,
      subdistrict: 201,
      community: 201,
      // Another district's or community's official: the area is not theirs to name.
      district2: 400,
      community2: 400,
      public: 401,
    });
    expect(await count('service_points')).toBe(before + 4);
  });

  it('creates, edits and closes a point, audited, read after write', async () => {
    const a0 = await auditCount();
    const c = await call(t.app, 'POST', '/api/service-points', {
      cookie: as.community,
      body: newPoint(),
    });
    expect(c.status).toBe(201);
    const id = c.body.id as number;
    expect(c.body.canManage).toBe(true);
    const list = ServicePointCollection.parse(
      (
        await call(
          t.app,
          'GET',
          `/api/service-points?kind=elder_care&area=${fx.companyCompound.id}`,
        )
      ).body,
    );
    expect(list.features.map((f) => f.properties.id)).toContain(id);
    const e = await call(t.app, 'PATCH', `/api/service-points/${id}`, {
      cookie: as.community,
      body: {
        hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }],
        name: '日间照料中心',
      },
    });
    expect(e.status).toBe(200);
    expect(e.body.name).toBe('日间照料中心');
    expect(e.body.openNow).toBe(true);
    const fresh = (
      await call(t.app, 'GET', `/api/service-points?kind=elder_care&area=${fx.companyCompound.id}`)
    ).body;
    expect(fresh.features.find((f: any) => f.properties.id === id).properties.name).toBe(
      '日间照料中心',
    );
    const closed = await call(t.app, 'POST', `/api/service-points/${id}/close`, {
      cookie: as.community,
      body: { reason: '场地改造' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    const again = await call(t.app, 'POST', `/api/service-points/${id}/close`, {
      cookie: as.community,
      body: { reason: '场地改造' },
    });
    expect(again.status).toBe(409);
    // Closed: gone from the public layer and detail, kept for its managers.
    expect((await call(t.app, 'GET', `/api/service-points/${id}`)).status).toBe(404);
    const mgr = await call(
      t.app,
      'GET',
      `/api/service-points?closed=true&kind=elder_care&area=${fx.companyCompound.id}`,
      {
        cookie: as.community,
      },
    );
    expect(mgr.body.features.map((f: any) => f.properties.id)).toContain(id);
    const audit = await rows(sql`SELECT action FROM audit_log WHERE entity = 'service_point'
      AND entity_id = ${String(id)} ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual([
      'service_point.create',
      'service_point.update',
      'service_point.close',
    ]);
    expect(await auditCount()).toBe(a0 + 3);
  });

  it('refuses bad input with a 400 naming the field, writing nothing', async () => {
    const [a0, p0, s0] = [
      await auditCount(),
      await count('service_points'),
      await count('service_point_compounds'),
    ];
    const cases: [Record<string, unknown>, string][] = [
      [{ compoundIds: [fx.otherCommunity.id] }, 'compoundIds'],
      [{ areaId: fx.otherCommunity.id }, 'areaId'],
      [{ hours: [{ days: [1], open: '18:00', close: '09:00' }] }, 'hours'],
      [{ hours: [{ days: [9], open: '08:00', close: '09:00' }] }, 'hours'],
      [{ kind: 'casino' }, 'kind'],
      [{ name: '' }, 'name'],
      [{ phone: 'ring ring' }, 'phone'],
      [{ position: [0, 0] }, 'position'],
      [{ compoundIds: 'all' }, 'compoundIds'],
    ];
    for (const [patch, field] of cases) {
      const r = await call(t.app, 'POST', '/api/service-points', {
        cookie: as.community,
        body: { ...newPoint(), ...patch },
      });
      expect([r.status, r.body.error?.field], JSON.stringify(patch)).toEqual([400, field]);
    }
    expect([
      await auditCount(),
      await count('service_points'),
      await count('service_point_compounds'),
    ]).toEqual([a0, p0, s0]);
  });

  it("refuses another area's point (403) and a point that does not exist (404)", async () => {
    const [p] = await rows(sql`SELECT id FROM service_points WHERE closed_at IS NULL
      AND area_path @> ARRAY[${fx.accounts.community.areaId!}::int] ORDER BY id LIMIT 1`);
    const edit = (who: DemoUser) =>
      call(t.app, 'PATCH', `/api/service-points/${p.id}`, {
        cookie: as[who],
        body: { note: '改' },
      });
    expect((await edit('community2')).status).toBe(403);
    expect((await edit('gridworker')).status).toBe(403);
    expect(
      (await call(t.app, 'PATCH', `/api/service-points/${p.id}`, { body: { note: '改' } })).status,
    ).toBe(401);
    expect(
      (
        await call(t.app, 'PATCH', '/api/service-points/99999999', {
          cookie: as.community,
          body: { note: '改' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('执法进小区', () => {
  const reads = {
    ...everyone(403),
    city: 200,
    district: 200,
    district2: 200,
    subdistrict: 200,
    community: 200,
    community2: 200,
    department: 200,
    department2: 200,
    public: 401,
  };

  it('reads visits: areas and departments', async () => {
    expect(await matrix('GET', () => '/api/service-points/enforcement')).toEqual(reads);
    expect(await matrix('GET', () => '/api/service-points/enforcement/map')).toEqual(reads);
  });

  it('scopes them: an area reads its own, a department its own anywhere', async () => {
    const community = EnforcementVisitList.parse(
      (
        await call(t.app, 'GET', '/api/service-points/enforcement?limit=200', {
          cookie: as.community,
        })
      ).body,
    );
    const [n] = await rows(sql`SELECT count(*)::int AS n FROM enforcement_visits
      WHERE area_path @> ARRAY[${fx.accounts.community.areaId!}::int]`);
    expect(community.total).toBe(n.n);
    const dept = EnforcementVisitList.parse(
      (
        await call(t.app, 'GET', '/api/service-points/enforcement?limit=200', {
          cookie: as.department,
        })
      ).body,
    );
    expect(dept.items.every((v) => v.departmentId === fx.accounts.department.departmentId)).toBe(
      true,
    );
    const m = EnforcementMap.parse(
      (await call(t.app, 'GET', '/api/service-points/enforcement/map', { cookie: as.city })).body,
    );
    expect(m.features.length).toBeGreaterThan(0);
  });

  it('records a visit: a department anywhere, an area in its own; audited, read after write', async () => {
    const body = (compoundId: number) => ({
      compoundId,
      visitedOn: new Date(Date.now() - 86400000).toISOString().slice(0, 10),
      team: '联合执法组',
      topic: 'fire_lane',
      findings: '消防通道被占用，已督促清理',
    });
    const got = await matrix(
      'POST',
      () => '/api/service-points/enforcement',
      () => body(fx.companyCompound.id),
    );
    expect(got).toEqual({
      ...everyone(403),
      city: 201,
      district: 201,
      subdistrict: 201,
      community: 201,
      district2: 400,
      community2: 400,
      department: 201,
      department2: 201,
      public: 401,
    });
    // A department records for a compound of any district.
    const far = await call(t.app, 'POST', '/api/service-points/enforcement', {
      cookie: as.department,
      body: body(fx.otherCommunity.id),
    });
    expect(far.status).toBe(201);
    expect(far.body.departmentId).toBe(fx.accounts.department.departmentId);
    const mine = await call(t.app, 'GET', '/api/service-points/enforcement?limit=5', {
      cookie: as.department,
    });
    expect(mine.body.items.map((v: { id: number }) => v.id)).toContain(far.body.id);
    const [a] = await rows(sql`SELECT action FROM audit_log WHERE entity = 'enforcement_visit'
      AND entity_id = ${String(far.body.id)}`);
    expect(a.action).toBe('enforcement_visit.create');
  });

  it('refuses bad visits with a 400 naming the field, writing nothing', async () => {
    const [ticket] =
      await rows(sql`SELECT id FROM tickets WHERE compound_id <> ${fx.companyCompound.id}
      AND compound_id IS NOT NULL ORDER BY id LIMIT 1`);
    const [a0, v0] = [await auditCount(), await count('enforcement_visits')];
    const base = {
      compoundId: fx.companyCompound.id,
      visitedOn: new Date(Date.now() - 86400000).toISOString().slice(0, 10),
      team: '城管执法中队',
      topic: 'illegal_construction',
      findings: '发现违建一处',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ compoundId: fx.otherCommunity.id }, 'compoundId'],
      [{ ticketId: ticket.id }, 'ticketId'],
      [{ visitedOn: '2099-01-01' }, 'visitedOn'],
      [{ visitedOn: 'yesterday' }, 'visitedOn'],
      [{ topic: 'jaywalking' }, 'topic'],
      [{ findings: '' }, 'findings'],
    ];
    for (const [patch, field] of cases) {
      const r = await call(t.app, 'POST', '/api/service-points/enforcement', {
        cookie: as.community,
        body: { ...base, ...patch },
      });
      expect([r.status, r.body.error?.field], JSON.stringify(patch)).toEqual([400, field]);
    }
    expect([await auditCount(), await count('enforcement_visits')]).toEqual([a0, v0]);
  });
});
