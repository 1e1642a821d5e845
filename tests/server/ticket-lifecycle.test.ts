import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestApp, signIn } from './test-db.ts';
import { count, loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of [
    'city',
    'district',
    'community',
    'community2',
    'gridworker',
    'property',
    'property2',
    'planner',
  ]) {
    as[u] = await signIn(t.app, u);
  }
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const ticket = (over: Record<string, unknown> = {}) => ({
  category: 'parking',
  title: '小区门口车辆乱停，消防通道被堵',
  description: '晚上八点以后尤其严重',
  position: fx.companyCompound.label,
  residentName: '王小明',
  residentPhone: '13812345678',
  ...over,
});
const post = (who: string, url: string, body: unknown, headers?: Record<string, string>) =>
  call(t.app, 'POST', url, { cookie: as[who], body, headers });
const act = (who: string, id: number, body: Record<string, unknown>) =>
  post(who, `/api/tickets/${id}/transitions`, body);

describe('intake', () => {
  it('places the ticket in its grid and compound, routes it and sets its deadline', async () => {
    const { status, body } = await post('community', '/api/tickets', ticket());
    expect(status).toBe(201);
    expect(body.status).toBe('received');
    expect(body.compoundId).toBe(fx.companyCompound.id);
    expect(body.gridId).toBe(fx.companyCompound.gridId);
    expect(body.communityId).toBe(fx.accounts.community.areaId);
    expect(body.channel).toBe('walk_in');
    expect(body.code).toMatch(/^T\d{8}\d{5}$/);
    // Parking in a compound with a property company goes to that company, within 72 hours.
    expect(body.responder).toMatchObject({
      kind: 'property_company',
      id: fx.companyCompound.companyId,
    });
    expect(Date.parse(body.dueAt) - Date.parse(body.receivedAt)).toBe(72 * 3600_000);
    expect(body.events).toHaveLength(1);
    expect(body.events[0]).toMatchObject({ status: 'received' });
    expect(body.actions).toEqual(expect.arrayContaining(['dispatch', 'reject_duplicate']));
  });

  it('routes by category: legal aid to the justice bureau, urgent deadlines are shorter', async () => {
    const { body } = await post(
      'community',
      '/api/tickets',
      ticket({ category: 'legal_aid', priority: 'urgent' }),
    );
    expect(body.responder).toMatchObject({ kind: 'department', name: '市司法局' });
    expect(Date.parse(body.dueAt) - Date.parse(body.receivedAt)).toBe(72 * 3600_000);
  });

  it('refuses bad input with a 400 that names the field, and writes nothing', async () => {
    const before = [await count(t.db, 'tickets'), await count(t.db, 'audit_log')];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...ticket(), title: undefined }, /title/],
      [{ ...ticket(), category: 'weather' }, /category/],
      [ticket({ position: [0, 0] }), /not inside any grid of Lanzhou/],
      [ticket({ position: [103.8] }), /position/],
      [ticket({ description: 'x'.repeat(2001) }), /description/],
      [ticket({ residentPhone: 'call me' }), /residentPhone/],
    ];
    for (const [body, message] of cases) {
      const res = await post('community', '/api/tickets', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const foreign = await post(
      'community',
      '/api/tickets',
      ticket({ position: fx.otherCommunity.label }),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/outside your area/);
    const form = await t.app.request('/api/tickets', {
      method: 'POST',
      headers: { cookie: as.community!, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=x',
    });
    expect(form.status).toBe(415);
    const huge = await post(
      'community',
      '/api/tickets',
      ticket({ description: 'x'.repeat(70_000) }),
    );
    expect(huge.status).toBe(413);
    expect([await count(t.db, 'tickets'), await count(t.db, 'audit_log')]).toEqual(before);
  });

  it('honours Idempotency-Key: retries, even concurrent ones, create one ticket', async () => {
    const before = await count(t.db, 'tickets');
    const key = { 'Idempotency-Key': 'a6f1c2d4-retry-test' };
    const first = await post(
      'gridworker',
      '/api/tickets',
      ticket({ position: fx.gridCompound.label }),
      key,
    );
    const again = await post(
      'gridworker',
      '/api/tickets',
      ticket({ position: fx.gridCompound.label }),
      key,
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const burst = await Promise.all(
      Array.from({ length: 5 }, () =>
        post(
          'gridworker',
          '/api/tickets',
          ticket({ position: fx.gridCompound.label, title: '楼道灯坏了' }),
          {
            'Idempotency-Key': 'burst-1',
          },
        ),
      ),
    );
    expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
    expect(burst.every((r) => r.status === 201)).toBe(true);
    expect(await count(t.db, 'tickets')).toBe(before + 2);
    const reused = await post('gridworker', '/api/tickets', ticket({ title: '另一件事' }), key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/Idempotency-Key/);
  });

  it('suggests likely duplicates: same category, nearby, recent', async () => {
    const [lon, lat] = fx.companyCompound.label;
    const near = await call(
      t.app,
      'GET',
      `/api/tickets/duplicates?lon=${lon}&lat=${lat}&category=parking`,
      {
        cookie: as.community,
      },
    );
    expect(near.status).toBe(200);
    expect(near.body.items.length).toBeGreaterThan(0);
    expect(near.body.items[0].distanceM).toBeLessThan(1);
    for (const d of near.body.items) {
      expect(d.category).toBe('parking');
      expect(d.distanceM).toBeLessThanOrEqual(300);
    }
    // A noise report on the same spot: the noise query must find it, and only noise.
    const noise = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { category: 'noise', title: 'Night-time building work', position: [lon, lat] },
    });
    expect(noise.status, JSON.stringify(noise.body)).toBe(201);
    const other = await call(
      t.app,
      'GET',
      `/api/tickets/duplicates?lon=${lon}&lat=${lat}&category=noise&radius=50&days=1`,
      {
        cookie: as.community,
      },
    );
    expect(other.body.items.length).toBeGreaterThan(0);
    expect(other.body.items.every((d: any) => d.category === 'noise')).toBe(true);
    const bad = await call(
      t.app,
      'GET',
      `/api/tickets/duplicates?lon=${lon}&lat=${lat}&category=parking&radius=99999`,
      {
        cookie: as.community,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/radius/);
  });
});

