/**
 * The civic lists as files (deliberation, mediation, service points and visits, flagged ledgers):
 * every row of the list for the same filters and caller (limit and offset do not apply), a CSV
 * with BOM, the list's field rules (masked proposers, no mediation parties), the list's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { call, openTestApp, signIn } from './test-db.ts';
import { fileClient } from './files.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
let fx: Fixtures;
const as: Record<string, string | undefined> = { public: undefined };

beforeAll(async () => {
  t = await openTestApp();
  fx = await loadFixtures(t.db);
  for (const u of [
    'city',
    'district',
    'community',
    'property',
    'planner',
    'mediator',
    'mediator-director',
  ])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const rows = async <T = any>(q: ReturnType<typeof sql>) =>
  (await q.execute(t.db.kysely)).rows as T[];

const { download, csvOf, geojsonOf } = fileClient({
  request: (u, init) => t.app.request(u, init),
});

const withQuery = (path: string, q: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;

/**
 * The file against the list for one caller: the same status when the list refuses, else every row
 * (CSV and GeoJSON), each feature at a point (its own or its place's) or null.
 */
async function sameAsList(path: string, who: string) {
  const cookie = as[who];
  const list = await call(t.app, 'GET', withQuery(path, 'limit=1'), { cookie });
  const csvUrl = withQuery(path, 'format=csv&limit=1&offset=3');
  if (list.status !== 200) {
    const file = await call(t.app, 'GET', csvUrl, { cookie });
    expect(file.status, `${path} as ${who}`).toBe(list.status);
    return { total: -1, csv: null, geo: null };
  }
  const total = list.body.total as number;
  const csv = await csvOf(csvUrl, cookie);
  expect(csv.rows.length, `${path} as ${who}`).toBe(total);
  const geo = await geojsonOf(withQuery(path, 'format=geojson'), cookie);
  expect(geo.type).toBe('FeatureCollection');
  expect(geo.features.length).toBe(total);
  for (const f of geo.features) {
    if (f.geometry !== null) {
      expect(f.geometry.type).toBe('Point');
      expect(f.geometry.coordinates[0]).toBeGreaterThan(100);
    }
    expect(f.properties).not.toHaveProperty('path');
  }
  return { total, csv, geo };
}

async function badFormat(path: string, cookie?: string) {
  const r = await call(t.app, 'GET', withQuery(path, 'format=pdf'), { cookie });
  expect(r.status).toBe(400);
  expect(JSON.stringify(r.body)).toContain('format');
}

describe('deliberation lists', () => {
  const LISTS = [
    '/api/deliberation/proposals',
    '/api/deliberation/meetings',
    '/api/deliberation/needs',
    '/api/deliberation/resources',
    '/api/deliberation/projects',
  ];

  it('each list as CSV and GeoJSON holds the list’s rows for city, community and the public', async () => {
    for (const path of LISTS) {
      const city = await sameAsList(path, 'city');
      expect(city.total, path).toBeGreaterThanOrEqual(0);
      await sameAsList(path, 'community');
      await sameAsList(path, 'public');
      await badFormat(path, as.city);
    }
  });

  it('proposals: filters apply, English headers, proposers masked as in the list', async () => {
    const submit = await call(t.app, 'POST', '/api/deliberation/proposals', {
      cookie: as.community,
      body: {
        compoundId: fx.companyCompound.id,
        topic: 'parking',
        title: '导出测试：增设非机动车充电棚',
        body: '业主反映电动车充电难',
        source: 'owner',
        proposerName: '张建国',
        proposerPhone: '13912345678',
      },
    });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const filtered = await sameAsList('/api/deliberation/proposals?stage=submitted', 'city');
    expect(filtered.total).toBeGreaterThan(0);
    const en = await csvOf('/api/deliberation/proposals?format=csv&lang=en', as.city);
    expect(en.header.slice(0, 3)).toEqual(['ID', 'Compound', 'Topic']);
    // Whoever reads the proposal only masked reads it masked in the file too.
    for (const who of ['property', 'planner']) {
      const r = await sameAsList('/api/deliberation/proposals', who);
      if (!r.csv) continue;
      expect(r.csv.text, who).not.toContain('13912345678');
      expect(JSON.stringify(r.geo), who).not.toContain('13912345678');
    }
    // The public: published results only, never a proposer.
    const pub = await sameAsList('/api/deliberation/proposals', 'public');
    expect(pub.csv!.text).not.toContain('13912345678');
    for (const f of pub.geo!.features) expect(f.properties.stage).toBe('published');
    // A bad filter is the list's 400.
    const bad = await call(t.app, 'GET', '/api/deliberation/proposals?stage=x&format=csv', {
      cookie: as.city,
    });
    expect(bad.status).toBe(400);
  });
});

