import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { beijingDate } from '../../geo/periods.ts';
import type { Db } from '../db/client.ts';
import { WallCells, WallHazards, WallRatings, WallWhistles } from '../contract/wall.ts';
import type { Resolution } from '../services/analytics.ts';
import type { CacheTags, ReadCache } from '../services/read-cache.ts';
import * as s from '../services/wall-layers.ts';
import { requireWallViewer } from '../services/wall-viewer.ts';
import { dayParam } from '../validation.ts';
import { errorResponses, queryDoc, router, unchecked } from './openapi.ts';
import { sendGeoJson } from './points.ts';

/** Every wall shares one answer per layer; it may lag writes briefly (see ReadCache). */
const tags = (...nouns: CacheTags['nouns']): CacheTags => ({ nouns, aggregate: true });

/** Live layers: the wall polls them, the server's cache makes ten walls cost one query. */
const LIVE = 'no-store';
/** Layers that change by the month, and past days' tracks (a patrol may still run past midnight). */
const SLOW = 'private, max-age=300';

const jsonOk = (schema: z.ZodType, description: string) => ({
  200: { description, content: { 'application/json': { schema: unchecked(schema) } } },
  ...errorResponses,
});
const binaryOk = (description: string) => ({
  200: {
    description,
    content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
  },
  ...errorResponses,
});

function sendBinary(c: Context, bytes: Uint8Array, cacheControl: string) {
  c.header('content-type', 'application/octet-stream');
  c.header('cache-control', cacheControl);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
}

/** The wall's map layers (/api/wall/layers/*): aggregates and places only. */
export function wallLayerRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/hazards',
        summary: 'Open hazards: position, severity (0 low … 3 critical) and overdue, as columns',
        responses: jsonOk(WallHazards, 'Open hazards'),
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const body = await cache.get(
          'wall:layers:hazards',
          () => s.wallHazards(db, viewer),
          tags('hazards'),
        );
        c.header('cache-control', LIVE);
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/whistles',
        summary:
          'Unresolved whistles as arcs from the area that blew to the compound, with their state',
        responses: jsonOk(WallWhistles, 'Open whistles'),
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const body = await cache.get(
          'wall:layers:whistles',
          () => s.wallWhistles(db, viewer),
          tags('whistles'),
        );
        c.header('cache-control', LIVE);
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/cells',
        summary:
          'H3 cells: open tickets now, Gi* hot-spot classes or the patrol coverage residual over 30 days',
        request: {
          query: z.object({
            kind: z
              .enum(['open', 'hotspots', 'coverage'], {
                message: 'must be open, hotspots or coverage',
              })
              .openapi(queryDoc('kind')),
            res: z
              .enum(['7', '8', '9'], { message: 'must be 7, 8 or 9' })
              .default('8')
              .transform((v) => Number(v) as Resolution)
              .openapi(queryDoc('res')),
          }),
        },
        responses: jsonOk(WallCells, 'Cells as H3 indexes with their values'),
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const { kind, res } = c.req.valid('query');
        const today = beijingDate(new Date());
        const body = await cache.get(
          `wall:layers:cells:${kind}:${res}:${today}`,
          () => s.wallCells(db, viewer, { kind, res }),
          kind === 'coverage' ? tags('tickets', 'hazards', 'patrols') : tags('tickets'),
        );
        c.header('cache-control', LIVE);
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/ratings',
        summary:
          'Compound outlines (simplified) with the colour of the latest 红黄蓝 rating as `c`',
        responses: {
          200: {
            description: 'GeoJSON FeatureCollection; property `c`: 0 red, 1 yellow, 2 blue',
            content: { 'application/geo+json': { schema: unchecked(WallRatings) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        // Ratings are recomputed by the period, not by a write: the cache's lifetime bounds them.
        const body = await cache.get(
          'wall:layers:ratings',
          () => s.wallRatings(db, viewer),
          tags(),
        );
        c.header('cache-control', SLOW);
        return sendGeoJson<WallRatings>(c, body);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/heat.bin',
        summary:
          'Tickets of the last days (default 365) per res-9 H3 cell centre, binary (MQHT, little-endian)',
        request: {
          query: z.object({
            days: z.coerce
              .number({ message: `must be a whole number of days from 1 to ${s.MAX_HEAT_DAYS}` })
              .int(`must be a whole number of days from 1 to ${s.MAX_HEAT_DAYS}`)
              .min(1, `must be a whole number of days from 1 to ${s.MAX_HEAT_DAYS}`)
              .max(s.MAX_HEAT_DAYS, `must be a whole number of days from 1 to ${s.MAX_HEAT_DAYS}`)
              .default(s.HEAT_DAYS)
              .openapi(queryDoc('days')),
          }),
        },
        responses: binaryOk('MQHT: header, Float32 lon/lat × n, Uint32 count × n'),
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const { days } = c.req.valid('query');
        const today = beijingDate(new Date());
        const body = await cache.get(
          `wall:layers:heat:${days}:${today}`,
          () => s.wallHeat(db, viewer, days),
          tags('tickets'),
        );
        return sendBinary(c, body, LIVE);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/layers/tracks.bin',
        summary:
          "A Beijing day's patrol tracks (default today) as TWKB behind uint32 lengths (MQTR, little-endian)",
        request: {
          query: z.object({ day: dayParam.optional().openapi(queryDoc('day')) }),
        },
        responses: binaryOk('MQTR: header, then per track a uint32 length and its TWKB'),
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        const today = beijingDate(new Date());
        const day = c.req.valid('query').day ?? today;
        const body = await cache.get(
          `wall:layers:tracks:${day}`,
          () => s.wallTracks(db, viewer, day),
          tags('patrols'),
        );
        return sendBinary(c, body, day < today ? SLOW : LIVE);
      },
    );
}
