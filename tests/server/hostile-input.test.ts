/**
 * Hostile values in every field: NUL characters, lone surrogates, ids past PostgreSQL's integer,
 * bodies past the limit (declared or chunked). Each must be a 4xx naming what is wrong, never a 500,
 * and the server must keep answering.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getJson, openTestApp, signIn } from './test-db.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'gridworker', 'subdistrict'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const NUL = 'a\u0000b';
const BIG = 2 ** 31;

function expect400(res: { status: number; body: any }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('bad_request');
  expect(res.body.error.message).toContain(`'${field}'`);
  expect(res.body.error.field).toBe(field);
}

describe('NUL characters and lone surrogates', () => {
  const queries: [string, string][] = [
    [`/api/tickets/list?q=${encodeURIComponent(NUL)}`, 'q'],
    [`/api/audit?actor=${encodeURIComponent(NUL)}`, 'actor'],
    [`/api/audit?entity=${encodeURIComponent(NUL)}`, 'entity'],
    [`/api/audit?action=${encodeURIComponent(NUL)}`, 'action'],
  ];
  it.each(queries)('GET %s → 400 naming %s', async (url, field) => {
    expect400(await call(t.app, 'GET', url, { cookie: as.city }), field);
  });

  it('refuses NUL in the sign-in username, signed out', async () => {
    expect400(
      await call(t.app, 'POST', '/api/session', { body: { username: NUL, password: 'x' } }),
      'username',
    );
  });

  const ticket = () => ({
    category: 'parking',
    title: 'Cars on the fire lane',
    position: fx.gridCompound.label,
  });
  const fields: [string, Record<string, unknown>][] = [
    ['title', { title: NUL }],
    ['description', { description: NUL }],
    ['residentName', { residentName: NUL }],
    ['photoRef', { photoRef: NUL }],
    ['title', { title: 'lone \ud800 surrogate' }],
    ['description', { description: 'trailing \udc00' }],
  ];
  it.each(fields)('POST /api/tickets with a bad %s → 400', async (field, patch) => {
    const res = await call(t.app, 'POST', '/api/tickets', {
      cookie: as.community,
      body: { ...ticket(), ...patch },
    });
    expect400(res, field);
  });

  it('names the nested field', async () => {
    const res = await call(t.app, 'POST', '/api/tickets/1/transitions', {
      cookie: as.city,
      body: { action: 'transfer', note: 'x', responder: { kind: NUL } },
    });
    expect400(res, 'responder.kind');
  });
});

describe('ids past PostgreSQL integer', () => {
  it.each([
    ['compoundId', '/api/whistles', { compoundId: BIG, reason: 'x' }],
    ['ticketId', '/api/whistles', { ticketId: BIG, reason: 'x' }],
    ['departmentIds.0', '/api/whistles', { ticketId: 1, reason: 'x', departmentIds: [BIG] }],
  ] as const)('%s in POST %s → 400', async (field, url, body) => {
    expect400(await call(t.app, 'POST', url, { cookie: as.subdistrict, body }), field);
  });

  it.each([
    ['duplicateOf', { action: 'reject_duplicate', duplicateOf: BIG }],
    ['responder.id', { action: 'transfer', responder: { kind: 'department', id: BIG } }],
  ] as const)('%s in a ticket transition → 400', async (field, body) => {
    expect400(
      await call(t.app, 'POST', '/api/tickets/1/transitions', { cookie: as.city, body }),
      field,
    );
  });

  it('check-in compoundId → 400', async () => {
    const res = await call(t.app, 'POST', '/api/patrols/1/checkins', {
      cookie: as.gridworker,
      body: { compoundId: BIG, position: fx.gridCompound.label },
    });
    expect400(res, 'compoundId');
  });

  it.each([
    `/api/tickets/${BIG}`,
    `/api/hazards/${BIG}`,
    `/api/whistles/${BIG}`,
    `/api/areas/${BIG}`,
    `/api/tickets/99999999999`,
  ])('GET %s → 400 naming the id', async (url) => {
    expect400(await call(t.app, 'GET', url, { cookie: as.city }), 'id');
  });

  it('area and before filters → 400', async () => {
    expect400(
      await call(t.app, 'GET', `/api/tickets/list?area=${BIG}`, { cookie: as.city }),
      'area',
    );
    expect400(await call(t.app, 'GET', `/api/audit?before=${BIG}`, { cookie: as.city }), 'before');
  });
});

describe('request bodies past the limit', () => {
  it('refuses a declared oversized body with 413', async () => {
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      body: 'x',
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('stops reading a chunked body at the limit', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await t.app.request('/api/tickets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: as.community },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    // The stream is endless: only what the guard asked for was ever produced.
    expect(pulled).toBeLessThan(256 * 1024);
  });

  it('holds memory flat under a 200 MB chunked upload to a real socket', async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/session',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
        const pump = () => {
          while (sent < 200 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(status).toBe(413);
      const grown = process.memoryUsage().rss - before;
      expect(grown).toBeLessThan(50 * 1024 * 1024);
      // And the server still answers.
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('still answers after all of the above', async () => {
    expect((await getJson(t.app, '/api/health')).status).toBe(200);
  });
});

describe('hostile text in the address', () => {
  it.each([
    '/api/areas/%00',
    '/open311/v2/requests/T%00.json',
    '/open311/v2/tokens/a%00b.json',
    '/ogc/collections/compounds/items/1%00',
  ])('GET %s → 400 naming the path, before any query', async (url) => {
    const res = await t.app.request(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('path');
  });

  it('leaves ordinary escapes alone, and malformed UTF-8 to the routes (a 404)', async () => {
    expect((await t.app.request('/api/areas/%31')).status).not.toBe(400);
    expect((await t.app.request('/open311/v2/tokens/%ED%A0%80.json')).status).toBe(404);
  });
});
