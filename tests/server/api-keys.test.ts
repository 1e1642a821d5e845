/**
 * API keys (接口密钥): the city issues a key for an account, shown once and stored as a hash; a
 * request with the key (header or query) acts as that account within the key's scopes; a dead
 * key is refused, not read as the public; revoking ends it within seconds; all audited.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyIssued, ApiKeyList } from '../../server/contract/api-keys.ts';
import { handleError } from '../../server/errors.ts';
import { apiKeyMiddleware, sessionMiddleware } from '../../server/middleware.ts';
import { ApiKeys } from '../../server/services/api-keys.ts';
import { Sessions } from '../../server/services/sessions.ts';
import { call, issueApiKey, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};
/** A mount like /ogc's: who does a request act as? */
let probe: Hono;
let keys: ApiKeys;
beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'district', 'planner', 'community']) as[u] = await signIn(t.app, u);
  keys = new ApiKeys(t.db);
  probe = new Hono();
  probe.use('*', sessionMiddleware(new Sessions(t.db)), apiKeyMiddleware(keys, ['read']));
  probe.get('/who', (c) =>
    c.json({ actor: c.var.actor?.username ?? null, key: c.var.apiKey?.name ?? null }),
  );
  probe.onError(handleError);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const who = async (init: { query?: string; headers?: Record<string, string> } = {}) => {
  const r = await probe.request(`/who${init.query ?? ''}`, { headers: init.headers });
  return { status: r.status, body: (await r.json()) as any };
};

