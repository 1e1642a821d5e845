import { createRoute, z } from '@hono/zod-openapi';
import { HAZARD_ACTIONS } from '../../geo/operations.ts';
import { HAZARD_SEVERITIES, HAZARD_STATUSES, HAZARD_TYPES, keysOf } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import * as s from '../services/hazards.ts';
import type { ReadCache } from '../services/read-cache.ts';
import {
  booleanParam,
  checkedRange,
  dateParam,
  idParam,
  keyListParam,
  limitParam,
  offsetParam,
  positionField,
  textField,
} from '../validation.ts';
import { HazardCollection, HazardDetail, HazardPage } from '../contract/hazards.ts';
import {
  created,
  createRouteOf,
  detailRouteOf,
  errorResponses,
  json,
  queryDoc,
  router,
  stepRouteOf,
  unchecked,
} from './openapi.ts';
import { pointFilter, pointListParams, pointListRoute, sendCachedPoints } from './points.ts';

const types = keyListParam(HAZARD_TYPES).optional().openapi(queryDoc('type'));
const severities = keyListParam(HAZARD_SEVERITIES).optional().openapi(queryDoc('severity'));
const statuses = keyListParam(HAZARD_STATUSES, { open: ['reported', 'rectifying', 'rectified'] })
  .optional()
  .openapi({ ...queryDoc('status'), example: 'open' });

const ListQuery = z.object({
  ...pointListParams,
  type: types,
  severity: severities,
  status: statuses,
});

const RowsQuery = z.object({
  area: idParam.optional().openapi(queryDoc('area')),
  type: types,
  severity: severities,
  status: statuses,
  overdue: booleanParam.optional().openapi(queryDoc('overdue')),
  from: dateParam.optional().openapi(queryDoc('from')),
  to: dateParam.optional().openapi(queryDoc('to')),
  sort: z
    .enum(['reportedAt', 'dueAt', 'severity', 'status', 'type'], {
      message: 'must be one of reportedAt, dueAt, severity, status, type',
    })
    .default('reportedAt')
    .openapi(queryDoc('sort')),
  order: z
    .enum(['asc', 'desc'], { message: 'must be asc or desc' })
    .default('desc')
    .openapi(queryDoc('order')),
  limit: limitParam(500, 50).openapi(queryDoc('limit')),
  offset: offsetParam.openapi(queryDoc('offset')),
});

const typeKeys = keysOf(HAZARD_TYPES) as [string, ...string[]];
const severityKeys = keysOf(HAZARD_SEVERITIES) as [string, ...string[]];
const CreateBody = z.object({
  type: z.enum(typeKeys, { message: `must be one of ${typeKeys.join(', ')}` }),
  severity: z.enum(severityKeys, { message: `must be one of ${severityKeys.join(', ')}` }),
  description: textField(1, 2000),
  position: positionField,
  photoRef: textField(1, 500).optional(),
  dueAt: z.string().pipe(dateParam).optional(),
});
const actionKeys = HAZARD_ACTIONS.map((a) => a.key) as [string, ...string[]];
const TransitionBody = z.object({
  action: z.enum(actionKeys, { message: `must be one of ${actionKeys.join(', ')}` }),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  photoRef: textField(1, 500).optional(),
});

export function hazardsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      pointListRoute(
        'Hazards (隐患) in the caller’s scope, newest first, as GeoJSON or MQP1 binary columns',
        'Hazards',
        ListQuery,
        HazardCollection,
      ),
      async (c) => {
        const layer = s.hazardLayer(c.get('actor'));
        const query = c.req.valid('query');
        const filter = {
          ...(await pointFilter(db, query)),
          types: query.type,
          severities: query.severity,
          statuses: query.status,
        };
        return sendCachedPoints(
          c,
          cache,
          { noun: 'hazards', format: query.format, filter: { ...filter, scope: layer.key } },
          () => s.listHazards(db, layer, filter, query.format),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/list',
        summary: 'One page of hazards for the workspace list',
        request: { query: RowsQuery },
        responses: {
          200: { description: 'Hazards', content: json(unchecked(HazardPage)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { area, from, to, type, severity, status, ...rest } = query;
        const body = await s.listHazardRows(db, c.get('actor'), {
          ...rest,
          area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
          types: type,
          severities: severity,
          statuses: status,
          range: checkedRange(from, to),
        });
        return c.json({ ...body, limit: query.limit, offset: query.offset }, 200);
      },
    )
    .openapi(
      createRouteOf(
        'Report a hazard found by inspection (隐患排查); honours Idempotency-Key',
        CreateBody,
        'The new hazard',
        unchecked(HazardDetail),
      ),
      async (c) =>
        created(
          c,
          await s.createHazard(
            db,
            c.get('actor'),
            c.req.valid('json') as s.HazardInput,
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      detailRouteOf(
        'One hazard with its rectification timeline and the caller’s actions',
        'Hazard',
        unchecked(HazardDetail),
      ),
      async (c) => c.json(await s.hazardDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      stepRouteOf(
        '/{id}/transitions',
        'Rectification and verification steps',
        TransitionBody,
        'The hazard after',
        unchecked(HazardDetail),
      ),
      async (c) =>
        c.json(
          await s.transitionHazard(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json') as Parameters<typeof s.transitionHazard>[3],
          ),
          200,
        ),
    );
}
