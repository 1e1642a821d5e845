/**
 * OGC API – Features at /ogc: a test per conformance class claimed (Core: landing page, API
 * definition, conformance, collections, collection, items with each parameter and paging to the
 * end, feature; GeoJSON; HTML; OpenAPI 3.0), and who reads what: the public reads what the public
 * map shows, tickets and hazards only through the caller's own map layer (planners: no text).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OgcCollection,
  OgcCollections,
  OgcConformance,
  OgcFeature,
  OgcFeatureCollection,
  OgcLandingPage,
} from '../../server/contract/ogc.ts';
import { ROLES_UNDER_TEST } from './fixtures.ts';
import { call, issueApiKey, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};
beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'planner', 'district', 'mediator', 'sentinel'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const CORE = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core';
const BASE = 'http://localhost/ogc';

async function get(url: string, opts: { cookie?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  const res = await t.app.request(url, { headers });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text,
    json: () => JSON.parse(text) as any,
  };
}

const rels = (links: { rel: string; type: string }[]) => links.map((l) => `${l.rel} ${l.type}`);
const count = async (q: ReturnType<typeof sql<{ n: number }>>) =>
  (await q.execute(t.db.kysely)).rows[0]!.n;

/** Follows `next` links from `url` to the end; the ids in order and the pages read. */
async function pageThrough(url: string, opts: { cookie?: string } = {}) {
  const ids: number[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const r = await get(next.replace(/^http:\/\/localhost/, ''), opts);
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    const fc = OgcFeatureCollection.parse(r.json());
    expect(fc.numberReturned).toBe(fc.features.length);
    ids.push(...fc.features.map((f) => f.id));
    next = fc.links.find((l) => l.rel === 'next')?.href;
    pages++;
    expect(pages).toBeLessThan(1000);
  }
  return { ids, pages };
}

describe('Core: landing page (/req/core/root-success)', () => {
  it('has a title, description and the links a client starts from', async () => {
    const r = await get('/ogc');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    const body = OgcLandingPage.parse(r.json());
    expect(body.title).toMatch(/OGC API/);
    expect(rels(body.links)).toEqual(
      expect.arrayContaining([
        'self application/json',
        'alternate text/html',
        'service-desc application/vnd.oai.openapi+json;version=3.0',
        'service-doc text/html',
        'conformance application/json',
        'data application/json',
      ]),
    );
    for (const l of body.links) expect(l.href.startsWith(BASE)).toBe(true);
    // The address pasted with a trailing slash leads to the same resource.
    const slash = await t.app.request('/ogc/?f=json');
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/ogc?f=json');
    expect((await t.app.request('/ogc/collections/')).headers.get('location')).toBe(
      '/ogc/collections',
    );
  });
});

describe('Core: conformance (/req/core/conformance-success)', () => {
  it('claims exactly the classes honoured here', async () => {
    const r = await get('/ogc/conformance');
    expect(r.status).toBe(200);
    expect(OgcConformance.parse(r.json()).conformsTo.sort()).toEqual(
      [
        CORE,
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ].sort(),
    );
  });
});

describe('OpenAPI 3.0 (/conf/oas30): the API definition', () => {
  it('is an OpenAPI 3.0 document of every path and parameter, in its own content type', async () => {
    const r = await get('/ogc/api');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/vnd\.oai\.openapi\+json;\s?version=3\.0/);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.servers[0].url).toBe(BASE);
    for (const path of [
      '/',
      '/conformance',
      '/api',
      '/collections',
      '/collections/compounds',
      '/collections/compounds/items',
      '/collections/compounds/items/{featureId}',
    ])
      expect(doc.paths[path]?.get, path).toBeDefined();
    const params = doc.paths['/collections/compounds/items'].get.parameters.map(
      (p: { $ref: string }) => p.$ref.split('/').pop(),
    );
    expect(params).toEqual(expect.arrayContaining(['bbox', 'datetime', 'limit', 'f']));
    expect(doc.components.parameters.limit.schema).toMatchObject({ maximum: 10000, default: 100 });
    // Every $ref resolves.
    for (const ref of r.text.match(/"#\/components\/[^"]+"/g) ?? []) {
      const [, , kind, name] = ref.slice(1, -1).split('/');
      expect(doc.components[kind!][name!], ref).toBeDefined();
    }
    // It describes what the caller may read, no more.
    expect(doc.paths['/collections/tickets/items']).toBeUndefined();
    const planner = (await get('/ogc/api', { cookie: as.planner })).json();
    expect(
      Object.keys(planner.paths['/collections/tickets/items/{featureId}'].get.responses),
    ).toContain('200');
  });

  it('has an HTML rendering (service-doc)', async () => {
    const r = await get('/ogc/api?f=html');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/html/);
    expect(r.text).toContain('/collections/{collectionId}'.replace('{collectionId}', 'compounds'));
  });
});

