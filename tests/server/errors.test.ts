import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import { handleError } from '../../server/errors.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/db/client.ts';
import { getJson, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

describe('bad input', () => {
  const cases: [string, string][] = [
    ['/api/areas?level=street', 'level'],
    ['/api/areas', 'level'],
    ['/api/areas?level=district&bbox=103,36,104', 'bbox'],
    ['/api/areas?level=district&bbox=104,36,103,37', 'bbox'],
    ['/api/areas?level=district&bbox=a,b,c,d', 'bbox'],
    ['/api/areas?level=district&bbox=103,36,200,37', 'bbox'],
    ['/api/areas?level=district&zoom=40', 'zoom'],
    ['/api/areas?parent=-3', 'parent'],
    ['/api/areas/abc', 'id'],
    ['/api/areas/city?from=yesterday', 'from'],
    ['/api/areas/city?from=2026-02-30', 'from'],
    ['/api/areas/city?from=2026-06-01&to=2026-05-01', 'from'],
    ['/api/tickets?limit=0', 'limit'],
    ['/api/tickets?limit=200001', 'limit'],
    ['/api/tickets?limit=ten', 'limit'],
    ['/api/tickets?category=parking,flying', 'category'],
    ['/api/tickets?status=lost', 'status'],
    ['/api/tickets?channel=pigeon', 'channel'],
    ['/api/tickets?format=xml', 'format'],
    ['/api/tickets?to=2026-13-40', 'to'],
    ['/api/tickets/1.5', 'id'],
    ['/api/hazards?severity=apocalyptic', 'severity'],
    ['/api/hazards?type=ufo', 'type'],
  ];
  it.each(cases)('%s → 400 naming %s', async (url, param) => {
    const { status, body } = await getJson(t.app, url);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(`'${param}'`);
    expect(JSON.stringify(body)).not.toMatch(/\bat \S+\.ts:\d+/);
  });

  it('404s with JSON for an unknown area referenced by a filter', async () => {
    const city = await signIn(t.app, 'city');
    const { status, body } = await getJson(t.app, '/api/tickets?area=99999999', city);
    expect(status).toBe(404);
    expect(body.error.message).toContain("'area'");
  });

  it('404s with JSON for an unknown endpoint', async () => {
    const { status, body } = await getJson(t.app, '/api/nothing-here');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('serves an OpenAPI document that lists the endpoints', async () => {
    const { status, body } = await getJson(t.app, '/api/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/areas',
        '/api/areas/{id}',
        '/api/tickets',
        '/api/hazards',
      ]),
    );
  });
});

describe('database outage', () => {
  it('answers 503 when the database server cannot be reached', async () => {
    const db = await openDb({
      databaseUrl: 'postgres://nobody@127.0.0.1:9/none',
      dataDir: 'memory://',
    });
    const app = createApp({ db, config: loadConfig({}) });
    const { status, body } = await getJson(app, '/api/health');
    expect(status).toBe(503);
    expect(body.error.code).toBe('unavailable');
    await app.close();
    await db.close();
  });

  // postgres.js asks each new connection for the array types once it is ready; a connection cut in
  // that instant used to reject a promise nobody awaited, which ends a Node process.
  it.runIf(inject('databaseUrl'))(
    'keeps running when connections are cut the moment they are ready',
    async () => {
      let cutWhenReady = false;
      const proxy = dbProxy(() => {
        let pending = Buffer.alloc(0);
        return (chunk, client, drop) => {
          if (!cutWhenReady) return void client.write(chunk);
          // Forward the server's messages up to its first ReadyForQuery ('Z'), then cut.
          pending = Buffer.concat([pending, chunk]);
          for (let at = 0; at + 5 <= pending.length;) {
            const type = pending[at]!;
            const end = at + 1 + pending.readInt32BE(at + 1);
            if (end > pending.length) break;
            at = end;
            if (type === 0x5a) return void client.write(pending.subarray(0, end), drop);
          }
        };
      });
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      const db = await openDb({ databaseUrl: await proxy.listen(), dataDir: 'memory://' });
      const app = createApp({ db, config: loadConfig({}) });
      try {
        expect((await app.request('/api/health')).status).toBe(200);
        cutWhenReady = true;
        proxy.dropAll();
        for (let i = 0; i < 3; i++) {
          const down = await getJson(app, '/api/health');
          expect(down.status).toBe(503);
          expect(down.body.error.code).toBe('unavailable');
        }
        cutWhenReady = false;
        expect(await healthyWithin(app, 10_000)).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await app.close();
        await db.close();
        await proxy.close();
      }
    },
  );

  // Needs a real server: a proxy in front of it is cut, then restored.
  it.runIf(inject('databaseUrl'))('recovers by itself when the database comes back', async () => {
    const proxy = dbProxy();
    const db = await openDb({ databaseUrl: await proxy.listen(), dataDir: 'memory://' });
    const app = createApp({ db, config: loadConfig({}) });
    try {
      expect((await app.request('/api/health')).status).toBe(200);
      // Cut: stop accepting and drop every open connection, as a crashed server would.
      await proxy.close();
      const down = await getJson(app, '/api/health');
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('unavailable');
      await proxy.listen();
      // Back: within a few seconds, and with no restart, requests succeed again.
      expect(await healthyWithin(app, 10_000)).toBe(200);
    } finally {
      await app.close();
      await db.close();
      await proxy.close();
    }
  });
});

type Relay = (chunk: Buffer, client: Socket, drop: () => void) => void;

/**
 * A TCP proxy in front of the test's PostgreSQL, for tests that cut it. `relay` makes, per
 * connection, what passes the server's bytes to the client (by default, all of them as they come).
 * `listen` answers the database URL through the proxy (the same port when it listens again).
 */
function dbProxy(relay?: () => Relay) {
  const target = new URL(inject('databaseUrl')!);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const dropAll = () => sockets.forEach((s) => s.destroy());
  return {
    dropAll,
    listen: () =>
      new Promise<string>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(target.port || 5432), target.hostname);
          sockets.add(client).add(upstream);
          const drop = () => {
            client.destroy();
            upstream.destroy();
          };
          client.on('error', drop).on('close', drop);
          upstream.on('error', drop).on('close', drop);
          client.pipe(upstream);
          const pass = relay?.();
          if (pass) upstream.on('data', (chunk: Buffer) => pass(chunk, client, drop));
          else upstream.pipe(client);
        });
        server.listen(port, '127.0.0.1', () => {
          port = (server!.address() as { port: number }).port;
          const url = new URL(target);
          url.port = String(port);
          resolve(url.toString());
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server?.listening) return resolve();
        server.close(() => resolve());
        dropAll();
      }),
  };
}

