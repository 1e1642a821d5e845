import { createRoute, z } from '@hono/zod-openapi';
import { AREA_LEVELS } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { badRequest } from '../errors.ts';
import { areaDetail, listAreas } from '../services/areas.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { bboxParam, dateParam, idParam, checkedRange } from '../validation.ts';
import { AreaCollection, AreaDetail } from '../contract/areas.ts';
import { errorResponses, router, unchecked } from './openapi.ts';
import { sendGeoJson } from './points.ts';

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
});

const RangeQuery = z.object({
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
});

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
        const key = `areas:${query.level}:${query.parent}:${query.bbox?.join(',')}:${zoom}`;
        // Open-ticket counts per area: a ticket written under `parent` (anywhere, otherwise).
        const body = await cache.get(key, () => listAreas(db, { ...query, zoom }), {
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
        const { from, to } = c.req.valid('query');
        const range = checkedRange(from, to);
        // A default range ends at the next whole minute, so repeated views share the cache.
        const key = `area:${id}:${range.from.getTime()}:${range.to.getTime()}`;
        const tags = {
          nouns: ['tickets', 'hazards', 'whistles'],
          area: id === 'city' ? undefined : id,
          aggregate: true,
        } as const;
        return c.json(await cache.get(key, () => areaDetail(db, id, range), tags), 200);
      },
    );
}
