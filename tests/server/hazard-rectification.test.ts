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
  for (const u of ['community', 'gridworker', 'property', 'property2', 'department'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (who: string, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: as[who], body });
const step = (who: string, id: number, body: Record<string, unknown>) =>
  post(who, `/api/hazards/${id}/transitions`, body);

describe('隐患排查: report, rectify, verify', () => {
  it('runs from report to verification with a timeline, the deadline set by severity', async () => {
    const { status, body } = await post('community', '/api/hazards', {
      type: 'fire',
      severity: 'high',
      description: '楼道堆放电动车，占用消防通道',
      position: fx.companyCompound.label,
      photoRef: 'IMG_20261126_0915.jpg',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'reported',
      compoundId: fx.companyCompound.id,
      overdue: false,
    });
    expect(body.code).toMatch(/^H\d{8}\d{4}$/);
    expect(Date.parse(body.dueAt) - Date.parse(body.reportedAt)).toBe(3 * 86400_000);
    // The compound's property company rectifies it.
    expect(
      (await call(t.app, 'GET', `/api/hazards/${body.id}`, { cookie: as.property })).body.actions,
    ).toEqual(['start']);
    expect((await step('property2', body.id, { action: 'start' })).status).toBe(404);
    expect((await step('property', body.id, { action: 'verify' })).status).toBe(409);
    expect((await step('property', body.id, { action: 'start' })).body.status).toBe('rectifying');
    const noNote = await step('property', body.id, { action: 'rectify' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.message).toMatch(/note/);
    const done = await step('property', body.id, {
      action: 'rectify',
      note: '已清理并张贴告示',
      photoRef: 'IMG_after.jpg',
    });
    expect(done.body.status).toBe('rectified');
    expect(done.body.rectifiedAt).not.toBeNull();
    expect((await step('property', body.id, { action: 'verify' })).status).toBe(403);
    const rejected = await step('community', body.id, { action: 'reject', note: '仍有两辆电动车' });
    expect(rejected.body.status).toBe('rectifying');
    expect(rejected.body.rectifiedAt).toBeNull();
    await step('property', body.id, { action: 'rectify', note: '全部清理' });
    const verified = await step('community', body.id, { action: 'verify' });
    expect(verified.body.status).toBe('verified');
    expect(verified.body.events.map((e: any) => e.status)).toEqual([
      'reported',
      'rectifying',
      'rectified',
      'rectifying',
      'rectified',
      'verified',
    ]);
    expect(verified.body.events[2].photoRef).toBe('IMG_after.jpg');
  });

  it('does not let the account that rectified verify its own work', async () => {
    const { body } = await post('community', '/api/hazards', {
      type: 'structural',
      severity: 'low',
      description: '外墙瓷砖松动',
      position: fx.gridCompound.label,
    });
    expect(Date.parse(body.dueAt) - Date.parse(body.reportedAt)).toBe(15 * 86400_000);
    await step('community', body.id, { action: 'start' });
    await step('community', body.id, { action: 'rectify', note: '已铲除松动瓷砖' });
    const own = await step('community', body.id, { action: 'verify' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/rectified/);
    // The housing bureau answers for structural hazards and sees this one.
    expect(
      (await call(t.app, 'GET', `/api/hazards/${body.id}`, { cookie: as.department })).status,
    ).toBe(200);
  });

  it('refuses bad reports with a 400 naming the field, and writes nothing', async () => {
    const before = [await count(t.db, 'hazards'), await count(t.db, 'audit_log')];
    const ok = {
      type: 'gas',
      severity: 'critical',
      description: '燃气表漏气',
      position: fx.gridCompound.label,
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...ok, type: 'ghost' }, /type/],
      [{ ...ok, severity: undefined }, /severity/],
      [{ ...ok, position: [116.4, 39.9] }, /not inside any grid of Lanzhou/],
      [{ ...ok, dueAt: '2020-01-01' }, /dueAt/],
      [{ ...ok, description: '' }, /description/],
    ];
    for (const [body, message] of cases) {
      const res = await post('gridworker', '/api/hazards', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await post('property', '/api/hazards', ok)).status).toBe(403);
    expect([await count(t.db, 'hazards'), await count(t.db, 'audit_log')]).toEqual(before);
  });

  it('lists hazards of an area, overdue ones filterable', async () => {
    const area = fx.accounts.community.areaId;
    const list = await call(
      t.app,
      'GET',
      `/api/hazards/list?area=${area}&sort=severity&order=desc`,
      { cookie: as.community },
    );
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const ranks = list.body.items.map((h: any) =>
      ['low', 'medium', 'high', 'critical'].indexOf(h.severity),
    );
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    // At least one open hazard past its deadline, whatever day the tests run on.
    const late = await post('gridworker', '/api/hazards', {
      type: 'electrical',
      severity: 'high',
      description: '楼道配电箱老化',
      position: fx.gridCompound.label,
    });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    await sql`UPDATE hazards SET reported_at = now() - interval '10 days',
      due_at = now() - interval '1 day' WHERE id = ${late.body.id}`.execute(t.db.kysely);
    const overdue = await call(
      t.app,
      'GET',
      `/api/hazards/list?area=${area}&overdue=true&limit=500`,
      { cookie: as.community },
    );
    expect(overdue.body.items.some((h: any) => h.id === late.body.id)).toBe(true);
    expect(overdue.body.items.every((h: any) => h.overdue)).toBe(true);
  });
});
