/**
 * Writes a sample PMTiles basemap from the project's own data: the `areas` vector tiles (district
 * to grid outlines) over Lanzhou, zooms 5 to 12 by default, read from the app in-process.
 *
 *   npx tsx scripts/make-basemap-pmtiles.ts [--out=data/basemap/lanzhou.pmtiles] [--maxzoom=12]
 *   BASEMAP_PMTILES=data/basemap/lanzhou.pmtiles npm run serve
 *
 * It runs on the database the app would use (DATABASE_URL, else the PGlite folder DATA_DIR). A
 * real street basemap comes from a Protomaps build instead (docs/tiles.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePmtiles, type PmtilesTile } from '../geo/pmtiles.ts';
import { tileOf } from '../geo/tiles.ts';
import { LANZHOU_BOUNDS, TILESETS } from '../server/services/tiles.ts';

type Requester = { request: (u: string) => Response | Promise<Response> };

/** The archive of the `areas` tiles from `minzoom` to `maxzoom` over `bounds`. */
export async function buildAreasPmtiles(
  app: Requester,
  opts: { minzoom?: number; maxzoom?: number; bounds?: [number, number, number, number] } = {},
): Promise<Uint8Array> {
  const bounds = opts.bounds ?? LANZHOU_BOUNDS;
  const minzoom = opts.minzoom ?? 5;
  const maxzoom = opts.maxzoom ?? 12;
  const tiles: PmtilesTile[] = [];
  for (let z = minzoom; z <= maxzoom; z++) {
    const a = tileOf([bounds[0], bounds[3]], z);
    const b = tileOf([bounds[2], bounds[1]], z);
    for (let x = a.x; x <= b.x; x++) {
      for (let y = a.y; y <= b.y; y++) {
        const res = await app.request(`/tiles/areas/${z}/${x}/${y}.mvt`);
        if (res.status === 204) continue;
        if (res.status !== 200) throw new Error(`/tiles/areas/${z}/${x}/${y}.mvt: ${res.status}`);
        tiles.push({ z, x, y, data: new Uint8Array(await res.arrayBuffer()) });
      }
    }
  }
  const spec = TILESETS.areas;
  return writePmtiles(tiles, {
    tileType: 'mvt',
    bounds,
    center: [103.83, 36.06, Math.min(maxzoom, 10)],
    metadata: {
      name: '民情地图 areas of Lanzhou',
      attribution: '民情地图',
      description:
        'Sample basemap made from the project’s own areas (scripts/make-basemap-pmtiles.ts)',
      vector_layers: spec.vectorLayers.map((l) => ({ ...l, maxzoom })),
    },
  });
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const out = arg('out') ?? 'data/basemap/lanzhou.pmtiles';
  const { loadConfig } = await import('../server/config.ts');
  const { openDb } = await import('../server/db/client.ts');
  const { createApp } = await import('../server/app.ts');
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const app = createApp({ db, config });
  const bytes = await buildAreasPmtiles(app, {
    minzoom: Number(arg('minzoom') ?? 5),
    maxzoom: Number(arg('maxzoom') ?? 12),
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, bytes);
  console.log(`wrote ${out}: ${(bytes.byteLength / 1024).toFixed(0)} KiB`);
  await app.close();
  await db.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
