/**
 * Display credentials (大屏授权): the city issues a key for an unattended wall, the wall trades it
 * for a cookie and reads the wall's aggregates with it and nothing else; revoking or expiring the
 * key ends that access within seconds in every process; only the key's hash is stored; every
 * issue, revocation and first session from an address is audited.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { Display, DisplayIssued, DisplayList, WallViewerInfo } from '../../server/contract/wall.ts';
import { Displays } from '../../server/services/displays.ts';
import { call, getJson, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'district', 'community', 'planner', 'gridworker'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

async function issue(body: Record<string, unknown> = {}, who = as.city) {
  const res = await call(t.app, 'POST', '/api/displays', {
    cookie: who,
    body: { name: '市指挥中心 主屏', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return DisplayIssued.parse(res.body);
}

/** Adopts a key as a wall would; the Cookie header value of the display cookie. */
async function adopt(key: string, app: { request: typeof t.app.request } = t.app) {
  const res = await app.request('/api/wall/display-session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  expect(res.status, await res.clone().text()).toBe(204);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, res };
}

async function auditRows(action: string, entityId: number) {
  const r = await sql<{ actor: string; role: string; after: any; before: any }>`
    SELECT actor, role, after, before FROM audit_log
    WHERE entity = 'display' AND entity_id = ${String(entityId)} AND action = ${action}
    ORDER BY id`.execute(t.db.kysely);
  return r.rows;
}

describe('issuing a display key', () => {
  it('gives the key once, with the wall link, and stores only its hash', async () => {
    const issued = await issue({ expiresInDays: 30 });
    expect(issued.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.url).toBe(`/wall#key=${issued.key}`);
    expect(issued.display).toMatchObject({
      name: '市指挥中心 主屏',
      playlistId: null,
      status: 'active',
      revokedAt: null,
      lastSeenAt: null,
    });
    const days = (Date.parse(issued.display.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const row = await sql<Record<string, unknown>>`SELECT * FROM display_credentials
      WHERE id = ${issued.display.id}`.execute(t.db.kysely);
    expect(row.rows[0]!.token_hash).toBe(sha256(issued.key));
    expect(JSON.stringify(row.rows)).not.toContain(issued.key);
    // The city's list and the audit log never show the key or its hash.
    const list = await call(t.app, 'GET', '/api/displays', { cookie: as.city });
    expect(JSON.stringify(list.body)).not.toContain(issued.key);
    expect(JSON.stringify(list.body)).not.toContain(sha256(issued.key));
    const audit = await auditRows('display.issue', issued.display.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'city', role: 'city' });
    expect(audit[0]!.after).toMatchObject({ name: '市指挥中心 主屏', status: 'active' });
    expect(JSON.stringify(audit)).not.toContain(issued.key);
    expect(JSON.stringify(audit)).not.toContain(sha256(issued.key));
  });

  it('lists the keys newest first, with who issued and revoked them', async () => {
    const a = await issue({ name: '七里河区 分屏' });
    const b = await issue({ name: '西固区 分屏' });
    await call(t.app, 'POST', `/api/displays/${a.display.id}/revoke`, { cookie: as.city });
    const res = await getJson(t.app, '/api/displays', as.city);
    expect(res.status).toBe(200);
    const list = DisplayList.parse(res.body);
    const ids = list.items.map((d) => d.id);
    expect(ids.indexOf(b.display.id)).toBeLessThan(ids.indexOf(a.display.id));
    for (let i = 1; i < list.items.length; i++)
      expect(Date.parse(list.items[i]!.createdAt)).toBeLessThanOrEqual(
        Date.parse(list.items[i - 1]!.createdAt),
      );
    const city = await sql<{ n: string }>`SELECT display_name AS n FROM accounts
      WHERE username = 'city'`.execute(t.db.kysely);
    const revoked = list.items.find((d) => d.id === a.display.id)!;
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: city.rows[0]!.n });
    expect(revoked.revokedAt).not.toBeNull();
    expect(list.items.find((d) => d.id === b.display.id)).toMatchObject({
      status: 'active',
      createdBy: city.rows[0]!.n,
      revokedBy: null,
    });
  });

  it('takes a playlist that exists', async () => {
    const p = await sql<{ id: number }>`INSERT INTO wall_playlists (name, scenes)
      VALUES (${'大屏测试轮播 ' + Date.now()},
        '[{"id":"city","kind":"city","areaId":null,"dwellSeconds":30,"title":null}]'::jsonb)
      RETURNING id`.execute(t.db.kysely);
    const issued = await issue({ playlistId: p.rows[0]!.id });
    expect(issued.display.playlistId).toBe(p.rows[0]!.id);
    const { cookie } = await adopt(issued.key);
    const viewer = await getJson(t.app, '/api/wall/viewer', cookie);
    expect(WallViewerInfo.parse(viewer.body)).toEqual({
      kind: 'display',
      name: '市指挥中心 主屏',
      playlistId: p.rows[0]!.id,
    });
  });

  it('is for the city only', async () => {
    for (const who of ['district', 'community', 'planner', 'gridworker']) {
      const post = await call(t.app, 'POST', '/api/displays', {
        cookie: as[who],
        body: { name: '非法大屏' },
      });
      expect(post.status, who).toBe(403);
      expect((await getJson(t.app, '/api/displays', as[who])).status, who).toBe(403);
    }
    expect((await call(t.app, 'POST', '/api/displays', { body: { name: 'x' } })).status).toBe(401);
    expect((await getJson(t.app, '/api/displays')).status).toBe(401);
    const { display } = await issue();
    const url = `/api/displays/${display.id}/revoke`;
    expect((await call(t.app, 'POST', url, { cookie: as.district })).status).toBe(403);
    expect((await call(t.app, 'POST', url)).status).toBe(401);
    const still = await getJson(t.app, '/api/displays', as.city);
    expect(still.body.items.find((d: Display) => d.id === display.id).status).toBe('active');
  });

  it('refuses bad input with a 400 naming the field, and an unknown id with a 404', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: '屏'.repeat(61) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: null }, 'name'],
      [{ name: 'ok', playlistId: 'one' }, 'playlistId'],
      [{ name: 'ok', playlistId: 1.5 }, 'playlistId'],
      [{ name: 'ok', playlistId: -3 }, 'playlistId'],
      [{ name: 'ok', playlistId: 1e12 }, 'playlistId'],
      [{ name: 'ok', playlistId: 2_000_000_000 }, 'playlistId'],
      [{ name: 'ok', expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 3651 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: '7' }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 2.5 }, 'expiresInDays'],
      [{ name: 'ok', key: 'mine' }, 'request'],
    ];
    for (const [body, field] of bad) {
      const res = await call(t.app, 'POST', '/api/displays', { cookie: as.city, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field !== 'request') expect(res.body.error.field, JSON.stringify(body)).toBe(field);
      expect(res.body.error.message).toBeTruthy();
    }
    const notJson = await t.app.request('/api/displays', {
      method: 'POST',
      headers: { cookie: as.city, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(notJson.status).toBe(400);
    const unknown = await call(t.app, 'POST', '/api/displays/999999/revoke', { cookie: as.city });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBe('display_not_found');
    for (const id of ['abc', '0', '-1', '99999999999999'])
      expect(
        (await call(t.app, 'POST', `/api/displays/${id}/revoke`, { cookie: as.city })).status,
        id,
      ).toBe(400);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM display_credentials
      WHERE name = 'ok'`.execute(t.db.kysely);
    expect(n.rows[0]!.n).toBe(0);
  });
});

describe('a wall with a display key', () => {
  it('adopts the key for an HttpOnly, same-site cookie on the API only', async () => {
    const issued = await issue({ name: '城关区 大屏' });
    const { res } = await adopt(issued.key);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mq_display=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api(;|$)/);
    expect(setCookie).toMatch(/Max-Age=34560000/);
    expect(setCookie).not.toMatch(/Secure/);
    const https = await t.app.request('https://wall.example/api/wall/display-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: issued.key }),
    });
    expect(https.status).toBe(204);
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
    // A key that expires sooner gives a cookie that expires with it.
    const short = await issue({ name: '短期大屏', expiresInDays: 2 });
    const age = Number(
      /Max-Age=(\d+)/.exec((await adopt(short.key)).res.headers.get('set-cookie')!)![1],
    );
    expect(age).toBeGreaterThan(2 * 86_400 - 60);
    expect(age).toBeLessThanOrEqual(2 * 86_400);
  });

  it('reads the wall and says who it is', async () => {
    const issued = await issue({ name: '安宁区 大屏' });
    const { cookie } = await adopt(issued.key);
    expect((await getJson(t.app, '/api/wall/summary', cookie)).status).toBe(200);
    const viewer = await getJson(t.app, '/api/wall/viewer', cookie);
    expect(viewer.status).toBe(200);
    expect(WallViewerInfo.parse(viewer.body)).toEqual({
      kind: 'display',
      name: '安宁区 大屏',
      playlistId: null,
    });
  });

  it('reads nothing but the wall: every other endpoint answers it as the public', async () => {
    const issued = await issue({ name: '只读大屏' });
    const { cookie } = await adopt(issued.key);
    const ticket = await sql<{ id: number }>`SELECT id FROM tickets ORDER BY id LIMIT 1`.execute(
      t.db.kysely,
    );
    const tid = ticket.rows[0]!.id;
    const reads = [
      '/api/tickets',
      `/api/tickets/${tid}`,
      '/api/hazards',
      '/api/whistles',
      '/api/accounts',
      '/api/audit',
      '/api/analytics/hotspots',
      '/api/patrols',
      '/api/displays',
    ];
    for (const url of reads) {
      const res = await getJson(t.app, url, cookie);
      expect([401, 403], `${url}: ${res.status}`).toContain(res.status);
      // The same answer the public gets: the cookie adds nothing.
      expect((await getJson(t.app, url)).status, url).toBe(res.status);
    }
    const session = await getJson(t.app, '/api/session', cookie);
    expect(session.body).toEqual({ account: null });
    const writes: [string, string, unknown][] = [
      [
        'POST',
        '/api/tickets',
        { category: 'parking', title: '大屏不能报事', position: [103.8, 36.06] },
      ],
      ['POST', '/api/displays', { name: '大屏自己发钥匙' }],
      ['POST', `/api/displays/${issued.display.id}/revoke`, undefined],
      ['POST', `/api/tickets/${tid}/transitions`, { action: 'accept' }],
      ['POST', '/api/accounts/me/password', { currentPassword: 'x', newPassword: 'y' }],
    ];
    for (const [method, url, body] of writes) {
      const res = await call(t.app, method, url, { cookie, body });
      expect([401, 403], `${method} ${url}: ${res.status}`).toContain(res.status);
    }
    const still = await getJson(t.app, '/api/displays', as.city);
    expect(still.body.items.find((d: Display) => d.id === issued.display.id).status).toBe('active');
    // What the wall itself reads carries no person's name or phone.
    const summary = await t.app.request('/api/wall/summary', { headers: { cookie } });
    const text = await summary.text();
    expect(summary.status).toBe(200);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    const names = await sql<{ n: string }>`SELECT display_name AS n FROM accounts`.execute(
      t.db.kysely,
    );
    for (const { n } of names.rows) expect(text).not.toContain(n);
  });

  it('refuses a wrong key with a message a person can act on', async () => {
    for (const key of ['not-a-key', 'A'.repeat(43), 'x'.repeat(150)]) {
      const res = await call(t.app, 'POST', '/api/wall/display-session', { body: { key } });
      expect(res.status, key).toBe(401);
      expect(res.body.error.reason).toBe('display_key_invalid');
      expect(res.body.error.message).toMatch(/revoked|expired/);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    for (const body of [{}, { key: '' }, { key: 42 }, { key: 'x'.repeat(201) }]) {
      const res = await call(t.app, 'POST', '/api/wall/display-session', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe('key');
    }
    // A made-up cookie is no display (and no failure either).
    for (const value of ['forged', 'y'.repeat(4000)]) {
      const res = await getJson(t.app, '/api/wall/summary', `mq_display=${value}`);
      expect(res.status).toBe(401);
    }
  });

  it('forgets the key on DELETE /api/wall/display-session', async () => {
    const res = await t.app.request('/api/wall/display-session', { method: 'DELETE' });
    expect(res.status).toBe(204);
    const cleared = res.headers.get('set-cookie')!;
    expect(cleared).toMatch(/^mq_display=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/Path=\/api/);
  });

  it('audits the first session from each address, once', async () => {
    const issued = await issue({ name: '审计大屏' });
    await adopt(issued.key);
    await adopt(issued.key);
    const rows = await auditRows('display.session', issued.display.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: `display:${issued.display.id}`,
      role: 'display',
      after: { name: '审计大屏', address: 'local' },
    });
    // The list shows when the wall was last seen.
    const list = await getJson(t.app, '/api/displays', as.city);
    const d = list.body.items.find((x: Display) => x.id === issued.display.id);
    expect(Date.now() - Date.parse(d.lastSeenAt)).toBeLessThan(60_000);
  });

  it('records its use at most once a minute, in any process', async () => {
    const issued = await issue({ name: '心跳大屏' });
    const { cookie } = await adopt(issued.key);
    const key = cookie.split('=')[1]!;
    const seen = async () =>
      (
        await sql<{ at: Date; address: string }>`SELECT last_seen_at AS at,
          last_seen_address AS address FROM display_credentials
          WHERE id = ${issued.display.id}`.execute(t.db.kysely)
      ).rows[0]!;
    // Another process (a fresh Displays) seeing the wall 30 s after the last record writes nothing.
    await sql`UPDATE display_credentials SET last_seen_at = now() - interval '30 seconds'
      WHERE id = ${issued.display.id}`.execute(t.db.kysely);
    const before = await seen();
    expect(await new Displays(t.db).resolve(key, 'local')).not.toBeNull();
    expect((await seen()).at.getTime()).toBe(new Date(before.at).getTime());
    // From another address, or two minutes later, it does.
    await new Displays(t.db).resolve(key, '10.0.0.9');
    expect((await seen()).address).toBe('10.0.0.9');
    await sql`UPDATE display_credentials SET last_seen_at = now() - interval '2 minutes'
      WHERE id = ${issued.display.id}`.execute(t.db.kysely);
    await new Displays(t.db).resolve(key, '10.0.0.9');
    expect(Date.now() - new Date((await seen()).at).getTime()).toBeLessThan(10_000);
  });
});

describe('revocation and expiry', () => {
  it('ends the wall’s access within seconds, in every process, and is audited once', async () => {
    // A second app on the same database stands for another server process with its own cache.
    const other = createApp({ db: t.db, config: loadConfig({}) });
    try {
      const issued = await issue({ name: '撤销测试大屏' });
      const { cookie } = await adopt(issued.key);
      expect((await getJson(other, '/api/wall/summary', cookie)).status).toBe(200);
      expect((await getJson(t.app, '/api/wall/summary', cookie)).status).toBe(200);
      const revoked = await call(t.app, 'POST', `/api/displays/${issued.display.id}/revoke`, {
        cookie: as.city,
      });
      expect(revoked.status).toBe(200);
      expect(Display.parse(revoked.body).status).toBe('revoked');
      const at = Date.now();
      // This process forgets it at once; the other within its 2 s cache.
      expect((await getJson(t.app, '/api/wall/summary', cookie)).status).toBe(401);
      await expect
        .poll(async () => (await getJson(other, '/api/wall/summary', cookie)).status, {
          timeout: 3_000,
          interval: 100,
        })
        .toBe(401);
      expect(Date.now() - at).toBeLessThan(3_000);
      const res = await getJson(other, '/api/wall/summary', cookie);
      expect(res.status).toBe(401);
      // The key cannot be adopted again, anywhere.
      const again = await call(other, 'POST', '/api/wall/display-session', {
        body: { key: issued.key },
      });
      expect(again.status).toBe(401);
      // Revoking twice changes nothing and audits nothing more.
      const twice = await call(t.app, 'POST', `/api/displays/${issued.display.id}/revoke`, {
        cookie: as.city,
      });
      expect(twice.status).toBe(200);
      expect(twice.body.revokedAt).toBe(revoked.body.revokedAt);
      const audit = await auditRows('display.revoke', issued.display.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: 'city',
        before: { status: 'active' },
        after: { status: 'revoked' },
      });
    } finally {
      await other.close();
    }
  });

  it('tells the live stream the key is gone (stillValid)', async () => {
    const displays = new Displays(t.db, { cacheMs: 200 });
    const issued = await issue({ name: '流检查大屏' });
    const principal = await displays.resolve(issued.key);
    expect(principal).toMatchObject({ id: issued.display.id, name: '流检查大屏' });
    expect(await displays.stillValid(principal!)).toBe(true);
    await call(t.app, 'POST', `/api/displays/${issued.display.id}/revoke`, { cookie: as.city });
    await expect.poll(() => displays.stillValid(principal!), { timeout: 3_000 }).toBe(false);
  });

  it('refuses an expired key', async () => {
    const other = createApp({ db: t.db, config: loadConfig({}) });
    try {
      const issued = await issue({ name: '过期大屏', expiresInDays: 1 });
      const { cookie } = await adopt(issued.key);
      expect((await getJson(other, '/api/wall/summary', cookie)).status).toBe(200);
      await sql`UPDATE display_credentials SET expires_at = now() - interval '1 second'
        WHERE id = ${issued.display.id}`.execute(t.db.kysely);
      await expect
        .poll(async () => (await getJson(other, '/api/wall/summary', cookie)).status, {
          timeout: 3_000,
          interval: 100,
        })
        .toBe(401);
      const again = await call(other, 'POST', '/api/wall/display-session', {
        body: { key: issued.key },
      });
      expect(again.status).toBe(401);
      const list = await getJson(t.app, '/api/displays', as.city);
      expect(list.body.items.find((d: Display) => d.id === issued.display.id).status).toBe(
        'expired',
      );
    } finally {
      await other.close();
    }
  });
});

describe('GET /api/wall/viewer', () => {
  it('names an account that reads the wall, and refuses the others', async () => {
    const city = await getJson(t.app, '/api/wall/viewer', as.city);
    expect(city.status).toBe(200);
    expect(WallViewerInfo.parse(city.body)).toMatchObject({ kind: 'account', playlistId: null });
    expect((await getJson(t.app, '/api/wall/viewer', as.district)).status).toBe(200);
    expect((await getJson(t.app, '/api/wall/viewer', as.community)).status).toBe(403);
    expect((await getJson(t.app, '/api/wall/viewer')).status).toBe(401);
  });
});
