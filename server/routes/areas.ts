import { createRoute, z } from '@hono/zod-openapi';
import { AREA_LEVELS, TICKET_CATEGORIES, TICKET_CHANNELS } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { badRequest } from '../errors.ts';
import { areaDetail, listAreas } from '../services/areas.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { bboxParam, dateParam, idParam, checkedRange, keyListParam } from '../validation.ts';
import { AreaCollection, AreaDetail } from '../contract/areas.ts';
import { errorResponses, router, unchecked } from './openapi.ts';
import { sendGeoJson } from './points.ts';

/** The map's ticket filter (same keys as /api/tickets), so one filter drives KPIs and colours. */
const sliceParams = {
  category: keyListParam(TICKET_CATEGORIES)
    .optional()
    .openapi({ param: { in: 'query', name: 'category' }, type: 'string' }),
  channel: keyListParam(TICKET_CHANNELS)
    .optional()
    .openapi({ param: { in: 'query', name: 'channel' }, type: 'string' }),
};

const ListQuery = z.object({
  level: z
    .enum(AREA_LEVELS, { message: `must be one of ${AREA_LEVELS.join(', ')}` })
    .optional()
    .openapi({ param: { in: 'query', name: 'level' } }),
  parent: idParam.optional().openapi({ param: { in: 'query', name: 'parent' }, type: 'string' }),
  bbox: bboxParam.optional(),
  zoom: z.coerce
    .number({ message: 'must be a number from 0 to 22' })
    .min(0, 'must be a number from 0 to 22')
    .max(22, 'must be a number from 0 to 22')
    .default(12)
    .openapi({ param: { in: 'query', name: 'zoom' } }),
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
  ...sliceParams,
});

const RangeQuery = z.object({
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
  ...sliceParams,
});

/** The slice as a cache-key part: sorted, so `a,b` and `b,a` share an answer. */
const sliceKey = (q: { category?: string[]; channel?: string[] }) =>
  `${[...(q.category ?? [])].sort().join(',')}:${[...(q.channel ?? [])].sort().join(',')}`;

export function areasRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary:
          'Areas of one level, or the children of a parent, as GeoJSON simplified for a zoom',
        request: { query: ListQuery },
        responses: {
          200: {
            description: 'Areas',
            content: { 'application/geo+json': { schema: AreaCollection } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        if (query.level === undefined && query.parent === undefined) {
          throw badRequest(
            `give parameter 'level' (${AREA_LEVELS.join(', ')}) or 'parent' (an area id)`,
          );
        }
        // Zoom is rounded so that nearby zooms share a cached response.
        const zoom = Math.round(query.zoom);
        const { from, to, category, channel, ...where } = query;
        // Open tickets received in the range, when one is given (every open ticket otherwise).
        const range = from || to ? checkedRange(from, to) : undefined;
        const rangeKey = range ? `${range.from.getTime()}-${range.to.getTime()}` : 'open';
        const key = `areas:${query.level}:${query.parent}:${query.bbox?.join(',')}:${zoom}:${sliceKey(query)}:${rangeKey}`;
        const slice = { categories: category, channels: channel };
        // Open-ticket counts per area: a ticket written under `parent` (anywhere, otherwise).
        const body = await cache.get(key, () => listAreas(db, { ...where, zoom, slice, range }), {
          nouns: ['tickets'],
          area: query.parent,
          aggregate: true,
        });
        return sendGeoJson<AreaCollection>(c, body);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One area (or `city`) with its ancestors and KPIs over a time range',
        request: {
          params: z.object({
            id: z
              .union([z.literal('city'), idParam], { message: "must be an area id or 'city'" })
              .openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
          }),
          query: RangeQuery,
        },
        responses: {
          200: {
            description: 'Area detail',
            content: { 'application/json': { schema: unchecked(AreaDetail) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const query = c.req.valid('query');
        const range = checkedRange(query.from, query.to);
        const slice = { categories: query.category, channels: query.channel };
        // A default range ends at the next whole minute, so repeated views share the cache.
        const key = `area:${id}:${range.from.getTime()}:${range.to.getTime()}:${sliceKey(query)}`;
        const tags = {
          nouns: ['tickets', 'hazards', 'whistles'],
          area: id === 'city' ? undefined : id,
          aggregate: true,
        } as const;
        return c.json(await cache.get(key, () => areaDetail(db, id, range, slice), tags), 200);
      },
    );
}
