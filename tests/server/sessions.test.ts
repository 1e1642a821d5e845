import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { call, DEMO_PASSWORD, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  // Failures live in the database, which the PostgreSQL run shares between test files.
  await sql`DELETE FROM sign_in_failures`.execute(t.db.kysely);
  await t.app.close();
  await t.db.close();
});

/** A sign-in from one client address (the socket's, as the Node server reports it). */
const signInRaw = async (username: string, password: string) => {
  const res = await t.app.request(
    '/api/session',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    },
    { incoming: { socket: { remoteAddress: '203.0.113.1' } } },
  );
  return { status: res.status, body: await res.json(), headers: res.headers };
};

describe('sessions', () => {
  it('signs in with a password into an HttpOnly cookie and says who is signed in', async () => {
    const res = await signInRaw('community', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mq_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.body.account).toMatchObject({
      username: 'community',
      role: 'community',
      scope: { kind: 'area', level: 'community' },
    });
    expect(res.body.account.can).toContain('whistles.blow');
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/);
    const me = await call(t.app, 'GET', '/api/session', { cookie: cookie.split(';')[0] });
    expect(me.body.account.username).toBe('community');
    expect((await call(t.app, 'GET', '/api/session')).body).toEqual({ account: null });
  });

  it('refuses a wrong password or user the same way, and slows down guessing', async () => {
    const wrong = await signInRaw('district', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Wrong username or password.');
    expect((await signInRaw('nobody', 'x')).body.error.message).toBe('Wrong username or password.');
    for (let i = 0; i < 5; i++) await signInRaw('district2', 'guess');
    const locked = await signInRaw('district2', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/try again in/);
    expect((await signInRaw('district', DEMO_PASSWORD)).status).toBe(200);
  });

  it('ends the session on sign-out', async () => {
    const cookie = await signIn(t.app, 'gridworker');
    expect((await call(t.app, 'GET', '/api/tickets/list?limit=1', { cookie })).status).toBe(200);
    const out = await t.app.request('/api/session', { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/mq_session=;/);
    expect((await call(t.app, 'GET', '/api/tickets/list?limit=1', { cookie })).status).toBe(401);
    expect((await call(t.app, 'GET', '/api/session', { cookie })).body.account).toBeNull();
  });

  it('sends the cookie again when the session slides, so the browser keeps it as long', async () => {
    const cookie = await signIn(t.app, 'department');
    // An hour and more later: the server moves the expiry and the cookie must follow.
    await sql`UPDATE sessions SET expires_at = now() + interval '10 hours'
      WHERE account_id = (SELECT id FROM accounts WHERE username = 'department')`.execute(
      t.db.kysely,
    );
    // A second process, whose cache has not seen the session yet.
    const other = createApp({ db: t.db, config: loadConfig({}) });
    try {
      const res = await other.request('/api/session', { headers: { cookie } });
      expect((await res.json()).account.username).toBe('department');
      const again = res.headers.get('set-cookie') ?? '';
      expect(again.split(';')[0]).toBe(cookie);
      expect(again).toMatch(/Max-Age=43200/);
      expect(again).toMatch(/HttpOnly/);
      // Within the hour nothing is re-sent.
      const next = await other.request('/api/session', { headers: { cookie } });
      expect(next.headers.get('set-cookie')).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('ignores forged or stale cookies', async () => {
    const res = await call(t.app, 'GET', '/api/tickets/list', {
      cookie: 'mq_session=forged-token',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