describe('issuing an API key', () => {
  it('gives the key once, stores only its hash, lists it without the key, audits it', async () => {
    const res = await call(t.app, 'POST', '/api/api-keys', {
      cookie: as.city,
      body: { name: '规划局 QGIS', username: 'planner', scopes: ['read'], expiresInDays: 90 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const issued = ApiKeyIssued.parse(res.body);
    expect(issued.key).toMatch(/^mq_[\w-]{43}$/);
    expect(issued.apiKey).toMatchObject({
      username: 'planner',
      scopes: ['read'],
      status: 'active',
    });
    expect(issued.key.startsWith(issued.apiKey.prefix)).toBe(true);
    const stored = await sql<{ token_hash: string }>`SELECT token_hash FROM api_keys
      WHERE id = ${issued.apiKey.id}`.execute(t.db.kysely);
    expect(stored.rows[0]!.token_hash).toBe(sha256(issued.key));
    const list = await call(t.app, 'GET', '/api/api-keys', { cookie: as.city });
    expect(list.status).toBe(200);
    const parsed = ApiKeyList.parse(list.body);
    expect(parsed.items[0]!.id).toBe(issued.apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(issued.key);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE entity = 'api_key' AND entity_id = ${String(issued.apiKey.id)}
        AND action = 'api_key.issue'`.execute(t.db.kysely);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('is for the city administrator only, and refuses bad input naming the field', async () => {
    const body = { name: 'x', username: 'planner', scopes: ['read'] };
    expect((await call(t.app, 'POST', '/api/api-keys', { body })).status).toBe(401);
    for (const u of ['district', 'planner', 'community'])
      expect((await call(t.app, 'POST', '/api/api-keys', { cookie: as[u], body })).status, u).toBe(
        403,
      );
    expect((await call(t.app, 'GET', '/api/api-keys', { cookie: as.planner })).status).toBe(403);
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM api_keys`.execute(
      t.db.kysely,
    );
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...body, username: 'nobody-here' }, /username.*no account/],
      [{ ...body, scopes: [] }, /scopes/],
      [{ ...body, scopes: ['write'] }, /scopes/],
      [{ ...body, name: '' }, /name/],
      [{ ...body, name: 'x'.repeat(61) }, /name/],
      [{ ...body, expiresInDays: 0 }, /expiresInDays/],
      [{ ...body, expiresInDays: 1.5 }, /expiresInDays/],
      [{ ...body, extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [b, message] of bad) {
      const r = await call(t.app, 'POST', '/api/api-keys', { cookie: as.city, body: b });
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM api_keys`.execute(
      t.db.kysely,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

describe('a request with a key', () => {
  it('acts as the key’s account, by header or query, and the key wins over a cookie', async () => {
    const { key } = await issueApiKey(t.app, as.city, { username: 'planner', name: 'qgis' });
    expect(await who({ headers: { 'x-api-key': key } })).toEqual({
      status: 200,
      body: { actor: 'planner', key: 'qgis' },
    });
    expect((await who({ query: `?api_key=${encodeURIComponent(key)}` })).body.actor).toBe(
      'planner',
    );
    expect((await who({ headers: { 'x-api-key': key, cookie: as.city } })).body.actor).toBe(
      'planner',
    );
    // No key: the session, or the public.
    expect((await who({ headers: { cookie: as.city } })).body.actor).toBe('city');
    expect((await who()).body).toEqual({ actor: null, key: null });
  });

  it('is refused when unknown, of the wrong scope, revoked or its account disabled', async () => {
    for (const bad of ['mq_nonsense', 'x'.repeat(500)]) {
      const r = await who({ headers: { 'x-api-key': bad } });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toMatch(/unknown, revoked or expired/);
    }
    const open311 = await issueApiKey(t.app, as.city, {
      username: 'community',
      scopes: ['open311'],
    });
    const scoped = await who({ headers: { 'x-api-key': open311.key } });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.message).toMatch(/scope 'read'/);

    const { id, key } = await issueApiKey(t.app, as.city, { username: 'district' });
    expect((await who({ headers: { 'x-api-key': key } })).body.actor).toBe('district');
    // Revoked through the app: this process forgets it at once, and it is audited once.
    const revoked = await call(t.app, 'POST', `/api/api-keys/${id}/revoke`, { cookie: as.city });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect(
      (await call(t.app, 'POST', `/api/api-keys/${id}/revoke`, { cookie: as.city })).status,
    ).toBe(200);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE entity = 'api_key' AND entity_id = ${String(id)} AND action = 'api_key.revoke'`.execute(
      t.db.kysely,
    );
    expect(audit.rows[0]!.n).toBe(1);
    // Another process (the probe's own ApiKeys) sees it within its 2 s cache.
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await who({ headers: { 'x-api-key': key } })).status).toBe(401);
    expect(
      (await call(t.app, 'POST', '/api/api-keys/999999/revoke', { cookie: as.city })).status,
    ).toBe(404);
  });

  it('stops working when its account is disabled', async () => {
    const { key } = await issueApiKey(t.app, as.city, { username: 'community' });
    const fresh = new ApiKeys(t.db);
    expect((await fresh.resolve(key))?.actor.username).toBe('community');
    await sql`UPDATE accounts SET disabled = true WHERE username = 'community'`.execute(
      t.db.kysely,
    );
    try {
      expect(await new ApiKeys(t.db).resolve(key)).toBeNull();
    } finally {
      await sql`UPDATE accounts SET disabled = false WHERE username = 'community'`.execute(
        t.db.kysely,
      );
    }
  });
});

describe('a key on the app’s own API', () => {
  it('reads what its account reads (a planner’s export), and never writes', async () => {
    const { key } = await issueApiKey(t.app, as.city, { username: 'planner' });
    const r = await t.app.request('/api/tickets/export?format=csv', {
      headers: { 'x-api-key': key },
    });
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n').length).toBeGreaterThan(10);
    const me = await call(t.app, 'GET', `/api/session?api_key=${encodeURIComponent(key)}`);
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain('planner');
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(
      t.db.kysely,
    );
    const write = await call(t.app, 'POST', '/api/tickets', {
      headers: { 'x-api-key': key },
      body: { category: 'parking' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/reads only/);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(
      t.db.kysely,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(
      (await t.app.request('/api/tickets/export?format=csv', { headers: { 'x-api-key': 'mq_x' } }))
        .status,
    ).toBe(401);
  });
});
