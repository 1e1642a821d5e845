import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DEMO_PASSWORD, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const signInRaw = (username: string, password: string) =>
  call(t.app, 'POST', '/api/session', { body: { username, password } });

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

  it('ignores forged or stale cookies', async () => {
    const res = await call(t.app, 'GET', '/api/tickets/list', {
      cookie: 'mq_session=forged-token',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
