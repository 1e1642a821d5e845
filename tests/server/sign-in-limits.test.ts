import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { DEMO_PASSWORD, openTestApp } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
type App = ReturnType<typeof createApp>;

// Failures are kept in the database, which the PostgreSQL run shares between test files.
const forget = () => sql`DELETE FROM sign_in_failures`.execute(t.db.kysely);

beforeAll(async () => {
  t = await openTestApp();
  await forget();
});
afterAll(async () => {
  await forget();
  await t.app.close();
  await t.db.close();
});

/** A sign-in from a client at `address`, as the Node server's socket would report it. */
async function signInFrom(address: string, username: string, password: string, app: App = t.app) {
  const res = await app.request(
    '/api/session',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    },
    { incoming: { socket: { remoteAddress: address } } },
  );
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

describe('sign-in limits', () => {
  it('locks a guesser out of an account without locking out its owner elsewhere', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signInFrom('203.0.113.10', 'city', `guess-${i}`)).status).toBe(401);
    }
    const locked = await signInFrom('203.0.113.10', 'city', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error!.code).toBe('too_many_requests');
    expect(locked.body.error!.message).toMatch(/try again in \d+ minute/);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    // The real user, from the office.
    expect((await signInFrom('198.51.100.7', 'city', DEMO_PASSWORD)).status).toBe(200);
    // An IPv6 guesser cannot dodge the limit by moving inside its /64.
    for (let i = 0; i < 5; i++) {
      await signInFrom(`2001:db8:1:2::${i + 1}`, 'district', `guess-${i}`);
    }
    expect((await signInFrom('2001:db8:1:2:ffff::9', 'district', DEMO_PASSWORD)).status).toBe(429);
    expect((await signInFrom('2001:db8:1:3::1', 'district', DEMO_PASSWORD)).status).toBe(200);
  });

  it('limits one address spraying many accounts, and only that address', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await signInFrom('203.0.113.20', `spray-${i}`, 'Password1')).status).toBe(401);
    }
    const refused = await signInFrom('203.0.113.20', 'community', DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error!.message).toMatch(/from this address/);
    expect((await signInFrom('203.0.113.21', 'community', DEMO_PASSWORD)).status).toBe(200);
  });

  it('locks an account guessed from many addresses briefly, whatever the password, known or not', async () => {
    for (const name of ['department2', 'no-such-user']) {
      for (let i = 0; i < 30; i++) {
        const r = await signInFrom(`192.0.2.${i}`, name, `guess-${i}`);
        expect(r.status).toBe(401);
      }
    }
    const real = await signInFrom('198.51.100.50', 'department2', DEMO_PASSWORD);
    const ghost = await signInFrom('198.51.100.50', 'no-such-user', DEMO_PASSWORD);
    expect(real.status).toBe(429);
    // The same answer for an account that does not exist: the lock tells nothing.
    expect(ghost.status).toBe(429);
    expect(ghost.body.error!.message).toBe(
      real.body.error!.message.replace('department2', 'no-such-user'),
    );
    expect(Number(real.retryAfter)).toBeLessThanOrEqual(60);
    await sql`DELETE FROM sign_in_failures WHERE username = 'department2'`.execute(t.db.kysely);
    expect((await signInFrom('198.51.100.50', 'department2', DEMO_PASSWORD)).status).toBe(200);
  }, 120_000); // sixty password hashes

  it('shares its counts with every app process on the database', async () => {
    const other = createApp({ db: t.db, config: loadConfig({}) });
    try {
      for (let i = 0; i < 5; i++) await signInFrom('203.0.113.30', 'subdistrict', `guess-${i}`);
      expect((await signInFrom('203.0.113.30', 'subdistrict', DEMO_PASSWORD, other)).status).toBe(
        429,
      );
    } finally {
      await other.close();
    }
  });

  it('audits failures with the username and address, never the password', async () => {
    const wrong = await signInFrom('203.0.113.40', 'gridworker', 'S3cret-typo!');
    const unknown = await signInFrom('203.0.113.40', 'gridworkr', 'S3cret-typo!');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const rows = await sql<{ actor: string; entityId: string; after: any }>`
      SELECT actor, entity_id AS "entityId", after FROM audit_log
      WHERE action = 'session.fail' AND after->>'address' = '203.0.113.40' ORDER BY id`.execute(
      t.db.kysely,
    );
    expect(rows.rows.map((r) => r.entityId)).toEqual(['gridworker', 'gridworkr']);
    expect(rows.rows[0]!.after).toMatchObject({ username: 'gridworker', address: '203.0.113.40' });
    expect(rows.rows[0]!.actor).toBe('anonymous');
    expect(JSON.stringify(rows.rows)).not.toContain('S3cret');
  });

  it('counts by X-Forwarded-For only behind a trusted proxy', async () => {
    const proxied = createApp({ db: t.db, config: loadConfig({}), trustProxy: true });
    const viaProxy = (forwardedFor: string, app: App, password = 'guess') =>
      app.request(
        '/api/session',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ username: 'property2', password }),
        },
        { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
      );
    try {
      // A spoofed first hop changes nothing: the proxy's own entry (the last) is the client.
      for (let i = 0; i < 5; i++) await viaProxy(`1.1.1.${i}, 203.0.113.50`, proxied);
      expect((await viaProxy('203.0.113.50', proxied, DEMO_PASSWORD)).status).toBe(429);
      expect((await viaProxy('203.0.113.51', proxied, DEMO_PASSWORD)).status).toBe(200);
      // Without trust the header is the client's word: the socket's address counts.
      for (let i = 0; i < 5; i++) await viaProxy(`203.0.113.${60 + i}`, t.app);
      expect((await viaProxy('203.0.113.99', t.app, DEMO_PASSWORD)).status).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it('queues password hashing and refuses beyond the queue, so the server stays responsive', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        signInFrom(`198.18.${i >> 8}.${i & 255}`, `random-${i}`, 'Password1'),
      ),
    );
    const statuses = results.map((r) => r.status);
    // Anything else (a 503 past the request deadline on a starved machine) is named in the failure.
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const busy = results.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.body.error!.code).toBe('too_many_requests');
    expect(Number(busy[0]!.retryAfter)).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(34);
  });
});
