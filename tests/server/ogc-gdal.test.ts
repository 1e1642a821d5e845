/**
 * The OGC API read by a real client: GDAL's OAPIF driver (ogrinfo, ogr2ogr) against the app on a
 * port. It lists the collections, reads compounds inside a box, copies every compound into a
 * GeoPackage, and with a planner's API key (header or query) reads tickets without their text.
 * CI installs gdal-bin and sets REQUIRE_GDAL=1; elsewhere the test is skipped when GDAL is absent.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey, openTestApp, signIn } from './test-db.ts';

const run = promisify(execFile);

function gdalAvailable(): boolean {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const HAVE_GDAL = gdalAvailable();
if (!HAVE_GDAL) {
  if (process.env.REQUIRE_GDAL === '1')
    throw new Error('REQUIRE_GDAL=1 but ogrinfo was not found: install gdal-bin');
  console.warn('ogc-gdal.test.ts skipped: GDAL (ogrinfo, ogr2ogr from gdal-bin) is needed');
}

let t: Awaited<ReturnType<typeof openTestApp>>;
let server: ServerType;
let url: string;
let dir: string;
let plannerKey: string;

/** GDAL with the app's answers only: no proxy, no cache, no retries hiding an error. */
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[], headers?: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GDAL_HTTP_TIMEOUT: '60',
    CPL_VSIL_CURL_NON_CACHED: '/vsicurl/',
    GDAL_HTTP_MAX_RETRY: '0',
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
  const config = headers ? ['--config', 'GDAL_HTTP_HEADERS', headers] : [];
  const { stdout } = await run(tool, [...config, ...args], {
    env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return stdout;
}

const layersOf = (out: string) => [...out.matchAll(/^\d+: (\w+)/gm)].map((m) => m[1]).sort();

describe.skipIf(!HAVE_GDAL)('GDAL reads /ogc (OAPIF driver)', () => {
  beforeAll(async () => {
    t = await openTestApp();
    const city = await signIn(t.app, 'city');
    plannerKey = (await issueApiKey(t.app, city, { username: 'planner', name: 'GDAL test' })).key;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`;
    dir = mkdtempSync(join(tmpdir(), 'ogc-gdal-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.app.close();
    await t?.db.close();
  });

  it('ogrinfo lists the public collections; tickets and hazards only with a key', async () => {
    const pub = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${url}`]);
    expect(layersOf(pub)).toEqual(
      ['buildings', 'communities', 'compounds', 'districts', 'grids', 'subdistricts'].sort(),
    );
    const keyed = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${url}`], `X-API-Key: ${plannerKey}`);
    expect(layersOf(keyed)).toEqual(expect.arrayContaining(['tickets', 'hazards', 'compounds']));
  });

  it('ogrinfo -spat reads the compounds inside a box, and only those', async () => {
    const c = (
      await sql<{ x: number; y: number }>`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y
        FROM areas WHERE level = 'compound' ORDER BY id LIMIT 1`.execute(t.db.kysely)
    ).rows[0]!;
    const box = [c.x - 0.01, c.y - 0.01, c.x + 0.01, c.y + 0.01].map((v) => v.toFixed(6));
    const inside = (
      await sql<{ id: number }>`SELECT id FROM areas WHERE level = 'compound'
        AND ST_Intersects(geom, ST_MakeEnvelope(${Number(box[0])}, ${Number(box[1])},
          ${Number(box[2])}, ${Number(box[3])}, 4326)) ORDER BY id`.execute(t.db.kysely)
    ).rows.map((r) => r.id);
    expect(inside.length).toBeGreaterThan(0);
    const out = await gdal('ogrinfo', [
      '-ro',
      '-geom=NO',
      '-spat',
      ...box,
      `OAPIF:${url}`,
      'compounds',
    ]);
    const ids = [...out.matchAll(/^OGRFeature\(compounds\):(\d+)/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBe(inside.length);
    // Facts come through as typed fields.
    expect(out).toMatch(/yearBuilt \(Integer\) = \d{4}/);
    expect(out).toMatch(/rating \(String\) = (red|yellow|blue)/);
  });

  it('ogr2ogr copies every compound into a GeoPackage', async () => {
    const gpkg = join(dir, 'compounds.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', gpkg, `OAPIF:${url}`, 'compounds']);
    const n = (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM areas WHERE level = 'compound'`.execute(t.db.kysely)
    ).rows[0]!.n;
    const info = await run('ogrinfo', ['-ro', '-so', gpkg, 'compounds']);
    expect(info.stdout).toContain(`Feature Count: ${n}`);
    expect(info.stdout).toMatch(/Geometry: (Multi )?Polygon/);
  });

  it('with a planner’s key (header or query) tickets come without code, title or personal data', async () => {
    const schema = await gdal(
      'ogrinfo',
      ['-ro', '-so', `OAPIF:${url}`, 'tickets'],
      `X-API-Key: ${plannerKey}`,
    );
    expect(schema).toMatch(/^category: String/m);
    expect(schema).toMatch(/^receivedAt: DateTime/m);
    expect(schema).not.toMatch(/^(title|code|description|residentName|residentPhone|compoundId):/m);
    // The query form, as QGIS users paste it: the key rides along in every link GDAL follows.
    const gpkg = join(dir, 'tickets.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', gpkg, `OAPIF:${url}?api_key=${plannerKey}`, 'hazards']);
    const hazards = (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM hazards`.execute(t.db.kysely)
    ).rows[0]!.n;
    const info = await run('ogrinfo', ['-ro', '-so', gpkg, 'hazards']);
    expect(info.stdout).toContain(`Feature Count: ${hazards}`);
    expect(info.stdout).not.toMatch(/^description:/m);
  });
});
