import { z } from '@hono/zod-openapi';
import { HAZARD_SEVERITIES, HAZARD_STATUSES, HAZARD_TYPES } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { listHazards } from '../services/hazards.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { keyListParam } from '../validation.ts';
import { router } from './openapi.ts';
import { pointFilter, pointListParams, pointListRoute, sendCachedPoints } from './points.ts';

const ListQuery = z.object({
  ...pointListParams,
  type: keyListParam(HAZARD_TYPES)
    .optional()
    .openapi({ param: { in: 'query', name: 'type' }, type: 'string' }),
  severity: keyListParam(HAZARD_SEVERITIES)
    .optional()
    .openapi({ param: { in: 'query', name: 'severity' }, type: 'string' }),
  status: keyListParam(HAZARD_STATUSES, { open: ['reported', 'rectifying', 'rectified'] })
    .optional()
    .openapi({ param: { in: 'query', name: 'status' }, type: 'string', example: 'open' }),
});

export function hazardsRoutes(db: Db, cache: ReadCache) {
  return router().openapi(
    pointListRoute(
      'Hazards (隐患), newest first, as GeoJSON or MQP1 binary columns',
      'Hazards',
      ListQuery,
    ),
    async (c) => {
      const query = c.req.valid('query');
      const filter = {
        ...(await pointFilter(db, query)),
        types: query.type,
        severities: query.severity,
        statuses: query.status,
      };
      return sendCachedPoints(c, cache, { noun: 'hazards', format: query.format, filter }, () =>
        listHazards(db, filter, query.format),
      );
    },
  );
}
