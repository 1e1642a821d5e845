import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestApp, signIn } from './test-db.ts';
import { openSse } from './sse.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'community2', 'property', 'planner'])
    as[u] = await signIn(t.app, u);
  await t.app.hub.start();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

/** Reads server-sent events from a streaming response until `until` says stop or time runs out. */
function subscribe(cookie: string) {
  return openSse(t.app, '/api/events', cookie);
}

describe('live events (SSE)', () => {
  it('refuses the public', async () => {
    expect((await t.app.request('/api/events')).status).toBe(401);
  });

  it('delivers a new ticket to subscribers who may see it, and not to another area', async () => {
    const mine = await subscribe(as.community!);
    const city = await subscribe(as.city!);
    const other = await subscribe(as.community2!);
    const planner = await subscribe(as.planner!);
    try {
      expect(await mine.waitFor((e) => e.event === 'ready')).toBeDefined();
      expect(await other.waitFor((e) => e.event === 'ready')).toBeDefined();
      const { body } = await call(t.app, 'POST', '/api/tickets', {
        cookie: as.community,
        body: {
          category: 'sanitation',
          title: '垃圾清运不及时',
          position: fx.companyCompound.label,
        },
      });
      const got = await mine.waitFor((e) => e.event === 'ticket' && e.data.id === body.id);
      expect(got?.data).toMatchObject({
        kind: 'ticket',
        op: 'created',
        status: 'received',
        code: body.code,
      });
      expect(got?.data.position).toEqual(fx.companyCompound.label);
      expect(got?.data.audience).toBeUndefined();
      expect(
        await city.waitFor((e) => e.event === 'ticket' && e.data.id === body.id),
      ).toBeDefined();
      // A transition is an update event; the company hears of it once dispatched to it.
      const company = await subscribe(as.property!);
      await company.waitFor((e) => e.event === 'ready');
      await call(t.app, 'POST', `/api/tickets/${body.id}/transitions`, {
        cookie: as.community,
        body: { action: 'dispatch' },
      });
      const upd = await mine.waitFor(
        (e) => e.data.id === body.id && e.data.status === 'dispatched',
      );
      expect(upd?.data.op).toBe('updated');
      expect(
        await company.waitFor((e) => e.data.id === body.id && e.data.status === 'dispatched'),
      ).toBeDefined();
      await company.close();
      // Give a stray delivery time to arrive before asserting it did not.
      await new Promise((r) => setTimeout(r, 500));
      expect(other.events.filter((e) => e.event === 'ticket')).toEqual([]);
      expect(planner.events.filter((e) => e.event === 'ticket')).toEqual([]);
    } finally {
      await Promise.all([mine.close(), city.close(), other.close(), planner.close()]);
    }
  });

  it('closes the stream of a session that signs out', async () => {
    const cookie = await signIn(t.app, 'community');
    const keep = await subscribe(as.community!);
    const s = await subscribe(cookie);
    try {
      await s.waitFor((e) => e.event === 'ready');
      await keep.waitFor((e) => e.event === 'ready');
      const out = await t.app.request('/api/session', { method: 'DELETE', headers: { cookie } });
      expect(out.status).toBe(204);
      const end = await s.waitFor((e) => e.event === 'session_ended');
      expect(end?.data).toEqual({ reason: 'signed_out' });
      for (let i = 0; i < 40 && !s.ended; i++) await new Promise((r) => setTimeout(r, 50));
      expect(s.ended).toBe(true);
      // Nothing written afterwards reaches it; the account's other session still hears it.
      const { body } = await call(t.app, 'POST', '/api/tickets', {
        cookie: as.community,
        body: { category: 'sanitation', title: '签退之后', position: fx.companyCompound.label },
      });
      expect(await keep.waitFor((e) => e.data.id === body.id)).toBeDefined();
      expect(s.events.some((e) => e.data.id === body.id)).toBe(false);
      // The browser's reconnect is refused.
      expect((await t.app.request('/api/events', { headers: { cookie } })).status).toBe(401);
    } finally {
      await Promise.all([s.close(), keep.close()]);
    }
  });

  it('stops delivering to a closed stream', async () => {
    const before = t.app.hub.size;
    const s = await subscribe(as.community!);
    await s.waitFor((e) => e.event === 'ready');
    expect(t.app.hub.size).toBe(before + 1);
    await s.close();
    for (let i = 0; i < 40 && t.app.hub.size > before; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(t.app.hub.size).toBe(before);
  });
});
