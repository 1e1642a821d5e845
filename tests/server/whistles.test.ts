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
    'subdistrict',
    'community',
    'community2',
    'property',
    'property2',
    'department',
    'department2',
    'planner',
  ]) {
    as[u] = await signIn(t.app, u);
  }
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (who: string, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: as[who], body });

async function stuckTicket() {
  const { body } = await post('community', '/api/tickets', {
    category: 'facilities',
    title: '二次供水水箱漏水',
    position: fx.companyCompound.label,
  });
  await post('community', `/api/tickets/${body.id}/transitions`, { action: 'dispatch' });
  return body.id as number;
}

describe('社区吹哨、物业报到', () => {
  it('whistles the compound’s property company, which reports in and the community resolves', async () => {
    const ticketId = await stuckTicket();
    const blown = await post('community', '/api/whistles', {
      ticketId,
      reason: '漏水三天未处理，居民多次投诉',
    });
    expect(blown.status).toBe(201);
    expect(blown.body).toMatchObject({ level: 'community', ticketId, state: 'awaiting_report' });
    expect(blown.body.responders).toHaveLength(1);
    expect(blown.body.responders[0]).toMatchObject({
      kind: 'property_company',
      id: fx.accounts.property.propertyCompanyId,
      reportedAt: null,
      late: false,
    });
    expect(Date.parse(blown.body.reportDueAt) - Date.parse(blown.body.blownAt)).toBe(2 * 3600_000);
    expect(Date.parse(blown.body.resolveDueAt) - Date.parse(blown.body.blownAt)).toBe(
      72 * 3600_000,
    );
    const id = blown.body.id;
    // The ticket shows it, the lists mark it, the responder sees it, another company does not.
    const ticket = await call(t.app, 'GET', `/api/tickets/${ticketId}`, { cookie: as.community });
    expect(ticket.body.whistles.map((w: any) => w.id)).toContain(id);
    const whistled = await call(t.app, 'GET', `/api/tickets/list?whistled=true&limit=500`, {
      cookie: as.community,
    });
    expect(whistled.body.items.some((r: any) => r.id === ticketId && r.whistled)).toBe(true);
    expect(
      (await call(t.app, 'GET', `/api/whistles/${id}`, { cookie: as.property })).body.actions,
    ).toEqual(['report_in']);
    expect((await call(t.app, 'GET', `/api/whistles/${id}`, { cookie: as.property2 })).status).toBe(
      404,
    );
    expect(
      (await call(t.app, 'GET', `/api/whistles/${id}`, { cookie: as.community2 })).status,
    ).toBe(404);
    expect((await post('property2', `/api/whistles/${id}/report-in`, {})).status).toBe(404);
    const reported = await post('property', `/api/whistles/${id}/report-in`, {
      note: '维修班组已到场',
    });
    expect(reported.status).toBe(200);
    expect(reported.body.state).toBe('in_progress');
    expect(reported.body.responders[0]).toMatchObject({ late: false, note: '维修班组已到场' });
    expect((await post('property', `/api/whistles/${id}/report-in`, {})).status).toBe(409);
    expect(
      (await post('property', `/api/whistles/${id}/resolve`, { resolution: 'x' })).status,
    ).toBe(403);
    const resolved = await post('community', `/api/whistles/${id}/resolve`, {
      resolution: '水箱已更换',
    });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolution: '水箱已更换' });
    expect(
      (await post('community', `/api/whistles/${id}/resolve`, { resolution: 'again' })).status,
    ).toBe(409);
  });

  it('counts a late report-in against the responder and shows it in the KPIs', async () => {
    const ticketId = await stuckTicket();
    const { body: w } = await post('community', '/api/whistles', { ticketId, reason: '无人响应' });
    const area = fx.accounts.community.areaId;
    const kpis = async () => (await call(t.app, 'GET', `/api/areas/${area}`)).body.kpis.whistles;
    const before = await kpis();
    expect(before.open).toBeGreaterThan(0);
    await sql`UPDATE whistles SET blown_at = now() - interval '5 hours', report_due_at = now() - interval '3 hours'
      WHERE id = ${w.id}`.execute(t.db.kysely);
    t.app.cache.clear();
    const late = await call(t.app, 'GET', `/api/whistles?state=late`, { cookie: as.community });
    expect(late.body.items.find((x: any) => x.id === w.id)?.state).toBe('report_late');
    const after = await post('property', `/api/whistles/${w.id}/report-in`, { note: '迟到报到' });
    expect(after.body.responders[0].late).toBe(true);
    t.app.cache.clear();
    expect((await kpis()).lateReportIns).toBeGreaterThanOrEqual(before.lateReportIns);
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM whistle_report_ins ri JOIN whistles w ON w.id = ri.whistle_id
      WHERE ri.property_company_id = ${fx.accounts.property.propertyCompanyId} AND ri.reported_at > w.report_due_at`.execute(
      t.db.kysely,
    );
    expect(r.rows[0]!.n).toBeGreaterThan(0);
  });

  it('refuses what the rules do not allow, writing nothing', async () => {
    const before = [await count(t.db, 'whistles'), await count(t.db, 'audit_log')];
    const ticketId = await stuckTicket();
    const mid = [await count(t.db, 'whistles'), await count(t.db, 'audit_log')];
    expect(mid[0]).toBe(before[0]);
    const cases: [string, unknown, number, RegExp][] = [
      ['community', { reason: '没有对象' }, 400, /ticketId.*compoundId/],
      [
        'community',
        { ticketId, compoundId: fx.companyCompound.id, reason: '两个都给' },
        400,
        /exactly one/,
      ],
      ['community', { ticketId }, 400, /reason/],
      ['community', { ticketId, reason: '部门', departmentIds: [1] }, 400, /subdistrict/],
      [
        'community',
        { compoundId: fx.otherCommunity.id, reason: '别人的小区' },
        403,
        /outside your area/,
      ],
      ['community', { ticketId, reason: '太久', reportHours: 100 }, 400, /reportHours/],
      ['subdistrict', { ticketId, reason: '没有部门' }, 400, /departmentIds/],
      [
        'subdistrict',
        { ticketId, reason: '不存在的部门', departmentIds: [99999] },
        400,
        /no department 99999/,
      ],
      ['property', { ticketId, reason: '物业不能吹哨' }, 403, /may not/],
      ['planner', { ticketId, reason: '规划不能吹哨' }, 403, /may not/],
    ];
    if (fx.noCompany)
      cases.push(['community', { compoundId: fx.noCompany.id, reason: '无物业' }, 400, /无物业/]);
    for (const [who, body, status, message] of cases) {
      const res = await post(who, '/api/whistles', body);
      expect(res.status, `${who} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(
        status,
      );
      expect(res.body.error.message).toMatch(message);
    }
    expect([await count(t.db, 'whistles'), await count(t.db, 'audit_log')]).toEqual(mid);
  });
});

