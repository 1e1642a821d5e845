/**
 * The permission matrix: every role × a record in its own area or another's × read and write.
 * Scope is enforced in the queries, so "not yours" is a 404 (the record does not exist for you),
 * "yours but not your part" a 403, and the public a 401.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestApp, signIn } from './test-db.ts';
import { loadFixtures, ROLES_UNDER_TEST, type DemoUser, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Partial<Record<DemoUser | 'public', string>> = { public: undefined };
let ticketId: number;
let hazardId: number;
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ROLES_UNDER_TEST) as[u] = await signIn(t.app, u);
  // A ticket in `community`, at a compound `property` manages, dispatched to `property`.
  const created = await call(t.app, 'POST', '/api/tickets', {
    cookie: as.community,
    body: {
      category: 'property_service',
      title: '电梯经常停运',
      position: fx.companyCompound.label,
    },
  });
  ticketId = created.body.id;
  await call(t.app, 'POST', `/api/tickets/${ticketId}/transitions`, {
    cookie: as.community,
    body: { action: 'dispatch' },
  });
  const hazard = await call(t.app, 'POST', '/api/hazards', {
    cookie: as.community,
    body: {
      type: 'elevator',
      severity: 'high',
      description: '电梯钢丝绳磨损',
      position: fx.companyCompound.label,
    },
  });
  hazardId = hazard.body.id;
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const ALL = [...ROLES_UNDER_TEST, 'public'] as const;
type Who = (typeof ALL)[number];

function expectMatrix(got: Record<string, number>, want: Record<Who, number>) {
  expect(got).toEqual(want);
}

describe('permission matrix', () => {
  it('reads a ticket: own area or own dispatch only', async () => {
    const got: Record<string, number> = {};
    for (const who of ALL) {
      got[who] = (await call(t.app, 'GET', `/api/tickets/${ticketId}`, { cookie: as[who] })).status;
    }
    const inGrid = fx.companyCompound.gridId === fx.accounts.gridworker.areaId;
    expectMatrix(got, {
      city: 200,
      district: 200,
      district2: 404,
      subdistrict: 200,
      community: 200,
      community2: 404,
      gridworker: inGrid ? 200 : 404,
      sentinel: 404, // it did not report this one
      property: 200, // dispatched to it
      property2: 404,
      department: 404,
      department2: 404,
      planner: 403, // aggregates and map layers only
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
  });

  it('writes a ticket: only the body it is dispatched to may accept it', async () => {
    const got: Record<string, number> = {};
    // Everyone else first: a refused action must change nothing.
    for (const who of ALL.filter((w) => w !== 'property')) {
      got[who] = (
        await call(t.app, 'POST', `/api/tickets/${ticketId}/transitions`, {
          cookie: as[who],
          body: { action: 'accept' },
        })
      ).status;
    }
    const state = await sql<{
      status: string;
    }>`SELECT status FROM tickets WHERE id = ${ticketId}`.execute(t.db.kysely);
    expect(state.rows[0]!.status).toBe('dispatched');
    got.property = (
      await call(t.app, 'POST', `/api/tickets/${ticketId}/transitions`, {
        cookie: as.property,
        body: { action: 'accept' },
      })
    ).status;
    const inGrid = fx.companyCompound.gridId === fx.accounts.gridworker.areaId;
    expectMatrix(got, {
      city: 403,
      district: 403,
      district2: 404,
      subdistrict: 403,
      community: 403,
      community2: 404,
      gridworker: inGrid ? 403 : 404,
      sentinel: 404,
      property: 200,
      property2: 404,
      department: 404,
      department2: 404,
      planner: 403,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
  });

  it('creates tickets only inside the own area, and only roles that take appeals', async () => {
    const at = (position: [number, number]) => ({
      category: 'noise',
      title: '夜间施工噪音',
      position,
    });
    const own: Record<string, number> = {};
    const other: Record<string, number> = {};
    for (const who of ALL) {
      own[who] = (
        await call(t.app, 'POST', '/api/tickets', {
          cookie: as[who],
          body: at(fx.gridCompound.label),
        })
      ).status;
      other[who] = (
        await call(t.app, 'POST', '/api/tickets', {
          cookie: as[who],
          body: at(fx.otherCommunity.label),
        })
      ).status;
    }
    expectMatrix(own, {
      city: 201,
      district: 201,
      district2: 403,
      subdistrict: 201,
      community: 201,
      community2: 403,
      gridworker: 201,
      sentinel: 201,
      property: 403,
      property2: 403,
      department: 403,
      department2: 403,
      planner: 403,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
    expectMatrix(other, {
      city: 201,
      district: 403,
      district2: 201,
      subdistrict: 403,
      community: 403,
      community2: 201,
      gridworker: 403,
      sentinel: 403,
      property: 403,
      property2: 403,
      department: 403,
      department2: 403,
      planner: 403,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
  });

  it('reads a hazard: own area, the compound’s company, the department of its type', async () => {
    const got: Record<string, number> = {};
    for (const who of ALL) {
      got[who] = (await call(t.app, 'GET', `/api/hazards/${hazardId}`, { cookie: as[who] })).status;
    }
    const inGrid = fx.companyCompound.gridId === fx.accounts.gridworker.areaId;
    expectMatrix(got, {
      city: 200,
      district: 200,
      district2: 404,
      subdistrict: 200,
      community: 200,
      community2: 404,
      gridworker: inGrid ? 200 : 404,
      sentinel: 403,
      property: 200, // its compound
      property2: 404,
      department: 404, // housing answers for structural hazards, not elevators
      department2: 404,
      planner: 403,
      mediator: 403,
      'mediator-director': 403,
      public: 401,
    });
  });

  it('lists only what is in scope', async () => {
    const scopes: Record<string, (row: any) => Promise<boolean>> = {
      community: async (r) => r.communityId === fx.accounts.community.areaId,
      community2: async (r) => r.communityId === fx.accounts.community2.areaId,
      property: async (r) =>
        r.propertyCompanyId === fx.accounts.property.propertyCompanyId && r.status !== 'received',
      department: async (r) =>
        r.departmentId === fx.accounts.department.departmentId && r.status !== 'received',
      sentinel: async (r) => r.reporterAccountId === fx.accounts.sentinel.id,
    };
    // The sentinel's list holds at least its own report, so the check below is not vacuous.
    const own = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.sentinel,
      body: {
        category: 'parking',
        title: 'permissions: a report of its own',
        position: fx.companyCompound.label,
      },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    for (const [who, inScope] of Object.entries(scopes)) {
      const list = await call(t.app, 'GET', '/api/tickets/list?limit=200', {
        cookie: as[who as DemoUser],
      });
      expect(list.status).toBe(200);
      const ids: number[] = list.body.items.map((r: any) => r.id);
      expect(ids.length, who).toBeGreaterThan(0);
      const rows =
        await sql<any>`SELECT id, community_id AS "communityId", property_company_id AS "propertyCompanyId",
        department_id AS "departmentId", status, reporter_account_id AS "reporterAccountId"
        FROM tickets WHERE id = ANY(${ids}::int[])`.execute(t.db.kysely);
      for (const r of rows.rows) expect(await inScope(r), `${who} sees ticket ${r.id}`).toBe(true);
    }
  });

  it('keeps the map layers of tickets and hazards from the public, and scopes them', async () => {
    expect((await t.app.request('/api/tickets?limit=5')).status).toBe(401);
    expect((await t.app.request('/api/hazards?limit=5')).status).toBe(401);
    // Published aggregates stay public.
    expect((await t.app.request(`/api/areas/${fx.accounts.community.areaId}`)).status).toBe(200);
    const mine = await call(t.app, 'GET', '/api/tickets?limit=20000', { cookie: as.community2 });
    const ids = mine.body.features.map((f: any) => f.properties.id);
    const outside = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets
      WHERE id = ANY(${ids}::int[]) AND community_id <> ${fx.accounts.community2.areaId}`.execute(
      t.db.kysely,
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(outside.rows[0]!.n).toBe(0);
  });

  it('gives the audit log to the city only', async () => {
    const got: Record<string, number> = {};
    for (const who of ALL)
      got[who] = (await call(t.app, 'GET', '/api/audit?limit=5', { cookie: as[who] })).status;
    expect(got.city).toBe(200);
    for (const who of ALL.filter((w) => w !== 'city'))
      expect(got[who], who).toBe(who === 'public' ? 401 : 403);
  });
});