/** The status of /api/health once it is 200, or the last one when `ms` have passed. */
async function healthyWithin(
  app: { request: (url: string) => Response | Promise<Response> },
  ms: number,
) {
  const until = Date.now() + ms;
  let status = 0;
  while (status !== 200 && Date.now() < until) {
    status = (await app.request('/api/health')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  return status;
}

describe('GET /api/health', () => {
  it('names the database and PostGIS version and counts rows', async () => {
    const { status, body } = await getJson(t.app, '/api/health');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.database).toBe(inject('databaseUrl') ? 'postgres' : 'pglite');
    expect(body.postgis).toMatch(/^3\.\d+/);
    expect(body.counts.districts).toBe(5);
    expect(body.counts.tickets).toBeGreaterThan(0);
    expect(body.counts.compounds).toBeGreaterThan(0);
  });
});

describe('a full disk', () => {
  it.each([
    ['PostgreSQL disk_full', Object.assign(new Error('could not extend file'), { code: '53100' })],
    ['Node ENOSPC', Object.assign(new Error('no space left'), { code: 'ENOSPC' })],
    ['PGlite file system', Object.assign(new Error('FS error'), { name: 'ErrnoError', errno: 51 })],
  ])('%s is a 503 that says nothing was saved', async (_what, err) => {
    const app = new Hono().post('/write', () => {
      throw err;
    });
    app.onError(handleError);
    const res = await app.request('/write', { method: 'POST' });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('disk_full');
    expect(body.error.message).toMatch(/disk space.*Nothing you sent was saved/);
  });
});
