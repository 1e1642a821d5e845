/**
 * Account management: the city creates, rebinds, disables and resets accounts; districts,
 * subdistricts and communities manage the area accounts below them in their own subtree only;
 * everyone changes their own password; every change is audited; a disabled account's session
 * stops working. Then the command line on its own embedded database, and a PostgreSQL-style start
 * that seeds no demo accounts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client.ts';
import { migrateUp } from '../../server/db/migrate.ts';
import { seedDatabase } from '../../scripts/seed/index.ts';
import { runAccounts, type CliIo } from '../../scripts/accounts.ts';
import { prepareDatabase } from '../../scripts/start.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
let city: string;
// Unique names, so that a rerun on a shared PostgreSQL never collides with an earlier one.
const tag = Date.now().toString(36).slice(-5);
const PASSWORD = 'Gansu-Lanzhou-2026';

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  city = await signIn(t.app, 'city');
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

async function auditRows(entityId: number) {
  const r = await sql<{
    action: string;
    actor: string;
    role: string;
    areaPath: number[];
    after: any;
  }>`
    SELECT action, actor, role, area_path AS "areaPath", after FROM audit_log
    WHERE entity = 'account' AND action LIKE 'account.%'
      AND entity_id = ${String(entityId)} ORDER BY id`.execute(t.db.kysely);
  return r.rows;
}

const create = (cookie: string, body: Record<string, unknown>) =>
  call(t.app, 'POST', '/api/accounts', { cookie, body });

/** Polls until the session no longer signs anyone in (revocation reaches the cache by NOTIFY). */
async function expectSignedOut(cookie: string) {
  await expect
    .poll(async () => (await call(t.app, 'GET', '/api/session', { cookie })).body.account, {
      timeout: 10_000,
    })
    .toBeNull();
  expect((await call(t.app, 'GET', '/api/tickets/list?limit=1', { cookie })).status).toBe(401);
}

describe('the sign-in screen', () => {
  it('is told the database holds the demo accounts, and which', async () => {
    const r = await call(t.app, 'GET', '/api/accounts/demo');
    expect(r.status).toBe(200);
    expect(r.body.demo).toBe(true);
    expect(r.body.usernames).toEqual(expect.arrayContaining(['city', 'community', 'planner']));
  });
});

