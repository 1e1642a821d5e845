/**
 * Dispatch and transfer pickers (转派 offers only bodies that can serve the ticket's place), map
 * filters on KPIs and the choropleth, and errors that carry a reason the web translates.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string | undefined> = { public: undefined };
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of [
    'city',
    'community',
    'community2',
    'property',
    'property2',
    'planner',
    'gridworker',
  ])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

describe('transfer targets', () => {
  it('offers the compound’s company, every department and the community, to dispatchers only', async () => {
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: {
        category: 'property_service',
        title: '物业不作为',
        position: fx.companyCompound.label,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const r = await call(t.app, 'GET', `/api/tickets/${id}/transfer-targets`, {
      cookie: as.community,
    });
    expect(r.status).toBe(200);
    const targets = r.body.targets as { kind: string; id: number; name: string }[];
    const companies = targets.filter((x) => x.kind === 'property_company');
    expect(companies.map((x) => x.id)).toEqual([fx.companyCompound.companyId]);
    const departments = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM departments`.execute(t.db.kysely);
    expect(targets.filter((x) => x.kind === 'department')).toHaveLength(departments.rows[0]!.n);
    expect(targets.filter((x) => x.kind === 'community')).toEqual([
      expect.objectContaining({ id: fx.companyCompound.communityId }),
    ]);
    for (const x of targets) expect(x.name).toBeTruthy();

    await call(t.app, 'POST', `/api/tickets/${id}/transitions`, {
      cookie: as.community,
      body: { action: 'dispatch' },
    });
    const status = async (who: string) =>
      (await call(t.app, 'GET', `/api/tickets/${id}/transfer-targets`, { cookie: as[who] })).status;
    expect(await status('city')).toBe(200);
    expect(await status('property')).toBe(403); // it holds the ticket, but does not dispatch
    expect(await status('property2')).toBe(404);
    expect(await status('community2')).toBe(404);
    expect(await status('planner')).toBe(403);
    expect(await status('public')).toBe(401);

    // Every target offered is one the transition accepts.
    const department = targets.find((x) => x.kind === 'department')!;
    const moved = await call(t.app, 'POST', `/api/tickets/${id}/transitions`, {
      cookie: as.community,
      body: { action: 'transfer', responder: { kind: 'department', id: department.id } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.responder).toMatchObject({ kind: 'department', id: department.id });
  });

  it('offers no company for a compound without one', async () => {
    if (!fx.noCompany) return;
    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { category: 'facilities', title: '路灯不亮', position: fx.noCompany.label },
    });
    const r = await call(t.app, 'GET', `/api/tickets/${created.body.id}/transfer-targets`, {
      cookie: as.community,
    });
    expect(r.body.targets.some((x: any) => x.kind === 'property_company')).toBe(false);
  });
});

describe('map filters on KPIs and the choropleth', () => {
  it('narrows the KPIs and the per-area open counts to a category and channel', async () => {
    const all = await call(t.app, 'GET', '/api/areas/city');
    expect(all.status).toBe(200);
    const [top] = all.body.categories as { key: string; count: number }[];
    const one = await call(t.app, 'GET', `/api/areas/city?category=${top!.key}`);
    expect(one.status).toBe(200);
    expect(one.body.kpis.received).toBe(top!.count);
    expect(one.body.kpis.received).toBeLessThan(all.body.kpis.received);
    expect(one.body.categories).toEqual([{ key: top!.key, count: top!.count }]);
    // The hazard and whistle counts do not depend on the ticket filter.
    expect(one.body.kpis.openHazards).toBe(all.body.kpis.openHazards);

    const byChannel = await call(t.app, 'GET', '/api/areas/city?channel=sentinel,hotline_12345');
    const channels = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets
      WHERE channel IN ('sentinel', 'hotline_12345') AND received_at >= ${all.body.period.from}
        AND received_at < ${all.body.period.to}`.execute(t.db.kysely);
    expect(byChannel.body.kpis.received).toBe(channels.rows[0]!.n);

    const sum = (fc: any, k: string) =>
      fc.features.reduce((n: number, f: any) => n + f.properties[k], 0);
    const districts = await call(t.app, 'GET', '/api/areas?level=district&zoom=8');
    const filtered = await call(
      t.app,
      'GET',
      `/api/areas?level=district&zoom=8&category=${top!.key}`,
    );
    expect(filtered.status).toBe(200);
    const open = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets t
      WHERE t.category = ${top!.key} AND t.closed_at IS NULL
        AND t.status NOT IN ('rejected_duplicate', 'resolved')`.execute(t.db.kysely);
    expect(sum(filtered.body, 'openTickets')).toBe(open.rows[0]!.n);
    expect(sum(filtered.body, 'openTickets')).toBeLessThan(sum(districts.body, 'openTickets'));
    // Cached answers keep the filters apart.
    const again = await call(t.app, 'GET', '/api/areas?level=district&zoom=8');
    expect(sum(again.body, 'openTickets')).toBe(sum(districts.body, 'openTickets'));

    const bad = await call(t.app, 'GET', '/api/areas/city?category=nonsense');
    expect(bad.status).toBe(400);
  });
});

describe('errors carry a reason the web translates', () => {
  it('answers refusals with status, generic code, specific reason and the field at fault', async () => {
    const err = (r: { status: number; body: any }) => [
      r.status,
      r.body.error.code,
      r.body.error.reason,
      r.body.error.field,
    ];
    expect(
      err(
        await call(t.app, 'POST', '/api/tickets', {
          cookie: as.city,
          body: { category: 'noise', title: '噪音', position: [0, 0] },
        }),
      ),
    ).toEqual([400, 'bad_request', 'outside_city', 'position']);
    expect(
      err(
        await call(t.app, 'POST', '/api/tickets', {
          cookie: as.community,
          body: { category: 'noise', title: '噪音', position: fx.otherCommunity.label },
        }),
      ),
    ).toEqual([403, 'forbidden', 'outside_scope', 'position']);
    expect(err(await call(t.app, 'GET', '/api/tickets/2000000000', { cookie: as.city }))).toEqual([
      404,
      'not_found',
      'ticket_not_found',
      undefined,
    ]);

    const created = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { category: 'property_service', title: '门禁坏了', position: fx.companyCompound.label },
    });
    const id = created.body.id as number;
    const step = (who: string, body: unknown) =>
      call(t.app, 'POST', `/api/tickets/${id}/transitions`, { cookie: as[who], body });
    expect(err(await step('community', { action: 'accept' }))).toEqual([
      409,
      'conflict',
      'invalid_transition',
      undefined,
    ]);
    expect(err(await step('community', { action: 'reject_duplicate', duplicateOf: id }))).toEqual([
      400,
      'bad_request',
      'self_duplicate',
      'duplicateOf',
    ]);
    await step('community', { action: 'dispatch' });
    expect(
      err(
        await step('community', {
          action: 'transfer',
          responder: { kind: 'property_company', id: fx.companyCompound.companyId },
        }),
      ),
    ).toEqual([400, 'bad_request', 'same_responder', 'responder']);
    expect(err(await step('community', { action: 'accept' }))).toEqual([
      403,
      'forbidden',
      'not_responder',
      undefined,
    ]);
    expect(err(await step('property', { action: 'return' }))).toEqual([
      400,
      'bad_request',
      'field_missing',
      'note',
    ]);

    const signIn = await call(t.app, 'POST', '/api/session', {
      body: { username: 'city', password: 'not-the-password' },
    });
    expect(err(signIn)).toEqual([401, 'unauthorized', 'invalid_credentials', undefined]);
    expect(err(await call(t.app, 'GET', '/api/audit', { cookie: as.community }))).toEqual([
      403,
      'forbidden',
      'missing_capability',
      undefined,
    ]);
  });
});
