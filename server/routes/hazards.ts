import { createRoute, z } from '@hono/zod-openapi';
import { HAZARD_SEVERITIES, HAZARD_STATUSES, HAZARD_TYPES } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import { listHazards } from '../services/hazards.ts';
import type { ReadCache } from '../services/read-cache.ts';
import {
  bboxParam,
  dateParam,
  formatParam,
  idParam,
  keyListParam,
  limitParam,
} from '../validation.ts';
import { checkedRange } from './areas.ts';
import { errorResponses, FeatureCollectionSchema, router } from './openapi.ts';
import { sendPoints } from './points.ts';
import { MAX_POINTS } from './tickets.ts';

const ListQuery = z.object({
  bbox: bboxParam.optional(),
  area: idParam.optional().openapi({ param: { in: 'query', name: 'area' }, type: 'string' }),
  type: keyListParam(HAZARD_TYPES)
    .optional()
    .openapi({ param: { in: 'query', name: 'type' }, type: 'string' }),
  severity: keyListParam(HAZARD_SEVERITIES)
    .optional()
    .openapi({ param: { in: 'query', name: 'severity' }, type: 'string' }),
  status: keyListParam(HAZARD_STATUSES, { open: ['reported', 'rectifying', 'rectified'] })
    .optional()
    .openapi({ param: { in: 'query', name: 'status' }, type: 'string', example: 'open' }),
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
  limit: limitParam(MAX_POINTS, 20_000).openapi({ param: { in: 'query', name: 'limit' } }),
  format: formatParam.openapi({ param: { in: 'query', name: 'format' } }),
});

export function hazardsRoutes(db: Db, cache: ReadCache) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Hazards (隐患), newest first, as GeoJSON or MQP1 binary columns',
      request: { query: ListQuery },
      responses: {
        200: {
          description: 'Hazards; the response says when the limit cut it',
          content: {
            'application/geo+json': { schema: FeatureCollectionSchema },
            'application/x-mqp1': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const range = checkedRange(query.from, query.to);
      const area =
        query.area === undefined ? undefined : await resolveAreaRef(db, query.area, 'area');
      const filter = {
        bbox: query.bbox,
        area,
        types: query.type,
        severities: query.severity,
        statuses: query.status,
        range,
        limit: query.limit,
      };
      const key = `hazards:${query.format}:${JSON.stringify(filter)}:${Math.floor(Date.now() / 15000)}`;
      return sendPoints(c, await cache.get(key, () => listHazards(db, filter, query.format)));
    },
  );
}
