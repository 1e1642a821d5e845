/**
 * Vector tiles: TileJSON, tiles of each layer decoded with @mapbox/vector-tile, caching
 * validators, who may read the ticket layer, bad addresses; on PostgreSQL the ST_AsMVT tile and
 * the JavaScript encoder's tile carry the same features; GDAL's MVT driver reads a tile of each
 * layer from a real socket.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileOf, type TileAddress } from '../../geo/tiles.ts';
import * as q from '../../server/db/queries/tiles.ts';
import type { Db } from '../../server/db/client.ts';
import { scopeCondition } from '../../server/db/queries/scope.ts';
import { issueApiKey, openTestApp, signIn } from './test-db.ts';

let t: Awaited<ReturnType<typeof openTestApp>>;
const as: Record<string, string> = {};
/** A compound with open tickets, and the tiles around its label point. */
let compound: { id: number; lon: number; lat: number; gridId: number };
let z14: TileAddress;

beforeAll(async () => {
  t = await openTestApp();
  for (const u of ['city', 'planner', 'mediator', 'gridworker']) as[u] = await signIn(t.app, u);
  const r = await sql<{ id: number; lon: number; lat: number; gridId: number }>`
    SELECT a.id, ST_X(a.label_point) AS lon, ST_Y(a.label_point) AS lat, a.parent_id AS "gridId"
    FROM areas a WHERE a.level = 'compound'
      AND EXISTS (SELECT 1 FROM tickets t WHERE t.compound_id = a.id AND t.closed_at IS NULL
        AND t.status NOT IN ('resolved', 'rejected_duplicate'))
    ORDER BY a.id LIMIT 1`.execute(t.db.kysely);
  compound = r.rows[0]!;
  z14 = tileOf([compound.lon, compound.lat], 14);
}, 120_000);

afterAll(async () => {
  await t?.db.close();
});

const path = (layer: string, a: TileAddress) => `/tiles/${layer}/${a.z}/${a.x}/${a.y}.mvt`;

async function getTile(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(url, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes };
}

type Decoded = Record<
  string,
  { id: number | undefined; type: number; props: Record<string, unknown>; geom: number[][][] }[]
>;

function decode(bytes: Uint8Array): Decoded {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Decoded = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name].push({
        id: f.id,
        type: f.type,
        props: { ...f.properties },
        geom: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y])),
      });
    }
  }
  return out;
}

describe('TileJSON', () => {
  it('describes each public layer with a tile template, zooms, bounds and fields', async () => {
    for (const layer of ['areas', 'compounds']) {
      const res = await t.app.request(`/tiles/${layer}.json`);
      expect(res.status).toBe(200);
      const tj = (await res.json()) as Record<string, any>;
      expect(tj.tilejson).toBe('3.0.0');
      expect(tj.tiles[0]).toMatch(new RegExp(`/tiles/${layer}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt$`));
      expect(tj.maxzoom).toBe(16);
      expect(tj.bounds[0]).toBeLessThan(103.83);
      expect(tj.bounds[2]).toBeGreaterThan(103.83);
      expect(tj.vector_layers.length).toBeGreaterThan(0);
      expect(Object.keys(tj.vector_layers[0].fields)).toContain('id');
    }
    const areas = (await (await t.app.request('/tiles/areas.json')).json()) as any;
    expect(areas.vector_layers.map((l: { id: string }) => l.id)).toEqual([
      'district',
      'subdistrict',
      'community',
      'grid',
    ]);
  });

  it('refuses the ticket layer to the public and to accounts without a ticket layer', async () => {
    expect((await t.app.request('/tiles/tickets.json')).status).toBe(401);
    const mediator = await t.app.request('/tiles/tickets.json', {
      headers: { cookie: as.mediator! },
    });
    expect(mediator.status).toBe(403);
    const planner = await t.app.request('/tiles/tickets.json', {
      headers: { cookie: as.planner! },
    });
    expect(planner.status).toBe(200);
  });

  it('carries an API key given in the query into the tile template', async () => {
    const { key } = await issueApiKey(t.app, as.city!, { username: 'planner' });
    const res = await t.app.request(`/tiles/tickets.json?api_key=${key}`);
    expect(res.status).toBe(200);
    const tj = (await res.json()) as { tiles: string[] };
    expect(tj.tiles[0]).toContain(`.mvt?api_key=${key}`);
    const tile = await t.app.request(path('tickets', z14), { headers: { 'X-API-Key': key } });
    expect(tile.status).toBe(200);
  });
});