describe('街道吹哨、部门报到', () => {
  it('whistles departments, each reports in for itself; arcs know both ends', async () => {
    const ticketId = await stuckTicket();
    const ids = [fx.accounts.department.departmentId!, fx.accounts.department2.departmentId!];
    const { status, body } = await post('subdistrict', '/api/whistles', {
      ticketId,
      reason: '涉及多个部门的管网改造',
      departmentIds: ids,
      reportHours: 4,
      resolveHours: 240,
    });
    expect(status).toBe(201);
    expect(body.level).toBe('subdistrict');
    expect(body.responders.map((r: any) => r.id).sort()).toEqual([...ids].sort());
    expect(body.position).toHaveLength(2);
    for (const r of body.responders) expect(r.office).toHaveLength(2);
    const one = await post('department', `/api/whistles/${body.id}/report-in`, {});
    expect(one.body.state).toBe('awaiting_report'); // the other department has not reported in
    const both = await post('department2', `/api/whistles/${body.id}/report-in`, {});
    expect(both.body.state).toBe('in_progress');
    expect(
      (await post('community', `/api/whistles/${body.id}/resolve`, { resolution: 'x' })).status,
    ).toBe(403);
    const list = await call(t.app, 'GET', '/api/whistles?state=all&limit=2000', {
      cookie: as.department,
    });
    expect(list.body.items.some((w: any) => w.id === body.id)).toBe(true);
    for (const w of list.body.items) {
      expect(w.responders.some((r: any) => r.kind === 'department' && r.id === ids[0])).toBe(true);
    }
  });

  it('closing the ticket resolves its open whistles', async () => {
    const ticketId = await stuckTicket();
    const { body: w } = await post('community', '/api/whistles', { ticketId, reason: '催办' });
    await post('property', `/api/tickets/${ticketId}/transitions`, { action: 'accept' });
    await post('property', `/api/tickets/${ticketId}/transitions`, {
      action: 'resolve',
      note: '已修复',
    });
    await post('community', `/api/tickets/${ticketId}/transitions`, {
      action: 'close',
      satisfaction: 5,
    });
    const after = await call(t.app, 'GET', `/api/whistles/${w.id}`, { cookie: as.community });
    expect(after.body.state).toBe('resolved');
  });
});
