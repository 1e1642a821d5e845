/**
 * Open311 GeoReport v2 at /open311/v2, through a client that speaks only the spec (XML and JSON)
 * against the app on a real port: it files requests (form-encoded and JSON, the key in the body,
 * a header or the query), reads them back, lists them by date and status, and watches one close
 * as the responsible accounts move it through the lifecycle in the app's own API. Every error
 * answers in the spec's shape, writes nothing, and no GET carries a resident's personal data.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Kysely, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Db } from '../../server/db/client.ts';
import { open311Routes } from '../../server/routes/open311.ts';
import { ApiKeys } from '../../server/services/api-keys.ts';
import { ReadCache } from '../../server/services/read-cache.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Open311Created,
  Open311Errors,
  Open311Requests,
  Open311ServiceDefinition,
  Open311Services,
  Open311Tokens,
} from '../../server/contract/open311.ts';
import { call, issueApiKey, openTestApp, signIn } from './test-db.ts';
import { count, loadFixtures, type Fixtures } from './fixtures.ts';
import { Open311Client, type Format } from './open311-client.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
let server: ServerType;
let base: string;
let client: Open311Client;
const as: Record<string, string> = {};
const key: Record<string, string> = {};
const FORMATS: Format[] = ['json', 'xml'];

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of ['city', 'community', 'property']) as[u] = await signIn(t.app, u);
  // The 12345 hotline's platform files as the city's account; a community's own app as the
  // community; the planners' QGIS key reads only.
  key.hotline = (
    await issueApiKey(t.app, as.city!, { username: 'city', scopes: ['open311'], name: '12345' })
  ).key;
  key.community = (
    await issueApiKey(t.app, as.city!, { username: 'community', scopes: ['open311'] })
  ).key;
  key.reader = (await issueApiKey(t.app, as.city!, { username: 'planner', scopes: ['read'] })).key;
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`;
  client = new Open311Client(base, { jurisdictionId: 'lanzhou.gov.cn' });
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t.app.close();
  await t.db.close();
});

/** What a resident gives the hotline: none of it may come back from a GET. */
const RESIDENT = {
  first_name: '小明',
  last_name: '王',
  phone: '13812345678',
  email: 'wangxm@example.com',
};

const at = (p: [number, number]) => ({ lat: String(p[1]), long: String(p[0]) });
/**
 * A few metres off the compound's label point, inside it: on a shared PostgreSQL other files file
 * tickets at the label point itself, and the duplicate notice lists the nearest five.
 */
const nearLabel = (p: [number, number]): [number, number] => [p[0] + 0.00004, p[1] + 0.00003];

async function ticketOf(code: string) {
  const r = await sql<{
    id: number;
    category: string;
    status: string;
    priority: string;
    title: string;
    description: string;
    resident_name: string | null;
    resident_phone: string | null;
    compound_id: number | null;
    channel: string;
  }>`SELECT id, category, status, priority, title, description, resident_name, resident_phone,
      compound_id, channel FROM tickets WHERE code = ${code}`.execute(t.db.kysely);
  return r.rows[0]!;
}

function expectNoPersonalData(raw: string) {
  for (const v of ['王小明', '13812345678', 'wangxm@example.com', '138****5678'])
    expect(raw).not.toContain(v);
}