describe('tiles', () => {
  it('serves the areas of every level shown at the zoom, with their fields', async () => {
    const { res, bytes } = await getTile(path('areas', z14));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const d = decode(bytes);
    expect(Object.keys(d).sort()).toEqual(['community', 'district', 'grid', 'subdistrict']);
    const grid = d.grid!.find((f) => f.id === compound.gridId);
    expect(grid, 'the compound’s grid').toBeDefined();
    expect(grid!.type).toBe(3);
    expect(grid!.props).toMatchObject({ id: compound.gridId, level: 'grid' });
    for (const k of ['name', 'parentId', 'households', 'compounds', 'openTickets'])
      expect(grid!.props).toHaveProperty(k);
    expect(grid!.props.openTickets as number).toBeGreaterThan(0);
    // Geometries are on the tile's grid, within the buffer.
    for (const ring of grid!.geom)
      for (const [x, y] of ring) {
        expect(Number.isInteger(x) && x >= -64 && x <= 4160).toBe(true);
        expect(Number.isInteger(y) && y >= -64 && y <= 4160).toBe(true);
      }
    // Zoom 9: districts and subdistricts only.
    const low = decode(
      (await getTile(path('areas', tileOf([compound.lon, compound.lat], 9)))).bytes,
    );
    expect(Object.keys(low).sort()).toEqual(['district', 'subdistrict']);
  });

  it('serves compounds as polygons up close and as points when under 4 px', async () => {
    const near = decode((await getTile(path('compounds', z14))).bytes);
    const c = near.compounds!.find((f) => f.id === compound.id);
    expect(c).toBeDefined();
    expect(c!.type).toBe(3);
    expect(c!.props).toMatchObject({ id: compound.id });
    for (const k of ['name', 'rating', 'score', 'yearBuilt', 'households', 'buildings'])
      expect(c!.props).toHaveProperty(k);
    expect(c!.props.openTickets as number).toBeGreaterThan(0);
    const far = decode(
      (await getTile(path('compounds', tileOf([compound.lon, compound.lat], 8)))).bytes,
    );
    const p = far.compounds!.find((f) => f.id === compound.id);
    expect(p?.type).toBe(1);
  });

  it('counts open tickets per cell within the caller’s rule', async () => {
    expect((await getTile(path('tickets', z14))).res.status).toBe(401);
    expect((await getTile(path('tickets', z14), { cookie: as.mediator! })).res.status).toBe(403);
    const city = await getTile(path('tickets', z14), { cookie: as.city! });
    expect(city.res.status).toBe(200);
    expect(city.res.headers.get('cache-control')).toMatch(/^private/);
    const cells = decode(city.bytes).tickets!;
    const total = cells.reduce((n, f) => n + (f.props.count as number), 0);
    expect(total).toBeGreaterThan(0);
    for (const f of cells) {
      expect(f.type).toBe(1);
      const byCategory = Object.entries(f.props)
        .filter(([k]) => k.startsWith('c_'))
        .reduce((n, [, v]) => n + (v as number), 0);
      expect(byCategory).toBe(f.props.count);
    }
    // Counted in SQL the plain way: open tickets whose point lies in the tile.
    const direct = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets t
      WHERE t.closed_at IS NULL AND t.status NOT IN ('resolved', 'rejected_duplicate')
        AND ST_Intersects(ST_Transform(t.geom, 3857), ST_TileEnvelope(${z14.z}::int, ${z14.x}::int, ${z14.y}::int))`.execute(
      t.db.kysely,
    );
    expect(total).toBe(direct.rows[0]!.n);
    const planner = decode((await getTile(path('tickets', z14), { cookie: as.planner! })).bytes);
    expect(planner.tickets!.reduce((n, f) => n + (f.props.count as number), 0)).toBe(total);
    // A gridworker counts only its own grid's tickets.
    const grid = await getTile(path('tickets', z14), { cookie: as.gridworker! });
    const gridTotal = grid.bytes.byteLength
      ? decode(grid.bytes).tickets!.reduce((n, f) => n + (f.props.count as number), 0)
      : 0;
    expect(gridTotal).toBeLessThanOrEqual(total);
  });

  it('shows a new ticket in its tile at once, though tiles are cached', async () => {
    const count = async () =>
      decode((await getTile(path('tickets', z14), { cookie: as.city! })).bytes).tickets!.reduce(
        (n, f) => n + (f.props.count as number),
        0,
      );
    const before = await count();
    expect(await count()).toBe(before); // now cached
    const made = await t.app.request('/api/tickets', {
      method: 'POST',
      headers: { cookie: as.city!, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'sanitation',
        title: '瓦片缓存测试',
        position: [compound.lon, compound.lat],
      }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    // The write's event empties the tiles over it: well within the 30 s the cache would keep.
    let after = before;
    for (let i = 0; i < 40 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await count();
    }
    expect(after).toBe(before + 1);
  });

  it('answers If-None-Match with 304 and an empty tile with 204', async () => {
    const first = await getTile(path('compounds', z14));
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await getTile(path('compounds', z14), { 'If-None-Match': etag });
    expect(again.res.status).toBe(304);
    expect(again.bytes.byteLength).toBe(0);
    // The middle of the Pacific has no compound.
    const empty = await getTile('/tiles/compounds/10/10/500.mvt');
    expect(empty.res.status).toBe(204);
    // Below the layer's minzoom: empty as well.
    expect((await getTile('/tiles/compounds/3/6/3.mvt')).res.status).toBe(204);
  });

  it('names the problem with a bad address', async () => {
    const cases: [string, number, string][] = [
      ['/tiles/nope/14/1/1.mvt', 404, 'layer'],
      ['/tiles/areas/17/1/1.mvt', 400, 'z'],
      ['/tiles/areas/1.5/1/1.mvt', 400, 'z'],
      ['/tiles/areas/3/8/1.mvt', 400, 'x'],
      ['/tiles/areas/3/1/-1.mvt', 400, 'y'],
      ['/tiles/areas/3/1/1.png', 404, 'y'],
      ['/tiles/nope.json', 404, 'layer'],
    ];
    for (const [url, status, field] of cases) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(status);
      const body = (await res.json()) as { error: { message: string; field?: string } };
      expect(body.error.field, url).toBe(field);
    }
  });
});

describe('the two encoders', () => {
  it('ST_AsMVT and the JavaScript encoder give the same features (PostgreSQL)', async (ctx) => {
    if (t.db.kind !== 'postgres') ctx.skip();
    // The same database read through the PGlite path: SQL-clipped geometries, vt-pbf encoding.
    const js: Db = { ...t.db, kind: 'pglite' } as Db;
    const z13 = tileOf([compound.lon, compound.lat], 13);
    const all = await q.areaFigures(t.db);
    const box = [-180, -85, 180, 85];
    const pairs: [string, (db: Db) => Promise<Uint8Array>][] = [
      [
        'areas',
        (db) =>
          q.areasTile(db, z14, ['district', 'subdistrict', 'community', 'grid'], (l) =>
            q.figuresJson(all, l, box),
          ),
      ],
      ['compounds', (db) => q.compoundsTile(db, z13, 4, q.figuresJson(all, 'compound', box))],
      ['tickets', (db) => q.ticketsTile(db, z14, scopeCondition({ kind: 'all' }, 'tickets', 't'))],
    ];
    for (const [name, make] of pairs) {
      const a = decode(await make(t.db));
      const b = decode(await make(js));
      expect(Object.keys(a).length, name).toBeGreaterThan(0);
      expect(b, name).toEqual(a);
    }
  });
});

const run = promisify(execFile);

async function hasGdal() {
  try {
    await run('ogrinfo', ['--version']);
    return true;
  } catch {
    if (process.env.REQUIRE_GDAL === '1') throw new Error('REQUIRE_GDAL=1 but ogrinfo is missing');
    console.warn('GDAL (ogrinfo) is needed for the MVT driver test: skipped');
    return false;
  }
}

describe('GDAL', () => {
  it('reads a tile of each layer with the expected fields', async (ctx) => {
    if (!(await hasGdal())) ctx.skip();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const { key } = await issueApiKey(t.app, as.city!, { username: 'planner', name: 'gdal' });
      const dir = await mkdtemp(join(tmpdir(), 'mvt-'));
      const expected: [string, string, string[]][] = [
        ['areas', 'grid', ['id', 'name', 'level', 'parentId', 'households']],
        ['compounds', 'compounds', ['id', 'name', 'rating', 'score', 'yearBuilt']],
        ['tickets', 'tickets', ['count', 'overdue', 'c_parking']],
      ];
      for (const [layer, sourceLayer, fields] of expected) {
        // Over the socket: /vsicurl/ to the tile URL, the key in the query as GDAL can send it.
        const url = `http://127.0.0.1:${port}${path(layer, z14)}?api_key=${key}`;
        const res = await fetch(url);
        expect(res.status, layer).toBe(200);
        // GDAL 3.6 georeferences a lone tile from a z/x/y path: keep that shape on disk.
        const file = join(dir, layer, String(z14.z), String(z14.x), `${z14.y}.mvt`);
        await import('node:fs/promises').then((fs) =>
          fs.mkdir(join(dir, layer, String(z14.z), String(z14.x)), { recursive: true }),
        );
        await writeFile(file, new Uint8Array(await res.arrayBuffer()));
        const { stdout } = await run('ogrinfo', ['-ro', '-so', file, sourceLayer]);
        expect(stdout, layer).toMatch(/Feature Count: [1-9]/);
        for (const f of fields) expect(stdout, `${layer}.${f}`).toMatch(new RegExp(`^${f}: `, 'm'));
        // Lanzhou: the extent is in EPSG:3857 around 103.8°E 36°N.
        expect(stdout).toMatch(/Extent: \(115\d{5}/);
      }
      // And straight from the server.
      const { stdout } = await run('ogrinfo', [
        '-ro',
        '-so',
        '-oo',
        `X=${z14.x}`,
        '-oo',
        `Y=${z14.y}`,
        '-oo',
        `Z=${z14.z}`,
        `/vsicurl/http://127.0.0.1:${port}${path('compounds', z14)}`,
        'compounds',
      ]);
      expect(stdout).toMatch(/Feature Count: [1-9]/);
    } finally {
      server.close();
    }
  }, 60_000);
});
