/**
 * Vector tiles (Mapbox Vector Tile 2.1) with their TileJSON, and the local PMTiles basemap:
 *
 * - GET /tiles/{layer}.json: TileJSON 3.0.0
 * - GET /tiles/{layer}/{z}/{x}/{y}.mvt: a tile; 204 when no feature meets it; strong ETag, 304
 * - GET /tiles/basemap/{name}.pmtiles: the BASEMAP_PMTILES file with range requests (206/416)
 *
 * Plain Hono routes, not OpenAPI ones: the paths end in an extension that OpenAPI's `{y}.mvt`
 * cannot express for Hono's router; docs/tiles.md describes them.
 */
import type { Context } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { basemapFile, basemapName, parseRange } from '../services/basemap.ts';
import { notFound } from '../services/domain-error.ts';
import { ReadCache } from '../services/read-cache.ts';
import {
  checkTileAccess,
  parseTileAddress,
  tile,
  tileJson,
  tileLayerOf,
} from '../services/tiles.ts';
import { TileJson } from '../contract/tiles.ts';
import { router } from './openapi.ts';

export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/** Whether an If-None-Match header names this ETag (or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

/** The URL prefix clients reached us by (behind a proxy: what it forwarded, when trusted). */
function origin(c: Context, config: Config): string {
  const url = new URL(c.req.url);
  if (config.TRUST_PROXY) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto) url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url.origin;
}

/**
 * Tiles have their own cache: a map session asks for dozens of them, and in the shared one (500
 * answers) they would push out the KPIs and lists everyone else reads.
 */
export const tileCache = () => new ReadCache(30_000, 4_000);

/**
 * `tiles` is the tiles' own cache (see {@link tileCache}), fed the same write events as the
 * shared one (server/app.ts), so a write shows in its tiles at once.
 */
export function tilesRoutes(db: Db, tiles: ReadCache, config: Config) {
  const pmtiles = config.BASEMAP_PMTILES;
  const pmtilesName = pmtiles ? `${basemapName(pmtiles)}.pmtiles` : null;

  return router()
    .get('/basemap/:file', async (c) => {
      const file = c.req.param('file');
      if (!pmtiles || file !== pmtilesName) {
        throw notFound(
          'basemap_not_found',
          pmtilesName
            ? `No basemap '${file}': this server serves ${pmtilesName}`
            : 'No PMTiles basemap is configured (BASEMAP_PMTILES)',
          'file',
        );
      }
      const f = await basemapFile(pmtiles);
      if (!f) throw notFound('basemap_not_found', `The basemap file ${pmtilesName} is missing`);
      const headers: Record<string, string> = {
        'Accept-Ranges': 'bytes',
        'Content-Type': 'application/vnd.pmtiles',
        ETag: f.etag,
        'Last-Modified': f.lastModified,
        'Cache-Control': 'public, max-age=3600',
      };
      if (matches(c.req.header('if-none-match'), f.etag)) return c.body(null, 304, headers);
      const ifRange = c.req.header('if-range');
      // A range of a file that changed since the client's copy would mix two files: send it all.
      const range =
        ifRange && ifRange !== f.etag ? null : parseRange(c.req.header('range'), f.size);
      if (range === 'unsatisfiable') {
        return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${f.size}` });
      }
      if (range === null) {
        headers['Content-Length'] = String(f.size);
        if (f.size === 0) return c.body(null, 200, headers);
        return c.body(f.open(0, f.size - 1), 200, headers);
      }
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${f.size}`;
      headers['Content-Length'] = String(range.end - range.start + 1);
      return c.body(f.open(range.start, range.end), 206, headers);
    })
    .get('/:layer/:z/:x/:file', async (c) => {
      const { layer: name, z, x, file } = c.req.param();
      const layer = tileLayerOf(name);
      const m = /^(.*)\.(mvt|pbf)$/.exec(file);
      if (!m) {
        throw notFound('tile_not_found', `No tile '${file}': tiles are named {y}.mvt`, 'y');
      }
      const t = parseTileAddress(layer, z, x, m[1]!);
      const answer = await tile(db, tiles, c.var.actor, layer, t);
      const headers = {
        ETag: answer.etag,
        'Cache-Control': answer.cacheControl,
        // Tickets differ by account: a shared cache must not hand one account's tile to another.
        Vary: 'Cookie, X-API-Key',
      };
      if (matches(c.req.header('if-none-match'), answer.etag)) return c.body(null, 304, headers);
      if (answer.body.byteLength === 0) return c.body(null, 204, headers);
      return c.body(answer.body as Uint8Array<ArrayBuffer>, 200, {
        ...headers,
        'Content-Type': MVT_TYPE,
      });
    })
    .get('/:file', (c) => {
      const file = c.req.param('file');
      const m = /^(.*)\.json$/.exec(file);
      if (!m)
        throw notFound(
          'tile_layer_not_found',
          `No '${file}': TileJSON is at /tiles/{layer}.json`,
          'layer',
        );
      const layer = tileLayerOf(m[1]!);
      checkTileAccess(layer, c.var.actor);
      // An API key given in the query must travel with the tile requests of clients (GDAL, QGIS)
      // that only follow the template.
      const key = c.req.query('api_key');
      const suffix = key ? `?api_key=${encodeURIComponent(key)}` : '';
      const body: TileJson = tileJson(
        layer,
        `${origin(c, config)}/tiles/${layer}/{z}/{x}/{y}.mvt${suffix}`,
      );
      return c.json(body, 200, { 'Cache-Control': 'public, max-age=600' });
    });
}