describe('services', () => {
  it('lists one service per category, the same in JSON and XML', async () => {
    const json = await client.services('json');
    const xml = await client.services('xml');
    expect(json.status).toBe(200);
    expect(json.contentType).toMatch(/^application\/json/);
    expect(xml.contentType).toMatch(/^text\/xml/);
    const services = Open311Services.parse(json.data);
    expect(services.map((s) => s.service_code)).toEqual([
      'parking',
      'facilities',
      'property_service',
      'dispute',
      'legal_aid',
      'sanitation',
      'noise',
      'safety',
      'elder_child_care',
      'other',
    ]);
    expect(services[0]).toMatchObject({ service_name: '停车难', type: 'realtime', metadata: true });
    expect(xml.data).toHaveLength(10);
    xml.data.forEach((s: any, i: number) => {
      expect(s.service_code).toBe(services[i]!.service_code);
      expect(s.service_name).toBe(services[i]!.service_name);
      expect(s.metadata).toBe('true');
      expect(s.group).toBe(services[i]!.group);
    });
  });

  it('defines the attributes intake asks (priority, and the kind where a category has one)', async () => {
    const json = await client.serviceDefinition('facilities', 'json');
    const def = Open311ServiceDefinition.parse(json.data);
    expect(def.attributes.map((a) => a.code)).toEqual(['priority', 'facility']);
    expect(def.attributes[1]!.values.map((v) => v.key)).toContain('elevator');
    const xml = await client.serviceDefinition('facilities', 'xml');
    expect(xml.data.service_code).toBe('facilities');
    expect(xml.data.attributes.map((a: any) => a.code)).toEqual(['priority', 'facility']);
    expect(xml.data.attributes[1].values.map((v: any) => v.key)).toEqual(
      def.attributes[1]!.values.map((v) => v.key),
    );
    expect((await client.serviceDefinition('noise', 'json')).data.attributes).toHaveLength(1);
  });

  it('describes itself (discovery)', async () => {
    for (const f of FORMATS) {
      const d = await client.discovery(f);
      expect(d.status).toBe(200);
      expect(d.data.endpoints[0].url).toBe(base);
      expect(d.data.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    }
  });
});

describe('filing a request and following it', () => {
  let filed: { service_request_id: string; token: string };

  it('files form-encoded with the key in the body, as the hotline, through intake', async () => {
    const before = await count(t.db, 'tickets');
    const res = await client.createRequest(
      'xml',
      {
        api_key: key.hotline,
        service_code: 'parking',
        ...at(nearLabel(fx.companyCompound.label)),
        description: '小区门口车辆乱停，消防通道被堵。我是王小明，电话13812345678',
        device_id: 'hotline-seat-07',
        account_id: 'caller-5521',
        ...RESIDENT,
      },
      { attributes: { parking_issue: 'fire_lane', priority: 'urgent' } },
    );
    expect(res.status, res.raw).toBe(201);
    expect(res.contentType).toMatch(/^text\/xml/);
    expect(res.data).toHaveLength(1);
    filed = res.data[0];
    expect(filed.service_request_id).toMatch(/^T\d{13}$/);
    expect(filed.token).toBeTruthy();
    expect(res.data[0].account_id).toBe('caller-5521');
    expect(res.data[0].service_notice).toMatch(/办理时限 24 小时/);
    expect(await count(t.db, 'tickets')).toBe(before + 1);
    // The same intake: placed in its compound, the hotline's channel, urgent, the contact kept.
    const row = await ticketOf(filed.service_request_id);
    expect(row).toMatchObject({
      category: 'parking',
      status: 'received',
      priority: 'urgent',
      compound_id: fx.companyCompound.id,
      channel: 'hotline_12345',
      resident_name: '王小明',
      resident_phone: '13812345678',
    });
    expect(row.title).toBe('占用消防通道：小区门口车辆乱停，消防通道被堵');
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log
      WHERE entity = 'ticket' AND entity_id = ${String(row.id)} ORDER BY id`.execute(t.db.kysely);
    expect(audit.rows.map((r) => r.action)).toEqual(['ticket.create', 'open311.request']);
    const kept = await sql<{ email: string; device_id: string }>`SELECT email, device_id
      FROM open311_requests WHERE ticket_id = ${row.id}`.execute(t.db.kysely);
    expect(kept.rows[0]).toEqual({ email: RESIDENT.email, device_id: 'hotline-seat-07' });
  });

  it('reads it back in JSON and XML: the public view, no personal data', async () => {
    const json = await client.request(filed.service_request_id, 'json');
    expect(json.status).toBe(200);
    const [r] = Open311Requests.parse(json.data);
    expect(r).toMatchObject({
      service_request_id: filed.service_request_id,
      status: 'open',
      status_notes: '已受理，正在分派承办单位。',
      service_code: 'parking',
      service_name: '停车难',
      address_id: String(fx.companyCompound.id),
    });
    expect(r!.description).toContain('小区门口车辆乱停');
    // The compound's label point, not the point reported.
    expect(r!.long).toBeCloseTo(fx.companyCompound.label[0], 5);
    expect(r!.lat).toBeCloseTo(fx.companyCompound.label[1], 5);
    expect(Date.parse(r!.expected_datetime!) - Date.parse(r!.requested_datetime)).toBe(
      24 * 3600_000,
    );
    expectNoPersonalData(json.raw);
    const xml = await client.request(filed.service_request_id, 'xml');
    expect(xml.status).toBe(200);
    expectNoPersonalData(xml.raw);
    const x = xml.data[0];
    for (const [k, v] of Object.entries(r!))
      expect(x[k] ?? null, k).toEqual(v === null ? null : String(v));
    const tok = await client.token(filed.token, 'xml');
    expect(tok.data).toEqual([
      { service_request_id: filed.service_request_id, token: filed.token },
    ]);
    Open311Tokens.parse((await client.token(filed.token, 'json')).data);
  });

  it('answers a retry with the first request, and suggests it as a duplicate to a neighbour', async () => {
    const fields = {
      api_key: key.hotline,
      service_code: 'parking',
      ...at(nearLabel(fx.companyCompound.label)),
      description: '小区门口车辆乱停，消防通道被堵。我是王小明，电话13812345678',
      device_id: 'hotline-seat-07',
      account_id: 'caller-5521',
      ...RESIDENT,
    };
    const before = await count(t.db, 'tickets');
    const again = await client.createRequest('json', fields, {
      attributes: { parking_issue: 'fire_lane', priority: 'urgent' },
    });
    expect(again.status, again.raw).toBe(200);
    expect(again.data[0].service_request_id).toBe(filed.service_request_id);
    expect(again.data[0].token).toBe(filed.token);
    expect(await count(t.db, 'tickets')).toBe(before);
    // Another caller about the same place: a new request, told of the one already open.
    const other = await client.createRequest(
      'json',
      {
        ...fields,
        description: '门口又堵了',
        device_id: 'hotline-seat-02',
        first_name: '丽',
        last_name: '李',
        phone: undefined,
        email: undefined,
      },
      { as: 'json' },
    );
    expect(other.status, other.raw).toBe(201);
    Open311Created.parse(other.data);
    expect(other.data[0].service_request_id).not.toBe(filed.service_request_id);
    expect(other.data[0].service_notice).toContain(filed.service_request_id);
  });

  it('lists it by date, service and status, and sees it close as the lifecycle moves it', async () => {
    const code = filed.service_request_id;
    const day = new Date(Date.now() - 3600_000).toISOString().slice(0, 10);
    const window = { start_date: `${day}T00:00:00+08:00`, service_code: 'parking' };
    const codes = async (f: Format, params: Record<string, string>) => {
      const res = await client.requests(f, { ...window, ...params });
      expect(res.status, res.raw).toBe(200);
      if (f === 'json') Open311Requests.parse(res.data);
      expectNoPersonalData(res.raw);
      return (res.data as any[]).map((r) => r.service_request_id);
    };
    for (const f of FORMATS) {
      expect(await codes(f, { status: 'open' })).toContain(code);
      expect(await codes(f, { status: 'closed' })).not.toContain(code);
      expect(await codes(f, {})).toContain(code);
    }
    // The default window (the last 90 days) holds it too; another service's list does not.
    expect((await client.requests('json')).data.map((r: any) => r.service_request_id)).toContain(
      code,
    );
    expect(await codes('json', { service_code: 'noise' })).not.toContain(code);

    // The hub dispatches, the property company handles, the community calls back.
    const id = (await ticketOf(code)).id;
    const act = async (who: string, body: Record<string, unknown>) => {
      const r = await call(t.app, 'POST', `/api/tickets/${id}/transitions`, {
        cookie: as[who],
        body,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    await act('community', { action: 'dispatch' });
    let [r] = (await client.request(code, 'json')).data;
    expect(r).toMatchObject({ status: 'open', status_notes: '已派单至承办单位。' });
    expect(r.agency_responsible).toBeTruthy();
    await act('property', { action: 'accept' });
    await act('property', { action: 'start' });
    await act('property', { action: 'resolve', note: '联系车主王小明挪车，13812345678' });
    [r] = (await client.request(code, 'json')).data;
    expect(r).toMatchObject({ status: 'closed', status_notes: '已办结，等待回访。' });
    await act('community', { action: 'close', satisfaction: 5, note: '回访王小明，满意' });
    for (const f of FORMATS) {
      const one = await client.request(code, f);
      expect(one.data[0].status).toBe('closed');
      expect(one.data[0].status_notes).toBe('已回访，诉求办结。');
      expectNoPersonalData(one.raw);
      expect(await codes(f, { status: 'closed' })).toContain(code);
      expect(await codes(f, { status: 'open' })).not.toContain(code);
    }
    // service_request_id overrides every other parameter, several at once.
    const both = await client.requests('json', {
      service_request_id: `${code},T0000000000000`,
      status: 'open',
    });
    expect(both.data.map((x: any) => x.service_request_id)).toEqual([code]);
  });

  it('places an address by the names of our compounds, and pages a list', async () => {
    const place = await sql<{ name: string; context: string }>`
      SELECT a.name, (SELECT string_agg(p.name, '' ORDER BY array_position(a.path, p.id))
        FROM areas p WHERE p.id = ANY(a.path) AND p.id <> a.id
          AND p.level IN ('district', 'subdistrict', 'community')) AS context
      FROM areas a WHERE a.id = ${fx.companyCompound.id}`.execute(t.db.kysely);
    const { name, context } = place.rows[0]!;
    const res = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key.community! },
      body: JSON.stringify({
        service_code: 'facilities',
        address_string: `${context}${name}5号楼2单元`,
        description: '楼道灯不亮',
        attribute: { facility: 'street_light' },
      }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    const row = await ticketOf(body[0].service_request_id);
    expect(row.compound_id).toBe(fx.companyCompound.id);
    expect(row.title).toBe('路灯：楼道灯不亮');
    // The community's own app files as the community: walk-in channel, inside its area.
    expect(row.channel).toBe('walk_in');
    const p1 = await client.requests('json', { page_size: '2', page: '1' });
    const p2 = await client.requests('json', { page_size: '2', page: '2' });
    expect(p1.data).toHaveLength(2);
    expect(p2.data).toHaveLength(2);
    const ids = [...p1.data, ...p2.data].map((r: any) => r.service_request_id);
    expect(new Set(ids).size).toBe(4);
    expect(p1.data[0].service_request_id).toBe(body[0].service_request_id);
  });
});

describe('other ways in', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('makes one request of retries sent at once, each answered with it and a working token', async () => {
    const before = await count(t.db, 'tickets');
    const fields = {
      api_key: key.hotline,
      service_code: 'sanitation',
      ...at(fx.companyCompound.label),
      description: `楼下垃圾桶满溢 ${Date.now()}`,
      device_id: 'retry-storm',
    };
    const answers = await Promise.all([1, 2, 3].map(() => client.createRequest('json', fields)));
    for (const a of answers) expect([200, 201], a.raw).toContain(a.status);
    const ids = new Set(answers.map((a) => a.data[0].service_request_id));
    expect(ids.size).toBe(1);
    expect(await count(t.db, 'tickets')).toBe(before + 1);
    for (const a of answers) {
      const tok = await client.token(a.data[0].token, 'json');
      expect(tok.status, tok.raw).toBe(200);
      expect(tok.data[0].service_request_id).toBe([...ids][0]);
    }
  });

  it('takes the key in the query and the place as address_id; forms elsewhere stay refused', async () => {
    const res = await fetch(`${base}/requests.xml?api_key=${key.hotline}`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({
        service_code: 'sanitation',
        address_id: String(fx.companyCompound.id),
        description: '垃圾三天未清运',
      }),
    });
    expect(res.status).toBe(201);
    const code = /<service_request_id>(T\d+)<\/service_request_id>/.exec(await res.text())![1]!;
    expect((await ticketOf(code)).compound_id).toBe(fx.companyCompound.id);
    // The one form-encoded write of the app is this one: the rest of the API stays JSON-only.
    const origin = base.replace('/open311/v2', '');
    for (const url of [`${origin}/api/tickets`, `${base}/services.json`])
      expect((await fetch(url, { method: 'POST', headers: form, body: 'a=b' })).status, url).toBe(
        415,
      );
    // A signed-in browser's cookie never files: only a key does.
    const cookie = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { ...form, cookie: as.city! },
      body: new URLSearchParams({
        service_code: 'noise',
        address_id: String(fx.companyCompound.id),
        description: 'x',
      }),
    });
    expect(cookie.status).toBe(403);
  });
});

describe('errors, in the spec’s shape, writing nothing', () => {
  const expectError = (
    res: { status: number; data: any; raw: string },
    status: number,
    re: RegExp,
  ) => {
    expect(res.status, res.raw).toBe(status);
    const errors = Open311Errors.parse(
      (res.data as any[]).map((e) => ({ code: Number(e.code), description: e.description })),
    );
    expect(errors[0]!.code).toBe(status);
    expect(errors[0]!.description).toMatch(re);
  };

  it('refuses bad requests with 400/403/404 naming what to change', async () => {
    const ok = {
      api_key: key.hotline,
      service_code: 'noise',
      ...at(fx.companyCompound.label),
      description: '夜间施工噪音',
    };
    const cases: [Record<string, string | undefined>, number, RegExp, Record<string, string>?][] = [
      [{ ...ok, api_key: undefined }, 403, /api_key is required/],
      [{ ...ok, api_key: 'mq_not-a-key' }, 403, /api_key is unknown/],
      [{ ...ok, api_key: key.reader }, 403, /scope 'open311'/],
      [{ ...ok, api_key: key.community, ...at(fx.otherCommunity.label) }, 403, /outside your area/],
      [
        { ...ok, jurisdiction_id: 'beijing.gov.cn' },
        404,
        /jurisdiction_id 'beijing.gov.cn' was not found/,
      ],
      [{ ...ok, service_code: undefined }, 400, /service_code/],
      [{ ...ok, service_code: 'weather' }, 400, /service_code 'weather' is not a service/],
      [{ ...ok, lat: undefined, long: undefined }, 400, /a location is required/],
      [{ ...ok, long: undefined }, 400, /long is required with lat/],
      [{ ...ok, lat: '95' }, 400, /parameter 'lat' must be from -90 to 90/],
      [{ ...ok, lat: 'north' }, 400, /parameter 'lat'/],
      [{ ...ok, lat: '0', long: '0' }, 400, /not inside any grid of Lanzhou/],
      [
        { ...ok, lat: undefined, long: undefined, address_string: '火星基地一号院' },
        400,
        /names no compound/,
      ],
      [
        { ...ok, lat: undefined, long: undefined, address_id: '999999999' },
        400,
        /address_id 999999999 is not a compound/,
      ],
      [{ ...ok, description: undefined }, 400, /description is required/],
      [{ ...ok, email: 'not-an-email' }, 400, /parameter 'email' must be an e-mail address/],
      [{ ...ok, phone: 'call me' }, 400, /parameter 'phone'/],
      [
        { ...ok, media_url: 'file:///etc/passwd' },
        400,
        /parameter 'media_url' must be an http\(s\) URL/,
      ],
      [{ ...ok, lon: '103.8' }, 400, /parameter 'lon' is not a field/],
      [ok, 400, /attribute\[colour\] is not an attribute of service 'noise'/, { colour: 'red' }],
      [
        { ...ok, service_code: 'parking' },
        400,
        /attribute\[parking_issue\] must be one of/,
        { parking_issue: 'x' },
      ],
    ];
    const before = [
      await count(t.db, 'tickets'),
      await count(t.db, 'open311_requests'),
      await count(t.db, 'audit_log'),
    ];
    for (const f of FORMATS)
      for (const [fields, status, re, attributes] of cases) {
        const c = new Open311Client(
          base,
          fields.jurisdiction_id ? {} : { jurisdictionId: 'lanzhou.gov.cn' },
        );
        expectError(await c.createRequest(f, fields, { attributes }), status, re);
      }
    expect([
      await count(t.db, 'tickets'),
      await count(t.db, 'open311_requests'),
      await count(t.db, 'audit_log'),
    ]).toEqual(before);
  });

  it('refuses a revoked key at once, in the body as in the header', async () => {
    const issued = await issueApiKey(t.app, as.city!, { username: 'city', scopes: ['open311'] });
    const revoked = await call(t.app, 'POST', `/api/api-keys/${issued.id}/revoke`, {
      cookie: as.city,
    });
    expect(revoked.status).toBe(200);
    const fields = {
      api_key: issued.key,
      service_code: 'noise',
      ...at(fx.companyCompound.label),
      description: '夜间施工噪音',
    };
    expectError(await client.createRequest('json', fields), 403, /api_key is unknown, revoked/);
    const header = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': issued.key },
      body: JSON.stringify({ ...fields, api_key: undefined }),
    });
    expect(header.status).toBe(401);
  });

  it('says when an address fits several places', async () => {
    const dup = await sql<{ name: string }>`SELECT name FROM areas WHERE level = 'compound'
      GROUP BY name HAVING count(*) > 1 ORDER BY name LIMIT 1`.execute(t.db.kysely);
    if (dup.rows.length === 0) return; // the test city has no two compounds of one name
    const res = await client.createRequest('json', {
      api_key: key.hotline,
      service_code: 'noise',
      address_string: dup.rows[0]!.name,
      description: '噪音',
    });
    expectError(res, 400, /fits \d+ places.*add the district/);
  });

  it('refuses bad queries and unknown ids on the GETs', async () => {
    const cases: [() => Promise<any>, number, RegExp][] = [];
    for (const f of FORMATS) {
      cases.push(
        [
          () => client.requests(f, { start_date: '2026-01-01', end_date: '2026-06-01' }),
          400,
          /at most 90 days apart/,
        ],
        [
          () => client.requests(f, { start_date: '2026-06-01', end_date: '2026-05-01' }),
          400,
          /end_date must not be before start_date/,
        ],
        [
          () => client.requests(f, { start_date: 'yesterday' }),
          400,
          /parameter 'start_date' must be a W3C datetime/,
        ],
        [() => client.requests(f, { start_date: '2026-02-30' }), 400, /start_date/],
        [
          () => client.requests(f, { status: 'pending' }),
          400,
          /parameter 'status' must be open, closed/,
        ],
        [
          () => client.requests(f, { page_size: '1001' }),
          400,
          /parameter 'page_size' must be from 1 to 1000/,
        ],
        [() => client.requests(f, { service_code: 'weather' }), 400, /'weather' is not a service/],
        [
          () => client.request('T2099010100001', f),
          404,
          /service_request_id 'T2099010100001' was not found/,
        ],
        [() => client.token('no-such-token', f), 404, /token 'no-such-token' was not found/],
        [
          () => client.serviceDefinition('weather', f),
          404,
          /service_code 'weather' is not a service/,
        ],
        [
          () => new Open311Client(base, { jurisdictionId: 'x.gov.cn' }).services(f),
          404,
          /jurisdiction_id 'x.gov.cn' was not found/,
        ],
      );
    }
    for (const [run, status, re] of cases) expectError(await run(), status, re);
    // A format that is not json or xml: 404 (JSON errors, the only format left to speak).
    const html = await fetch(`${base}/services.html`);
    expect(html.status).toBe(404);
    expect((await html.json())[0].description).toMatch(/add \.json or \.xml/);
    // A dead key in the header is refused by the shared key check, in the spec's shape too.
    const dead = await fetch(`${base}/services.xml`, { headers: { 'x-api-key': 'mq_dead' } });
    expect(dead.status).toBe(401);
    expect(await dead.text()).toMatch(
      /<errors><error><code>401<\/code><description>The API key is unknown/,
    );
  });
});

describe('a database outage', () => {
  it('is a 503 in the spec’s shape, in the format asked', async () => {
    // Nothing listens on port 1: every query fails to connect, as when PostgreSQL is down.
    const pg = postgres('postgres://postgres@127.0.0.1:1/none', { connect_timeout: 1, max: 1 });
    const db = { kysely: new Kysely({ dialect: new PostgresJSDialect({ postgres: pg }) }) } as Db;
    const app = open311Routes(db, new ReadCache(1000), new ApiKeys(db));
    try {
      for (const f of FORMATS) {
        const res = await app.request(`/requests.${f}`);
        expect(res.status).toBe(503);
        const raw = await res.text();
        expect(raw).toContain(f === 'xml' ? '<errors><error><code>503</code>' : '[{"code":503');
        expect(raw).toMatch(/database is unavailable/);
      }
      // What needs no database still answers.
      expect((await app.request('/services.json')).status).toBe(200);
    } finally {
      await pg.end({ timeout: 0 });
    }
  });
});