describe('the city manages accounts', () => {
  let created: { id: number; username: string };
  let session: string;

  it('creates a community account bound to a community, audited without secrets', async () => {
    const communityId = fx.accounts.community.areaId!;
    const r = await create(city, {
      username: `Shequ-${tag}`,
      displayName: '测试社区 王书记',
      role: 'community',
      areaId: communityId,
      password: PASSWORD,
      phone: '13800001234',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      username: `shequ-${tag}`,
      role: 'community',
      scope: { kind: 'area', id: communityId, level: 'community' },
      disabled: false,
      demo: false,
    });
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password_hash|Gansu/);
    created = r.body;
    const audit = await auditRows(created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'account.create', actor: 'city', role: 'city' });
    expect(audit[0]!.areaPath).toContain(communityId);
    expect(JSON.stringify(audit[0]!.after)).not.toMatch(/scrypt|Gansu/);
  });

  it('the new account signs in and sees only its community', async () => {
    session = await signIn(t.app, created.username, PASSWORD);
    const me = await call(t.app, 'GET', '/api/session', { cookie: session });
    expect(me.body.account.scope).toMatchObject({
      kind: 'area',
      id: fx.accounts.community.areaId,
    });
    const list = await call(t.app, 'GET', '/api/tickets/list?limit=50', { cookie: session });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    // Every ticket the account reads is in its community (grid ids are children of it).
    const grids = await sql<{ id: number }>`SELECT id FROM areas WHERE parent_id = ${
      fx.accounts.community.areaId!
    }`.execute(t.db.kysely);
    const ids = new Set(grids.rows.map((g) => g.id));
    for (const row of list.body.items) expect(ids.has(row.gridId)).toBe(true);
  });

  it('lists accounts, finds them by name, and refuses a taken username', async () => {
    const all = await call(t.app, 'GET', '/api/accounts?limit=500', { cookie: city });
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(14);
    expect(all.body.items.map((a: any) => a.username)).toContain(created.username);
    const found = await call(t.app, 'GET', `/api/accounts?q=${created.username}`, {
      cookie: city,
    });
    expect(found.body.items.map((a: any) => a.id)).toEqual([created.id]);
    const again = await create(city, {
      username: created.username,
      displayName: 'x',
      role: 'planner',
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
  });

  it('answers bad input with a 400 that names the field', async () => {
    const base = {
      username: `bad-${tag}`,
      displayName: '某某',
      role: 'community',
      areaId: fx.accounts.community.areaId,
      password: PASSWORD,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, username: 'Has Space' }, 'username'],
      [{ ...base, role: 'mayor' }, 'role'],
      [{ ...base, areaId: undefined }, 'areaId'],
      [{ ...base, areaId: fx.accounts.gridworker.areaId }, 'areaId'],
      [{ ...base, areaId: 'seven' }, 'areaId'],
      [{ ...base, password: 'short' }, 'password'],
      [{ ...base, password: base.username }, 'password'],
      [{ ...base, password: 'Minqing@2026' }, 'password'],
      [{ ...base, displayName: '' }, 'displayName'],
      [{ ...base, role: 'planner', areaId: undefined, departmentId: 1 }, 'departmentId'],
      [{ ...base, role: 'department', areaId: undefined }, 'departmentId'],
      [
        { ...base, role: 'property_company', areaId: undefined, propertyCompanyId: 999999 },
        'propertyCompanyId',
      ],
    ];
    for (const [body, field] of cases) {
      const r = await create(city, body);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.message).toContain(`'${field}'`);
    }
    const reset = await call(t.app, 'POST', `/api/accounts/${created.id}/password`, {
      cookie: city,
      body: { password: 'tiny' },
    });
    expect(reset.status).toBe(400);
    expect(reset.body.error.message).toContain("'password'");
  });

  it('moves the account to another community, ending its sessions', async () => {
    const other = fx.accounts.community2.areaId!;
    const r = await call(t.app, 'PATCH', `/api/accounts/${created.id}`, {
      cookie: city,
      body: { areaId: other, displayName: '七里河 测试书记' },
    });
    expect(r.status).toBe(200);
    expect(r.body.scope.id).toBe(other);
    await expectSignedOut(session);
    const moved = (await auditRows(created.id)).at(-1)!;
    expect(moved.action).toBe('account.update');
    expect(moved.areaPath).toEqual(expect.arrayContaining([fx.accounts.community.areaId, other]));
    session = await signIn(t.app, created.username, PASSWORD);
  });

  it('disables the account: its session stops working and it cannot sign in; enables it again', async () => {
    const r = await call(t.app, 'POST', `/api/accounts/${created.id}/disable`, { cookie: city });
    expect(r.status).toBe(200);
    expect(r.body.disabled).toBe(true);
    await expectSignedOut(session);
    const sessions = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions
      WHERE account_id = ${created.id}`.execute(t.db.kysely);
    expect(sessions.rows[0]!.n).toBe(0);
    const refused = await call(t.app, 'POST', '/api/session', {
      body: { username: created.username, password: PASSWORD },
    });
    expect(refused.status).toBe(401);
    const back = await call(t.app, 'POST', `/api/accounts/${created.id}/enable`, {
      cookie: city,
    });
    expect(back.body.disabled).toBe(false);
    session = await signIn(t.app, created.username, PASSWORD);
    const actions = (await auditRows(created.id)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
  });

  it('resets the password: the old one and the old session stop working', async () => {
    const fresh = 'Huanghe-river-42';
    const r = await call(t.app, 'POST', `/api/accounts/${created.id}/password`, {
      cookie: city,
      body: { password: fresh },
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(fresh);
    await expectSignedOut(session);
    const old = await call(t.app, 'POST', '/api/session', {
      body: { username: created.username, password: PASSWORD },
    });
    expect(old.status).toBe(401);
    session = await signIn(t.app, created.username, fresh);
    const audit = (await auditRows(created.id)).at(-1)!;
    expect(audit.action).toBe('account.reset_password');
    expect(JSON.stringify(audit)).not.toContain(fresh);
  });

  it('lets an account change its own password, proving the current one', async () => {
    const other = await signIn(t.app, created.username, 'Huanghe-river-42');
    const wrong = await call(t.app, 'POST', '/api/accounts/me/password', {
      cookie: session,
      body: { currentPassword: 'not-it-at-all', newPassword: 'Baita-Mountain-9' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain("'currentPassword'");
    const short = await call(t.app, 'POST', '/api/accounts/me/password', {
      cookie: session,
      body: { currentPassword: 'Huanghe-river-42', newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain("'newPassword'");
    const ok = await call(t.app, 'POST', '/api/accounts/me/password', {
      cookie: session,
      body: { currentPassword: 'Huanghe-river-42', newPassword: 'Baita-Mountain-9' },
    });
    expect(ok.status).toBe(204);
    // This session stays; the other one ends.
    expect((await call(t.app, 'GET', '/api/session', { cookie: session })).body.account).not.toBe(
      null,
    );
    await expectSignedOut(other);
    session = await signIn(t.app, created.username, 'Baita-Mountain-9');
    const audit = (await auditRows(created.id)).at(-1)!;
    expect(audit).toMatchObject({ action: 'account.change_password', actor: created.username });
  });

  it('may not disable itself, and needs a session to change a password', async () => {
    const self = await call(t.app, 'POST', `/api/accounts/${fx.accounts.city.id}/disable`, {
      cookie: city,
    });
    expect(self.status).toBe(403);
    const anon = await call(t.app, 'POST', '/api/accounts/me/password', {
      body: { currentPassword: 'x', newPassword: 'Baita-Mountain-9' },
    });
    expect(anon.status).toBe(401);
  });
});

describe('who may manage whom', () => {
  it('a district manages area accounts in its own district only', async () => {
    const district = await signIn(t.app, 'district');
    const mine = await create(district, {
      username: `wangge-${tag}`,
      displayName: '网格员 李',
      role: 'gridworker',
      areaId: fx.accounts.gridworker.areaId,
      password: PASSWORD,
    });
    expect(mine.status).toBe(201);
    const elsewhere = await create(district, {
      username: `qilihe-${tag}`,
      displayName: '七里河 社区',
      role: 'community',
      areaId: fx.accounts.community2.areaId,
      password: PASSWORD,
    });
    expect(elsewhere.status).toBe(403);
    const cityAccount = await create(district, {
      username: `boss-${tag}`,
      displayName: '全市',
      role: 'city',
      password: PASSWORD,
    });
    expect(cityAccount.status).toBe(403);
    const list = await call(t.app, 'GET', '/api/accounts?limit=500', { cookie: district });
    const names = list.body.items.map((a: any) => a.username);
    expect(names).toEqual(expect.arrayContaining(['subdistrict', 'community', 'gridworker']));
    expect(names).not.toContain('community2');
    expect(names).not.toContain('district');
    expect(names).not.toContain('city');
    // Outside its reach an account does not exist for it.
    const other = await call(t.app, 'POST', `/api/accounts/${fx.accounts.community2.id}/disable`, {
      cookie: district,
    });
    expect(other.status).toBe(404);
    const areas = await call(t.app, 'GET', '/api/accounts/areas?role=community', {
      cookie: district,
    });
    expect(areas.status).toBe(200);
    expect(areas.body.items.length).toBeGreaterThan(0);
    expect(areas.body.items.map((a: any) => a.id)).not.toContain(fx.accounts.community2.areaId);
  });

  it('a community manages its gridworkers and sentinels, not other communities', async () => {
    const community = await signIn(t.app, 'community');
    const sentinel = await create(community, {
      username: `kuaidi-${tag}`,
      displayName: '快递员 张师傅',
      role: 'sentinel',
      areaId: fx.accounts.community.areaId,
      password: PASSWORD,
    });
    expect(sentinel.status).toBe(201);
    const peer = await create(community, {
      username: `peer-${tag}`,
      displayName: '社区',
      role: 'community',
      areaId: fx.accounts.community.areaId,
      password: PASSWORD,
    });
    expect(peer.status).toBe(403);
  });

  it('other roles may not manage accounts; the public must sign in', async () => {
    for (const username of ['gridworker', 'property', 'department', 'planner', 'sentinel']) {
      const cookie = await signIn(t.app, username);
      const r = await call(t.app, 'GET', '/api/accounts', { cookie });
      expect(r.status, username).toBe(403);
      const me = await call(t.app, 'GET', '/api/session', { cookie });
      expect(me.body.account.can).not.toContain('accounts.manage');
    }
    expect((await call(t.app, 'GET', '/api/accounts')).status).toBe(401);
  });
});

describe('the command line and a PostgreSQL-style start', () => {
  let dir: string;
  let db: Db;
  const out: string[] = [];
  const err: string[] = [];
  const io = (env: Record<string, string> = {}, stdin = ''): CliIo => ({
    env: { DATA_DIR: dir, ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => stdin,
    promptHidden: null,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minqing-accounts-'));
    db = await openDb({ dataDir: dir });
    await migrateUp(db);
    // A real deployment: the city's data, but no demo accounts.
    await seedDatabase(db, { scale: 'test', seed: 11, demoAccounts: false });
  }, 300_000);
  afterAll(async () => {
    await db?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds no accounts on PostgreSQL, and says how to create the first administrator', async () => {
    const said: string[] = [];
    const outcome = await prepareDatabase(db, {
      mode: 'postgres',
      scale: 'test',
      seed: 11,
      say: (m) => said.push(m),
    });
    expect(outcome).toBe('ready');
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM accounts`.execute(db.kysely);
    expect(n.rows[0]!.n).toBe(0);
    expect(said.join('\n')).toContain('npm run accounts -- create --username admin --role city');
    // Patrols and whistles are there, by people without accounts.
    const p = await sql<{ n: number }>`SELECT count(*)::int AS n FROM patrols`.execute(db.kysely);
    expect(p.rows[0]!.n).toBeGreaterThan(0);

    const empty = await openDb({ dataDir: 'memory://' });
    try {
      await migrateUp(empty);
      const words: string[] = [];
      const o = await prepareDatabase(empty, {
        mode: 'postgres',
        scale: 'test',
        seed: 11,
        say: (m) => words.push(m),
      });
      expect(o).toBe('empty');
      const counts = await sql<{ a: number; n: number }>`SELECT
        (SELECT count(*)::int FROM areas) AS a, (SELECT count(*)::int FROM accounts) AS n`.execute(
        empty.kysely,
      );
      expect(counts.rows[0]).toEqual({ a: 0, n: 0 });
      expect(words.join('\n')).toMatch(/nothing is seeded on PostgreSQL/);
    } finally {
      await empty.close();
    }
    await db.close();
  });

  it('creates the first administrator, lists, disables and resets, audited as cli', async () => {
    const admin = await runAccounts(
      ['create', '--username', 'Admin', '--role', 'city', '--name', '管理员', '--password-stdin'],
      io({}, 'Long-enough-pass-1\n'),
    );
    expect(err).toEqual([]);
    expect(admin).toBe(0);
    expect(out.at(-1)).toMatch(/created city account 'admin'/);

    const community = await runAccounts(
      ['create', '--username', 'sq1', '--role', 'community', '--name', '社区一', '--area', '99999'],
      io({ MINQING_PASSWORD: 'Long-enough-pass-2' }),
    );
    expect(community).toBe(1);
    expect(err.at(-1)).toMatch(/^error: .*'areaId'|no area/);

    expect(
      await runAccounts(['create', '--username', 'x', '--role', 'mayor', '--name', 'x'], io()),
    ).toBe(2);
    expect(err.at(-1)).toMatch(/--role must be one of/);
    expect(
      await runAccounts(
        ['create', '--username', 'weak', '--role', 'planner', '--name', 'p'],
        io({ MINQING_PASSWORD: 'weak' }),
      ),
    ).toBe(1);
    expect(err.at(-1)).toMatch(/'password' must be at least 10 characters/);
    expect(
      await runAccounts(
        ['create', '--username', 'admin', '--role', 'planner', '--name', 'p'],
        io({ MINQING_PASSWORD: 'Long-enough-pass-3' }),
      ),
    ).toBe(1);
    expect(err.at(-1)).toMatch(/taken/);
    expect(
      await runAccounts(['create', '--username', 'p2', '--role', 'planner', '--name', 'p'], io()),
    ).toBe(2);
    expect(err.at(-1)).toMatch(/no password given/);

    expect(await runAccounts(['disable', 'admin'], io())).toBe(0);
    expect(await runAccounts(['enable', 'admin'], io())).toBe(0);
    expect(
      await runAccounts(
        ['reset-password', 'admin', '--password-stdin'],
        io({}, 'Another-long-pass\n'),
      ),
    ).toBe(0);
    expect(await runAccounts(['disable', 'nobody'], io())).toBe(1);
    expect(err.at(-1)).toBe("error: No account named 'nobody'");
    expect(await runAccounts(['frobnicate'], io())).toBe(2);
    expect(await runAccounts(['list'], io())).toBe(0);
    expect(out.join('\n')).toMatch(/1 account\(s\)\n.*admin\s+city\s+管理员/);

    const check = await openDb({ dataDir: dir });
    try {
      const audit = await sql<{ action: string; actor: string; role: string }>`
        SELECT action, actor, role FROM audit_log WHERE entity = 'account' ORDER BY id`.execute(
        check.kysely,
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'account.create',
        'account.disable',
        'account.enable',
        'account.reset_password',
      ]);
      for (const r of audit.rows) {
        expect(r.role).toBe('cli');
        expect(r.actor).toMatch(/^cli:/);
      }
    } finally {
      await check.close();
    }
  });

  it('the administrator signs in to the app and finds no demo accounts on offer', async () => {
    const { createApp } = await import('../../server/app.ts');
    const { loadConfig } = await import('../../server/config.ts');
    const real = await openDb({ dataDir: dir });
    const app = createApp({ db: real, config: loadConfig({}) });
    try {
      expect((await call(app, 'GET', '/api/accounts/demo')).body).toEqual({
        demo: false,
        usernames: [],
      });
      const cookie = await signIn(app, 'admin', 'Another-long-pass');
      const list = await call(app, 'GET', '/api/accounts', { cookie });
      expect(list.body.items.map((a: any) => a.username)).toEqual(['admin']);
    } finally {
      await app.close();
      await real.close();
    }
  });
});
