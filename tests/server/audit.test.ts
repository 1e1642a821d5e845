import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestApp, signIn } from './test-db.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'property']) as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const post = (who: string, url: string, body: unknown) =>
  call(t.app, 'POST', url, { cookie: as[who], body });

describe('audit log', () => {
  it('records every write with actor, before and after, filterable by area and actor', async () => {
    const { body: ticket } = await post('community', '/api/tickets', {
      category: 'parking',
      title: '审计测试',
      position: fx.companyCompound.label,
    });
    await post('community', `/api/tickets/${ticket.id}/transitions`, { action: 'dispatch' });
    await post('property', `/api/tickets/${ticket.id}/transitions`, { action: 'accept' });
    const log = await call(t.app, 'GET', `/api/audit?entity=ticket&limit=1000`, {
      cookie: as.city,
    });
    const rows = log.body.items.filter((r: any) => r.entityId === String(ticket.id));
    expect(rows.map((r: any) => r.action)).toEqual([
      'ticket.accept',
      'ticket.dispatch',
      'ticket.create',
    ]);
    expect(rows.map((r: any) => r.actor)).toEqual(['property', 'community', 'community']);
    const accept = rows[0];
    expect(accept.before.status).toBe('dispatched');
    expect(accept.after.status).toBe('accepted');
    expect(rows[2].before).toBeNull();
    // By area: the ticket's community finds it, another community does not.
    const inArea = await call(
      t.app,
      'GET',
      `/api/audit?area=${fx.accounts.community.areaId}&limit=1000`,
      { cookie: as.city },
    );
    expect(inArea.body.items.some((r: any) => r.entityId === String(ticket.id))).toBe(true);
    const elsewhere = await call(
      t.app,
      'GET',
      `/api/audit?area=${fx.accounts.community2.areaId}&limit=1000`,
      { cookie: as.city },
    );
    expect(elsewhere.body.items.some((r: any) => r.entityId === String(ticket.id))).toBe(false);
    const byActor = await call(t.app, 'GET', '/api/audit?actor=property&limit=1000', {
      cookie: as.city,
    });
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((r: any) => r.actor === 'property')).toBe(true);
    // Sign-ins are writes too.
    expect(byActor.body.items.some((r: any) => r.action === 'session.create')).toBe(true);
  });

  it('pages with `before`', async () => {
    const first = await call(t.app, 'GET', '/api/audit?limit=2', { cookie: as.city });
    expect(first.body.items).toHaveLength(2);
    const next = await call(t.app, 'GET', `/api/audit?limit=2&before=${first.body.nextBefore}`, {
      cookie: as.city,
    });
    expect(next.body.items.length).toBeGreaterThan(0);
    for (const r of next.body.items) expect(r.id).toBeLessThan(first.body.items[1].id);
  });

  it('cannot be changed or deleted, even by the database owner', async () => {
    await expect(
      sql`UPDATE audit_log SET actor = 'someone else'`.execute(t.db.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
  });
});