describe('lifecycle', () => {
  it('goes received → dispatched → accepted → in progress → resolved → closed, each step an event', async () => {
    const { body: created } = await post(
      'community',
      '/api/tickets',
      ticket({ title: '地下车库积水' }),
    );
    const id = created.id as number;
    // Before dispatch the property company does not see it.
    expect((await call(t.app, 'GET', `/api/tickets/${id}`, { cookie: as.property })).status).toBe(
      404,
    );
    expect((await act('community', id, { action: 'dispatch' })).body.status).toBe('dispatched');
    const seen = await call(t.app, 'GET', `/api/tickets/${id}`, { cookie: as.property });
    expect(seen.status).toBe(200);
    expect(seen.body.actions).toEqual(['accept', 'return']);
    // The wrong company never sees it; the hub may not accept for the company.
    expect((await act('property2', id, { action: 'accept' })).status).toBe(404);
    expect((await act('community', id, { action: 'accept' })).status).toBe(403);
    expect((await act('property', id, { action: 'accept' })).body.status).toBe('accepted');
    expect((await act('property', id, { action: 'start' })).body.status).toBe('in_progress');
    const noNote = await act('property', id, { action: 'resolve' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.message).toMatch(/note/);
    const tooLong = await act('property', id, { action: 'resolve', note: '好'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/note/);
    expect(
      (await act('property', id, { action: 'resolve', note: '已抽水并疏通排水沟' })).body.status,
    ).toBe('resolved');
    const early = await act('property', id, { action: 'close', satisfaction: 5 });
    expect(early.status).toBe(403);
    const noRating = await act('community', id, { action: 'close' });
    expect(noRating.status).toBe(400);
    const closed = await act('community', id, {
      action: 'close',
      satisfaction: 4,
      note: '回访满意',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', satisfaction: 4 });
    expect(closed.body.closedAt).not.toBeNull();
    expect(closed.body.events.map((e: any) => e.status)).toEqual([
      'received',
      'dispatched',
      'accepted',
      'in_progress',
      'resolved',
      'closed',
    ]);
    expect(closed.body.events.every((e: any) => e.actor && e.at)).toBe(true);
    // A closed ticket refuses what is not allowed and says what is.
    const invalid = await act('community', id, { action: 'accept' });
    expect(invalid.status).toBe(409);
    expect(invalid.body.error.message).toMatch(/'closed'.*reopen/);
    const reopened = await act('community', id, { action: 'reopen', note: '回访发现仍有积水' });
    expect(reopened.body.status).toBe('reopened');
    expect(reopened.body.closedAt).toBeNull();
    expect(Date.parse(reopened.body.dueAt)).toBeGreaterThan(Date.now());
  });

  it('lets the community and its gridworkers answer tickets the community owns', async () => {
    const { body } = await post(
      'gridworker',
      '/api/tickets',
      ticket({ category: 'other', position: fx.gridCompound.label, title: '楼道堆放杂物' }),
    );
    expect(body.responder.kind).toBe('community');
    expect(body.channel).toBe('grid_patrol');
    await act('community', body.id, { action: 'dispatch' });
    expect((await act('gridworker', body.id, { action: 'accept' })).body.status).toBe('accepted');
    const moved = await act('community', body.id, {
      action: 'transfer',
      responder: { kind: 'department', id: 2 },
    });
    expect(moved.body.status).toBe('transferred');
    expect(moved.body.responder).toMatchObject({ kind: 'department', id: 2 });
    const wrongCompany = await act('community', body.id, {
      action: 'transfer',
      responder: { kind: 'property_company', id: 999999 },
    });
    expect(wrongCompany.status).toBe(400);
  });

  it('rejects a duplicate against its original', async () => {
    const a = (await post('community', '/api/tickets', ticket({ title: '重复的诉求 A' }))).body;
    const b = (await post('community', '/api/tickets', ticket({ title: '重复的诉求 B' }))).body;
    const bad = await act('community', b.id, { action: 'reject_duplicate' });
    expect(bad.status).toBe(400);
    const ok = await act('community', b.id, { action: 'reject_duplicate', duplicateOf: a.id });
    expect(ok.body).toMatchObject({ status: 'rejected_duplicate', duplicateOf: a.id });
    expect(ok.body.actions).toEqual([]);
  });

  it('computes overdue from the deadline, in the detail, the list and the KPIs', async () => {
    const { body } = await post('community', '/api/tickets', ticket({ title: '超期测试' }));
    const area = fx.accounts.community.areaId;
    const kpi = async () =>
      (await call(t.app, 'GET', `/api/areas/${area}`, { cookie: as.community })).body.kpis
        .overdue as number;
    const before = await kpi();
    await sql`UPDATE tickets SET received_at = now() - interval '5 days', due_at = now() - interval '1 hour'
      WHERE id = ${body.id}`.execute(t.db.kysely);
    t.app.cache.clear();
    const detail = await call(t.app, 'GET', `/api/tickets/${body.id}`, { cookie: as.community });
    expect(detail.body.overdue).toBe(true);
    const list = await call(t.app, 'GET', `/api/tickets/list?area=${area}&overdue=true&limit=500`, {
      cookie: as.community,
    });
    expect(list.body.items.some((r: any) => r.id === body.id)).toBe(true);
    expect(list.body.items.every((r: any) => r.overdue)).toBe(true);
    expect(await kpi()).toBe(before + 1);
  });
});

describe('residents’ contacts', () => {
  it('are shown to the community and the responder, masked for others, never to planners', async () => {
    const { body } = await post('community', '/api/tickets', ticket({ title: '联系方式测试' }));
    await act('community', body.id, { action: 'dispatch' });
    const read = (who: string) =>
      call(t.app, 'GET', `/api/tickets/${body.id}`, { cookie: as[who] });
    expect((await read('community')).body).toMatchObject({
      residentName: '王小明',
      residentPhone: '13812345678',
    });
    expect((await read('property')).body.residentPhone).toBe('13812345678');
    expect((await read('district')).body).toMatchObject({
      residentName: '王**',
      residentPhone: '138****5678',
    });
    expect((await read('planner')).status).toBe(403);
    const layer = await call(
      t.app,
      'GET',
      `/api/tickets?area=${fx.accounts.community.areaId}&limit=5`,
      { cookie: as.planner },
    );
    expect(layer.status).toBe(200);
    expect(JSON.stringify(layer.body)).not.toMatch(/13812345678|王小明/);
  });
});
