/**
 * Exports of the operations lists (party gap tasks, accounts, whistles) as files: the list's
 * rows for the same filters and caller, a BOM, no field the list hides, and the list's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { listWhistles } from '../../server/db/queries/whistles.ts';
import { call, openTestApp, signIn } from './test-db.ts';
import { fileClient } from './files.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'district', 'community', 'property', 'planner'])
    as[u] = await signIn(t.app, u);
});
afterAll(async () => {
  await t.app.close();
  await t.db.close();
});

const { download, csvOf, geojsonOf } = fileClient({
  request: (u, init) => t.app.request(u, init),
});

const statusOf = async (url: string, cookie?: string) =>
  (await call(t.app, 'GET', url, cookie ? { cookie } : {})).status;

describe('party gap tasks export', () => {
  it('holds every task of the list for the same filters, with compound points', async () => {
    const list = await call(t.app, 'GET', '/api/party/gaps?status=all&limit=50', {
      cookie: as.city,
    });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(50); // more than a page: limit does not apply
    const { header, rows } = await csvOf('/api/party/gaps?status=all&format=csv', as.city);
    expect(header.slice(0, 2)).toEqual(['任务编号', '缺口类型']);
    expect(rows.length).toBe(list.body.total);
    expect(rows.slice(0, 10).map((r) => Number(r[0]))).toEqual(
      (list.body.items as { id: number }[]).slice(0, 10).map((i) => i.id),
    );

    const area = await call(t.app, 'GET', '/api/party/gaps?status=active', {
      cookie: as.community,
    });
    const fc = await geojsonOf('/api/party/gaps?status=active&format=geojson', as.community);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(area.body.total);
    if (fc.features.length > 0) {
      expect(fc.features[0]!.geometry.type).toBe('Point');
      expect(fc.features[0]!.properties.kind).toBeTypeOf('string');
      expect('canManage' in fc.features[0]!.properties).toBe(false);
    }
    const en = await csvOf('/api/party/gaps?format=csv&lang=en', as.city);
    expect(en.header[1]).toBe('Gap kind');

    expect(await statusOf('/api/party/gaps?format=pdf', as.city)).toBe(400);
    expect(await statusOf('/api/party/gaps?format=csv&kind=nope', as.city)).toBe(400);
    expect(await statusOf('/api/party/gaps?format=csv&area=999999', as.city)).toBe(
      await statusOf('/api/party/gaps?area=999999', as.city),
    );
    expect(await statusOf('/api/party/gaps?format=csv')).toBe(await statusOf('/api/party/gaps'));
  });
});

describe('accounts export', () => {
  it('holds the accounts the caller manages, never a password hash', async () => {
    const list = await call(t.app, 'GET', '/api/accounts?limit=10', { cookie: as.city });
    expect(list.status).toBe(200);
    const { header, rows, text } = await csvOf('/api/accounts?format=csv', as.city);
    expect(header.slice(0, 2)).toEqual(['账号编号', '用户名']);
    expect(rows.length).toBe(list.body.total);
    expect(text).not.toMatch(/\$argon2|\$scrypt|scrypt:|password_hash|passwordHash/i);

    const district = await call(t.app, 'GET', '/api/accounts?role=community', {
      cookie: as.district,
    });
    const fc = await geojsonOf('/api/accounts?role=community&format=geojson', as.district);
    expect(fc.features.length).toBe(district.body.total);
    expect(new Set(fc.features.map((f) => f.id))).toEqual(
      new Set((district.body.items as { id: number }[]).map((i) => i.id)),
    );
    for (const f of fc.features) {
      expect(f.geometry).toBeNull();
      expect(Object.keys(f.properties).some((k) => /password(?!ChangedAt)|hash/i.test(k))).toBe(
        false,
      );
    }

    expect(await statusOf('/api/accounts?format=xlsx', as.city)).toBe(400);
    expect(await statusOf('/api/accounts?format=csv', as.planner)).toBe(
      await statusOf('/api/accounts', as.planner),
    );
    expect(await statusOf('/api/accounts?format=csv')).toBe(401);
  });
});

describe('whistles export', () => {
  it('holds every whistle of the list for the same filters, at their positions', async () => {
    const list = await call(t.app, 'GET', '/api/whistles?state=all&limit=2000', {
      cookie: as.city,
    });
    expect(list.status).toBe(200);
    const { header, rows } = await csvOf('/api/whistles?state=all&format=csv', as.city);
    expect(header[0]).toBe('编号');
    expect(rows.length).toBe(list.body.total);
    expect(rows.map((r) => r[0])).toEqual(
      (list.body.items as { code: string }[]).map((i) => i.code),
    );

    const own = await call(t.app, 'GET', '/api/whistles?state=all&limit=2000', {
      cookie: as.property,
    });
    const fc = await geojsonOf('/api/whistles?state=all&format=geojson', as.property);
    expect(fc.features.map((f) => f.id)).toEqual(
      (own.body.items as { id: number }[]).map((i) => i.id),
    );
    for (const f of fc.features) expect(f.geometry.type).toBe('Point');

    // The keyset the export's batches use: small batches neither repeat nor skip a whistle.
    const ids: number[] = [];
    let after: { open: boolean; blownAt: string; id: number } | undefined;
    for (;;) {
      const { items } = await listWhistles(t.db, {
        scope: sql<boolean>`true`, // the city's scope: every whistle
        state: 'all',
        limit: 3,
        ...(after ? { after } : {}),
      });
      if (items.length === 0) break;
      ids.push(...(items as { id: number }[]).map((i) => i.id));
      const last = items[items.length - 1] as { id: number; blownAt: string; resolvedAt: unknown };
      after = { open: last.resolvedAt === null, blownAt: last.blownAt, id: last.id };
      if (items.length < 3) break;
    }
    expect(ids).toEqual((list.body.items as { id: number }[]).map((i) => i.id));

    expect(await statusOf('/api/whistles?format=kml', as.city)).toBe(400);
    expect(await statusOf('/api/whistles?format=csv&state=bad', as.city)).toBe(400);
    expect(await statusOf('/api/whistles?format=csv')).toBe(await statusOf('/api/whistles'));
  });
});

describe('ratings red list export', () => {
  it('holds every red compound of the summary with its follow-up, at compound points', async () => {
    const summary = await call(t.app, 'GET', '/api/ratings/summary', { cookie: as.city });
    expect(summary.status).toBe(200);
    const { header, rows } = await csvOf('/api/ratings/summary?format=csv', as.city);
    expect(header.slice(0, 2)).toEqual(['小区编号', '小区']);
    // The panel shows the worst 200; the file holds every red compound of the latest month.
    expect(rows.length).toBe(summary.body.totals.red);
    expect(rows.slice(0, 10).map((r) => Number(r[0]))).toEqual(
      (summary.body.redList as { compoundId: number }[]).slice(0, 10).map((i) => i.compoundId),
    );

    const mine = await call(t.app, 'GET', '/api/ratings/summary', { cookie: as.community });
    const fc = await geojsonOf('/api/ratings/summary?format=geojson', as.community);
    expect(fc.features.map((f) => f.id)).toEqual(
      (mine.body.redList as { compoundId: number }[]).map((i) => i.compoundId),
    );
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Point');
      expect('path' in f.properties).toBe(false);
    }

    expect(await statusOf('/api/ratings/summary?format=doc', as.city)).toBe(400);
    expect(await statusOf('/api/ratings/summary?format=csv&area=99999999', as.city)).toBe(404);
    expect(await statusOf('/api/ratings/summary?format=csv')).toBe(
      await statusOf('/api/ratings/summary'),
    );
  });
});

describe('patrols export', () => {
  it('has one CSV row per track of the day’s list, and the list itself as a GeoJSON file', async () => {
    const last = await sql<{ day: string }>`
      SELECT to_char(max(started_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
      FROM patrols`.execute(t.db.kysely);
    const day = last.rows[0]?.day ?? new Date().toISOString().slice(0, 10);
    const list = await call(t.app, 'GET', `/api/patrols?date=${day}`, { cookie: as.city });
    expect(list.status).toBe(200);
    const tracks = (list.body.features as { properties: { kind: string; id: number } }[]).filter(
      (f) => f.properties.kind === 'track',
    );
    const { header, rows } = await csvOf(`/api/patrols?date=${day}&format=csv`, as.city);
    expect(header[0]).toBe('巡查编号');
    expect(rows.map((r) => Number(r[0]))).toEqual(tracks.map((f) => f.properties.id));
    const { res, text } = await download(`/api/patrols?date=${day}&format=geojson`, as.city);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="minqing-patrols-${day}_${day}.geojson"`,
    );
    expect(JSON.parse(text).features.length).toBe(list.body.features.length);

    expect(await statusOf('/api/patrols?format=shp', as.city)).toBe(400);
    expect(await statusOf('/api/patrols?format=csv', as.property)).toBe(
      await statusOf('/api/patrols', as.property),
    );
    expect(await statusOf('/api/patrols?format=csv')).toBe(401);
  });
});
