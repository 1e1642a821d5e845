/**
 * The standard interfaces (/ogc, /open311/v2, /tiles) and the exports, attacked: NUL characters,
 * lone surrogates, numbers past every range, huge and repeated parameters, other roles' keys, in
 * every parameter a client can send. Each answer is below 500 and in the interface's own shape,
 * nothing is written, and the server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, issueApiKey, openTestApp, signIn } from './test-db.ts';
import { sql } from 'kysely';
import { loadFixtures, type Fixtures } from './fixtures.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const key: Record<string, string> = {};
let city = '';
beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  city = await signIn(t.app, 'city');
  key.reader = (await issueApiKey(t.app, city, { username: 'planner', scopes: ['read'] })).key;
  key.filer = (await issueApiKey(t.app, city, { username: 'city', scopes: ['open311'] })).key;
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const HOSTILE = [
  '%00',
  'a%00b',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded
  '%FF%FE',
  '-1',
  '1e309',
  '99999999999999999999',
  '2147483648',
  'NaN',
  'Infinity',
  '0x10',
  '%27%20OR%201%3D1--',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(5000),
  '%7B%22a%22%3A1%7D',
  '',
];

async function expectBelow500(url: string, init: RequestInit = {}) {
  const res = await t.app.request(url, init);
  const text = await res.text();
  expect(
    res.status,
    `${init.method ?? 'GET'} ${url.slice(0, 120)} → ${text.slice(0, 200)}`,
  ).toBeLessThan(500);
  const type = res.headers.get('content-type') ?? '';
  if (res.status >= 400) {
    if (type.includes('json')) JSON.parse(text);
    if (url.startsWith('/open311') && url.includes('.xml')) expect(text).toMatch(/<errors>/);
  }
  return { status: res.status, text, type };
}

describe('OGC API – Features', () => {
  const params = ['bbox', 'datetime', 'limit', 'cursor', 'f', 'bbox-crs', 'crs', 'offset'];
  const collections = ['compounds', 'districts', 'tickets', 'hazards', 'buildings'];
  it('answers every hostile parameter below 500', async () => {
    const statuses = new Set<number>();
    for (const c of collections)
      for (const p of params)
        for (const v of HOSTILE) {
          const url = `/ogc/collections/${c}/items?${p}=${v}&api_key=${key.reader}`;
          statuses.add((await expectBelow500(url)).status);
        }
    // The sweep reached the handlers: some values were fine, the rest refused as bad requests.
    expect([...statuses].sort()).toEqual([200, 400]);
  });
  it('answers hostile paths and feature ids below 500', async () => {
    for (const v of HOSTILE) {
      await expectBelow500(`/ogc/collections/${v}`);
      await expectBelow500(`/ogc/collections/${v}/items`);
      await expectBelow500(`/ogc/collections/compounds/items/${v}`);
      await expectBelow500(`/ogc/collections/tickets/items/${v}?api_key=${key.reader}`);
      await expectBelow500(`/ogc?f=${v}`);
      await expectBelow500(`/ogc/collections?api_key=${v}`);
    }
  });
  it('gives a bad bbox a 400 that names it', async () => {
    for (const bbox of ['1,2,3', '200,0,201,1', '104,37,103,36', 'a,b,c,d', '1,2,3,4,5,6,7']) {
      const res = await call(t.app, 'GET', `/ogc/collections/compounds/items?bbox=${bbox}`);
      expect(res.status, bbox).toBe(400);
      expect(JSON.stringify(res.body)).toContain('bbox');
    }
  });
});

describe('vector tiles', () => {
  it('answers hostile tile addresses below 500', async () => {
    for (const layer of ['areas', 'compounds', 'tickets', '%00', 'x'.repeat(300)])
      for (const v of HOSTILE) {
        await expectBelow500(`/tiles/${layer}/${v}/0/0.mvt?api_key=${key.reader}`);
        await expectBelow500(`/tiles/${layer}/3/${v}/0.mvt?api_key=${key.reader}`);
        await expectBelow500(`/tiles/${layer}/3/0/${v}.mvt?api_key=${key.reader}`);
        await expectBelow500(`/tiles/${layer}/12/3000/1500.mvt?level=${v}&api_key=${key.reader}`);
        await expectBelow500(`/tiles/${layer}.json?level=${v}`);
      }
    await expectBelow500('/tiles/compounds/31/0/0.mvt');
    await expectBelow500('/tiles/compounds/3/8/0.mvt');
    await expectBelow500('/tiles/basemap/..%2F..%2Fpackage.json');
    await expectBelow500('/tiles/basemap/%00.pmtiles', { headers: { range: 'bytes=0-10' } });
  });
});

describe('Open311', () => {
  const reads = [
    'requests.json?service_request_id=',
    'requests.json?service_code=',
    'requests.json?start_date=',
    'requests.json?end_date=',
    'requests.json?status=',
    'requests.json?page=',
    'requests.json?page_size=',
    'requests.xml?start_date=',
    'requests/',
    'tokens/',
    'services/',
  ];
  it('answers every hostile read below 500, in its format', async () => {
    for (const r of reads)
      for (const v of HOSTILE) {
        const url = r.endsWith('/') ? `/open311/v2/${r}${v}.json` : `/open311/v2/${r}${v}`;
        await expectBelow500(url);
        if (r.endsWith('/')) await expectBelow500(`/open311/v2/${r}${v}.xml`);
      }
  });

  it('answers unknown paths and guarded queries in the spec’s error list', async () => {
    for (const url of ['/open311/v2/a/b/c.json', '/open311/v2/requests.json?status=%00']) {
      const res = await expectBelow500(url);
      expect(JSON.parse(res.text)[0], url).toMatchObject({ code: res.status });
    }
    expect((await expectBelow500('/open311/v2/x/y.xml')).text).toMatch(/<errors>/);
  });

  it('refuses hostile filings below 500 and writes nothing', async () => {
    const marker = `hostile-${Date.now()}`;
    const base = {
      api_key: key.filer,
      service_code: 'parking',
      lat: String(fx.companyCompound.label[1]),
      long: String(fx.companyCompound.label[0]),
      description: `门口车辆乱停 ${marker}`,
    };
    // Free text is filed as given (once cleaned); everything else that is hostile is refused.
    const freeText = new Set([
      'description',
      'address_string',
      'first_name',
      'last_name',
      'device_id',
      'account_id',
      'email',
      'phone',
      'media_url',
      'jurisdiction_id',
    ]);
    const fields = [
      ...freeText,
      'service_code',
      'lat',
      'long',
      'address_id',
      'attribute[priority]',
      'attribute[parking_issue]',
      'api_key',
    ];
    let filed = 0;
    for (const f of fields)
      for (const raw of ['\u0000', 'x\ud800y', 'NaN', '1e309', '-91', 'x'.repeat(20_000)]) {
        const value = f === 'description' ? `${marker} ${raw}` : raw;
        const form = new URLSearchParams({
          ...base,
          [f]: value,
          device_id: `${f}-${raw.slice(0, 8)}`,
        });
        if (f === 'device_id') form.set('device_id', raw);
        const res = await expectBelow500('/open311/v2/requests.json', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        if (res.status === 201) {
          filed++;
          expect(freeText.has(f), `${f}=${raw.slice(0, 20)} (${raw.length} chars) was filed`).toBe(
            true,
          );
        } else if (res.status !== 200) {
          const body = JSON.parse(res.text);
          expect(body[0].code, res.text).toBe(res.status);
          expect(body[0].description.length).toBeGreaterThan(0);
        }
      }
    // Bodies that are not what they claim to be.
    for (const [type, body] of [
      ['application/json', '{"service_code":'],
      ['application/json', '[1,2,3]'],
      ['application/json', '"x"'],
      ['application/x-www-form-urlencoded', '%%%%'],
      ['text/plain', 'service_code=parking'],
      ['application/xml', '<x/>'],
    ] as const) {
      const res = await expectBelow500('/open311/v2/requests.xml', {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.text).toMatch(/<errors>/);
    }
    const big = await expectBelow500('/open311/v2/requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...base, description: 'x'.repeat(3_000_000) }).toString(),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)[0].code).toBe(413);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets
      WHERE description LIKE ${'%' + marker + '%'}`.execute(t.db.kysely);
    expect(rows[0]!.n).toBe(filed);
  });
});

describe('exports', () => {
  const lists = [
    '/api/tickets/export',
    '/api/hazards/export',
    '/api/audit/export',
    '/api/credit/ranking/export',
  ];
  it('answers hostile filters and formats below 500', async () => {
    for (const u of lists)
      for (const p of ['format', 'lang', 'q', 'from', 'to', 'category', 'status', 'area', 'limit'])
        for (const v of HOSTILE.slice(0, 12))
          await expectBelow500(`${u}?${p}=${v}`, { headers: { cookie: city } });
  });
});

it('still answers afterwards', async () => {
  expect((await t.app.request('/api/health')).status).toBe(200);
});