describe('Core: collections (/req/core/fc-md-success, /req/core/sfc-md-success)', () => {
  it('lists the public collections with extents in CRS84 and items links', async () => {
    const r = await get('/ogc/collections');
    expect(r.status).toBe(200);
    const body = OgcCollections.parse(r.json());
    expect(body.collections.map((c) => c.id)).toEqual([
      'districts',
      'subdistricts',
      'communities',
      'grids',
      'compounds',
      'buildings',
    ]);
    for (const c of body.collections) {
      expect(c.itemType).toBe('feature');
      expect(c.crs).toContain('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      const [w, s, e, n] = c.extent!.spatial.bbox[0]!;
      // Lanzhou
      expect(w).toBeGreaterThan(102);
      expect(e).toBeLessThan(105);
      expect(s).toBeGreaterThan(35);
      expect(n).toBeLessThan(38);
      expect(rels(c.links)).toEqual(
        expect.arrayContaining([
          'self application/json',
          'items application/geo+json',
          'items text/html',
        ]),
      );
    }
  });

  it('describes one collection; tickets have a temporal extent', async () => {
    const r = await get('/ogc/collections/compounds');
    expect(r.status).toBe(200);
    const c = OgcCollection.parse(r.json());
    expect(c.id).toBe('compounds');
    expect(c.extent!.temporal).toBeUndefined();
    const tickets = OgcCollection.parse(
      (await get('/ogc/collections/tickets', { cookie: as.city })).json(),
    );
    const [start, end] = tickets.extent!.temporal!.interval[0]!;
    expect(new Date(start!).getTime()).toBeLessThan(Date.now());
    expect(end).toBeNull();
  });

  it('404 for an unknown collection', async () => {
    const r = await get('/ogc/collections/nope');
    expect(r.status).toBe(404);
    expect(r.json().error.code).toBe('not_found');
  });
});

describe('Core: items (/req/core/fc-*)', () => {
  it('pages compounds to the end with next links: every compound once, in order', async () => {
    const n = await count(
      sql<{ n: number }>`SELECT count(*)::int AS n FROM areas WHERE level = 'compound'`,
    );
    const first = await get('/ogc/collections/compounds/items?limit=50');
    expect(first.type).toMatch(/^application\/geo\+json/);
    const fc = OgcFeatureCollection.parse(first.json());
    expect(fc.numberMatched).toBe(n);
    expect(fc.numberReturned).toBe(Math.min(50, n));
    expect(fc.links.find((l) => l.rel === 'prev')).toBeUndefined();
    expect(Date.now() - new Date(fc.timeStamp).getTime()).toBeLessThan(60_000);
    const { ids, pages } = await pageThrough('/ogc/collections/compounds/items?limit=50');
    expect(ids.length).toBe(n);
    expect(new Set(ids).size).toBe(n);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(pages).toBe(Math.ceil(n / 50));
  });

  it('a prev link leads back to the page before', async () => {
    const p1 = OgcFeatureCollection.parse(
      (await get('/ogc/collections/grids/items?limit=7')).json(),
    );
    const next = p1.links.find((l) => l.rel === 'next')!.href;
    expect(next).toContain('limit=7');
    const p2 = OgcFeatureCollection.parse((await get(next.replace('http://localhost', ''))).json());
    const prev = p2.links.find((l) => l.rel === 'prev')!.href;
    const back = OgcFeatureCollection.parse(
      (await get(prev.replace('http://localhost', ''))).json(),
    );
    expect(back.features.map((f) => f.id)).toEqual(p1.features.map((f) => f.id));
    expect(back.links.find((l) => l.rel === 'prev')).toBeUndefined();
  });

  it('pages tickets in (time, id) order to the end of a window and back, none repeated or lost', async () => {
    const from = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const n = await count(
      sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM tickets WHERE received_at >= ${from}::timestamptz`,
    );
    const url = `/ogc/collections/tickets/items?limit=37&datetime=${encodeURIComponent(`${from}/..`)}`;
    const { ids, pages } = await pageThrough(url, { cookie: as.city });
    expect(ids.length).toBe(n);
    expect(new Set(ids).size).toBe(n);
    expect(pages).toBe(Math.max(1, Math.ceil(n / 37)));
    // Back from the second page by its prev link.
    const p1 = OgcFeatureCollection.parse((await get(url, { cookie: as.city })).json());
    const next = p1.links.find((l) => l.rel === 'next')!.href.replace('http://localhost', '');
    const p2 = OgcFeatureCollection.parse((await get(next, { cookie: as.city })).json());
    const prev = p2.links.find((l) => l.rel === 'prev')!.href.replace('http://localhost', '');
    const back = OgcFeatureCollection.parse((await get(prev, { cookie: as.city })).json());
    expect(back.features.map((f) => f.id)).toEqual(p1.features.map((f) => f.id));
    // A cursor of another collection's order is refused.
    const cursor = new URL(`http://x${next}`).searchParams.get('cursor')!;
    expect((await get(`/ogc/collections/grids/items?cursor=${cursor}`)).status).toBe(400);
  });

  it('compounds carry their facts and last month’s rating, full geometry', async () => {
    const fc = OgcFeatureCollection.parse(
      (await get('/ogc/collections/compounds/items?limit=20')).json(),
    );
    const f = fc.features.find((x) => x.properties.rating !== null)!;
    expect(f.geometry!.type).toMatch(/Polygon/);
    expect(f.properties).toMatchObject({
      name: expect.any(String),
      yearBuilt: expect.any(Number),
      households: expect.any(Number),
      buildings: expect.any(Number),
      rating: expect.stringMatching(/^(red|yellow|blue)$/),
      ratingScore: expect.any(Number),
      ratingPeriod: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
    const last = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM compound_ratings
      WHERE compound_id = ${f.id} AND to_char(period, 'YYYY-MM') = ${f.properties.ratingPeriod as string}
        AND period = (SELECT max(period) FROM compound_ratings)`);
    expect(last).toBe(1);
    // Full geometry: as many vertices as stored.
    const stored = await count(
      sql<{ n: number }>`SELECT ST_NPoints(geom)::int AS n FROM areas WHERE id = ${f.id}`,
    );
    expect(JSON.stringify(f.geometry).match(/\[\d+\.\d+,\d+\.\d+\]/g)!.length).toBe(stored);
  });

  it('limit: default 100, larger than 10000 clamped, nonsense refused', async () => {
    expect(
      OgcFeatureCollection.parse((await get('/ogc/collections/buildings/items')).json())
        .numberReturned,
    ).toBe(100);
    const big = await get('/ogc/collections/districts/items?limit=99999');
    expect(big.status).toBe(200);
    expect(big.json().links.find((l: { rel: string }) => l.rel === 'self').href).toContain(
      'limit=10000',
    );
    for (const bad of ['0', '-1', '1.5', 'ten'])
      expect((await get(`/ogc/collections/districts/items?limit=${bad}`)).status, bad).toBe(400);
  });

  it('bbox: only features that intersect it; 400 for 6 numbers, disorder, outside the world', async () => {
    const [cx, cy] = (
      await sql<{
        p: [number, number];
      }>`SELECT json_build_array(ST_X(label_point), ST_Y(label_point)) AS p
        FROM areas WHERE level = 'compound' ORDER BY id LIMIT 1`.execute(t.db.kysely)
    ).rows[0]!.p;
    const box = [cx - 0.01, cy - 0.01, cx + 0.01, cy + 0.01];
    const inside = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM areas
      WHERE level = 'compound' AND ST_Intersects(geom, ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326))`);
    expect(inside).toBeGreaterThan(0);
    const { ids } = await pageThrough(
      `/ogc/collections/compounds/items?limit=10&bbox=${box.join(',')}`,
    );
    expect(ids.length).toBe(inside);
    const fc = OgcFeatureCollection.parse(
      (await get(`/ogc/collections/compounds/items?bbox=${box.join(',')}`)).json(),
    );
    expect(fc.numberMatched).toBe(inside);
    for (const bad of [
      '1,2,3',
      '103,36,0,104,37,0',
      '104,36,103,37',
      '103,37,104,36',
      '-200,0,10,10',
      '0,-91,1,1',
      'a,b,c,d',
    ])
      expect((await get(`/ogc/collections/compounds/items?bbox=${bad}`)).status, bad).toBe(400);
    const msg = (await get('/ogc/collections/compounds/items?bbox=1,2,3')).json().error.message;
    expect(msg).toContain("'bbox'");
  });

  it('datetime: instant, closed and open intervals, on tickets’ received time', async () => {
    const range = (
      await sql<{
        a: string;
        b: string;
      }>`SELECT to_char(min(received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS a,
        to_char(max(received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS b FROM tickets`.execute(
        t.db.kysely,
      )
    ).rows[0]!;
    const day = range.b;
    const onDay = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets
      WHERE received_at >= ${`${day}T00:00:00Z`}::timestamptz AND received_at < ${`${day}T00:00:00Z`}::timestamptz + interval '1 day'`);
    const q = (dt: string) =>
      `/ogc/collections/tickets/items?limit=10000&datetime=${encodeURIComponent(dt)}`;
    const n = async (dt: string) => {
      const r = await get(q(dt), { cookie: as.city });
      expect(r.status, `${dt}: ${r.text.slice(0, 200)}`).toBe(200);
      const fc = OgcFeatureCollection.parse(r.json());
      for (const f of fc.features) expect(typeof f.properties.receivedAt).toBe('string');
      return fc;
    };
    expect((await n(day)).numberReturned).toBe(onDay);
    expect((await n(`${day}T00:00:00Z/${day}T23:59:59.999Z`)).numberReturned).toBe(onDay);
    const open = await n(`${day}T00:00:00Z/..`);
    expect(open.features.every((f) => (f.properties.receivedAt as string) >= `${day}`)).toBe(true);
    expect(open.numberReturned).toBeGreaterThanOrEqual(onDay);
    const before = await n(`../${range.a}`);
    expect(
      before.features.every(
        (f) => new Date(f.properties.receivedAt as string) < new Date(`${range.a}T23:59:59.999Z`),
      ),
    ).toBe(true);
    const exact = (await n(day)).features[0]!.properties.receivedAt as string;
    const instant = await n(new Date(exact).toISOString());
    expect(
      instant.features
        .map((f) => f.properties.receivedAt)
        .every((x) => new Date(x as string).getTime() === new Date(exact).getTime()),
    ).toBe(true);
    expect(instant.numberReturned).toBeGreaterThan(0);
    // tickets have no numberMatched (too costly to count at scale; the spec allows leaving it out)
    expect(instant.numberMatched).toBeUndefined();
    for (const bad of [
      'yesterday',
      '2026-13-01',
      '../..',
      '2026-11-02/2026-11-01',
      '2026-11-01/2026-11-02/2026-11-03',
    ])
      expect((await get(q(bad), { cookie: as.city })).status, bad).toBe(400);
  });

  it('400 for a parameter it does not define; f and api_key are not unknown', async () => {
    const r = await get('/ogc/collections/compounds/items?name=x');
    expect(r.status).toBe(400);
    expect(r.json().error.message).toContain("'name'");
    expect((await get('/ogc/collections?foo=1')).status).toBe(400);
    expect((await get('/ogc/collections/compounds/items?f=json')).status).toBe(200);
    expect((await get('/ogc/collections/compounds/items?cursor=garbage')).status).toBe(400);
    expect((await get('/ogc/collections/compounds/items?f=xml')).status).toBe(400);
  });
});

describe('Core: feature (/req/core/f-success)', () => {
  it('one feature with self and collection links; 404 for another collection’s id or nonsense', async () => {
    const fc = OgcFeatureCollection.parse(
      (await get('/ogc/collections/buildings/items?limit=1')).json(),
    );
    const id = fc.features[0]!.id;
    const r = await get(`/ogc/collections/buildings/items/${id}`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/geo\+json/);
    const f = OgcFeature.parse(r.json());
    expect(f.id).toBe(id);
    expect(rels(f.links!)).toEqual(
      expect.arrayContaining(['self application/geo+json', 'collection application/json']),
    );
    // A compound's id is no district.
    const compound = (await get('/ogc/collections/compounds/items?limit=1')).json().features[0].id;
    expect((await get(`/ogc/collections/compounds/items/${compound}`)).status).toBe(200);
    expect((await get(`/ogc/collections/districts/items/${compound}`)).status).toBe(404);
    expect((await get('/ogc/collections/buildings/items/abc')).status).toBe(404);
    expect((await get('/ogc/collections/buildings/items/99999999999')).status).toBe(404);
  });
});

describe('GeoJSON (/conf/geojson)', () => {
  it('items and features are GeoJSON in CRS84 (lon, lat order)', async () => {
    const fc = (await get('/ogc/collections/districts/items')).json();
    expect(fc.type).toBe('FeatureCollection');
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      const [lon, lat] = JSON.stringify(f.geometry.coordinates)
        .match(/-?\d+\.\d+/g)!
        .map(Number);
      expect(lon).toBeGreaterThan(100);
      expect(lat).toBeLessThan(40);
    }
    // Accept negotiation: a GIS client asking for GeoJSON gets it.
    const r = await get('/ogc/collections/districts/items', {
      headers: { accept: 'application/geo+json' },
    });
    expect(r.type).toMatch(/^application\/geo\+json/);
  });
});

describe('HTML (/conf/html)', () => {
  it('every resource has an HTML page, by f=html or a browser’s Accept, escaped, with lang', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const path of [
      '/ogc',
      '/ogc/conformance',
      '/ogc/api',
      '/ogc/collections',
      '/ogc/collections/compounds',
      '/ogc/collections/compounds/items?limit=5',
    ]) {
      const r = await get(path, { headers: browser });
      expect(r.status, path).toBe(200);
      expect(r.type, path).toMatch(/^text\/html/);
      expect(r.text, path).toMatch(/^<!doctype html>\s*<html lang="zh-CN">/);
      expect(r.text, path).toContain('<h1>');
    }
    const items = await get('/ogc/collections/compounds/items?limit=5&f=html');
    expect(items.text).toContain('rel="next"');
    const fid = (await get('/ogc/collections/compounds/items?limit=1')).json().features[0].id;
    const one = await get(`/ogc/collections/compounds/items/${fid}?f=html`);
    expect(one.type).toMatch(/^text\/html/);
    // A resident's words in a ticket title are shown as text, never as markup.
    const [ticket] = (
      await sql<{
        id: number;
        title: string;
      }>`SELECT id, title FROM tickets ORDER BY id LIMIT 1`.execute(t.db.kysely)
    ).rows;
    const setTitle = (title: string) =>
      sql`UPDATE tickets SET title = ${title} WHERE id = ${ticket!.id}`.execute(t.db.kysely);
    await setTitle('<script>alert(1)</script>漏水');
    try {
      const page = await get(`/ogc/collections/tickets/items/${ticket!.id}?f=html`, {
        cookie: as.city,
      });
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;漏水');
    } finally {
      // On PostgreSQL the next test files read the same database.
      await setTitle(ticket!.title);
    }
  });
});

describe('who reads tickets and hazards', () => {
  it('the public sees no tickets or hazards: not listed, 401 when asked', async () => {
    const list = OgcCollections.parse((await get('/ogc/collections')).json());
    expect(list.collections.map((c) => c.id)).not.toContain('tickets');
    for (const path of [
      '/ogc/collections/tickets',
      '/ogc/collections/tickets/items',
      '/ogc/collections/hazards/items/1',
    ])
      expect((await get(path)).status, path).toBe(401);
  });

  it('each role reads tickets and hazards exactly as its map layer holds them', async () => {
    const from = new Date(Date.now() - 60 * 86_400_000).toISOString();
    for (const u of ROLES_UNDER_TEST) {
      const cookie = as[u] ?? (as[u] = await signIn(t.app, u));
      const listed = OgcCollections.parse(
        (await get('/ogc/collections', { cookie })).json(),
      ).collections.map((c) => c.id);
      for (const noun of ['tickets', 'hazards'] as const) {
        const map = await call(t.app, 'GET', `/api/${noun}?limit=20000&from=${from}`, { cookie });
        const ogc = await get(
          `/ogc/collections/${noun}/items?limit=10000&datetime=${encodeURIComponent(`${from}/..`)}`,
          { cookie },
        );
        expect(ogc.status, `${u} ${noun}`).toBe(map.status);
        expect(listed.includes(noun), `${u} ${noun}`).toBe(map.status === 200);
        if (map.status !== 200) continue;
        expect(map.body.truncated).toBe(false);
        const fc = OgcFeatureCollection.parse(ogc.json());
        expect(
          fc.links.find((l) => l.rel === 'next'),
          `${u} ${noun}`,
        ).toBeUndefined();
        // The same records...
        expect(
          fc.features.map((f) => f.id).sort((a, b) => a - b),
          `${u} ${noun}`,
        ).toEqual(
          map.body.features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b),
        );
        // ...and nothing the map withholds: every OGC field is one the map layer shows
        // (closedAt: the full layers' lists and details show it).
        const mapKeys = new Set(
          map.body.features.flatMap((f: { properties: object }) => Object.keys(f.properties)),
        );
        for (const k of new Set(fc.features.flatMap((f) => Object.keys(f.properties))))
          expect(mapKeys.has(k) || k === 'closedAt', `${u} ${noun} ${k}`).toBe(true);
      }
    }
  });

  it('a planner’s API key reads tickets city-wide without personal or free-text fields', async () => {
    const { key } = await issueApiKey(t.app, as.city!, { username: 'planner' });
    const list = OgcCollections.parse(
      (await get('/ogc/collections', { headers: { 'x-api-key': key } })).json(),
    );
    expect(list.collections.map((c) => c.id)).toEqual(
      expect.arrayContaining(['tickets', 'hazards']),
    );
    const r = await get('/ogc/collections/tickets/items?limit=200', {
      headers: { 'x-api-key': key },
    });
    expect(r.status).toBe(200);
    const fc = OgcFeatureCollection.parse(r.json());
    expect(fc.features.length).toBe(200);
    for (const f of fc.features)
      expect(Object.keys(f.properties).sort()).toEqual([
        'category',
        'dueAt',
        'overdue',
        'receivedAt',
        'status',
      ]);
    expect(JSON.stringify(fc.features)).not.toMatch(/resident|phone|title|"code"/i);
    // The query form works too, and the links carry it on.
    const q = await get(`/ogc/collections/hazards/items?limit=2&api_key=${key}`);
    expect(q.status).toBe(200);
    const next = q.json().links.find((l: { rel: string }) => l.rel === 'next');
    expect(next.href).toContain(`api_key=${key}`);
    expect(JSON.stringify(q.json().features)).not.toMatch(/description/);
  });

  it('a district sees only its own district’s tickets, with their text; never a resident’s name', async () => {
    const r = await get('/ogc/collections/tickets/items?limit=500', { cookie: as.district });
    const fc = OgcFeatureCollection.parse(r.json());
    const ids = fc.features.map((f) => f.id);
    const outside = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets t
      JOIN accounts a ON a.username = 'district' WHERE t.id = ANY(${ids}::int[]) AND t.district_id <> a.area_id`);
    expect(outside).toBe(0);
    expect(fc.features[0]!.properties.title).toEqual(expect.any(String));
    expect(r.text).not.toMatch(/resident|phone/i);
    // A ticket of another district is no feature of its collection.
    const other = (
      await sql<{
        id: number;
      }>`SELECT t.id FROM tickets t JOIN accounts a ON a.username = 'district'
      WHERE t.district_id <> a.area_id LIMIT 1`.execute(t.db.kysely)
    ).rows[0]!;
    expect(
      (await get(`/ogc/collections/tickets/items/${other.id}`, { cookie: as.district })).status,
    ).toBe(404);
  });

  it('a revoked or unknown key is refused, not read as the public', async () => {
    expect(
      (await get('/ogc/collections', { headers: { 'x-api-key': 'mq_nonsense' } })).status,
    ).toBe(401);
  });
});