describe('mediation cases', () => {
  it('holds the list’s rows, never a party’s name or phone, for officials and mediators', async () => {
    const parties = await rows<{ name: string; phone: string | null }>(
      sql`SELECT name, phone FROM mediation_parties`,
    );
    expect(parties.length).toBeGreaterThan(0);
    const phones = new Set(parties.flatMap((p) => (p.phone ? [p.phone] : [])));
    for (const who of ['city', 'mediator', 'mediator-director', 'district', 'public']) {
      const r = await sameAsList('/api/mediation/cases', who);
      if (!r.csv) continue;
      expect(r.total, who).toBeGreaterThanOrEqual(0);
      if (who === 'city') expect(r.total).toBeGreaterThan(0);
      // Every digit run of the file, against the parties' phones (a set: thousands of parties).
      const text = r.csv.text + JSON.stringify(r.geo);
      const leaked = (text.match(/[0-9-]{5,}/g) ?? []).filter((d) => phones.has(d));
      expect(leaked, who).toEqual([]);
    }
    const city = await sameAsList('/api/mediation/cases?status=open', 'city');
    // An official sees no building (it narrows a case to a few households): the column is empty.
    const building = city.csv!.header.indexOf('楼栋');
    expect(building).toBeGreaterThan(0);
    for (const row of city.csv!.rows) expect(row[building]).toBe('');
    await badFormat('/api/mediation/cases', as.city);
  });
});

describe('service points and 执法进小区 visits', () => {
  it('service points: every open point of the list, public too', async () => {
    const list = await call(t.app, 'GET', '/api/service-points');
    expect(list.status).toBe(200);
    const n = list.body.features.length as number;
    expect(n).toBeGreaterThan(0);
    const csv = await csvOf('/api/service-points?format=csv');
    expect(csv.rows.length).toBe(n);
    expect(csv.header[0]).toBe('编号');
    const geo = await geojsonOf('/api/service-points?format=geojson');
    expect(geo.features.length).toBe(n);
    expect(geo.features.every((f) => f.geometry.type === 'Point')).toBe(true);
    const area = fx.accounts.community.areaId;
    const some = await call(t.app, 'GET', `/api/service-points?area=${area}`);
    expect((await csvOf(`/api/service-points?area=${area}&format=csv`)).rows.length).toBe(
      some.body.features.length,
    );
    // Closed points are for their managers, in the file as in the list.
    expect((await call(t.app, 'GET', '/api/service-points?closed=true&format=csv')).status).toBe(
      401,
    );
    await badFormat('/api/service-points');
  });

  it('visits: the list’s rows for each caller, at their compound', async () => {
    for (const who of ['city', 'community', 'planner', 'public']) {
      await sameAsList('/api/service-points/enforcement', who);
    }
    const city = await sameAsList('/api/service-points/enforcement', 'city');
    if (city.total > 0) expect(city.geo!.features[0]!.geometry).not.toBeNull();
    await badFormat('/api/service-points/enforcement', as.city);
  });
});

describe('flagged ledgers', () => {
  it('the list’s rows for the same month and area, public too', async () => {
    for (const who of ['city', 'district', 'property', 'public']) {
      await sameAsList('/api/ledgers/flagged', who);
    }
    const list = await call(t.app, 'GET', '/api/ledgers/flagged?limit=1', { cookie: as.city });
    const month = (list.body.period as string).slice(0, 7);
    const { res } = await download('/api/ledgers/flagged?format=csv', as.city);
    expect(res.headers.get('content-disposition')).toContain(`ledgers-flagged-${month}.csv`);
    await badFormat('/api/ledgers/flagged', as.city);
  });
});
