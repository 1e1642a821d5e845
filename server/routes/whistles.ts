import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import * as s from '../services/whistles.ts';
import { idField, idParam, limitParam, textField } from '../validation.ts';
import { WhistleDetail, WhistleList } from '../contract/whistles.ts';
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

const hours = (name: string, max: number) =>
  z
    .number({ message: `must be a number of hours from 1 to ${max}` })
    .min(1, `must be a number of hours from 1 to ${max}`)
    .max(max, `must be a number of hours from 1 to ${max}`)
    .optional()
    .describe(name);

const CreateBody = z.object({
  ticketId: idField.optional(),
  compoundId: idField.optional(),
  reason: textField(1, 500),
  departmentIds: z
    .array(idField, { message: 'must be a list of department ids' })
    .min(1, 'must name at least one department')
    .max(5, 'must name at most 5 departments')
    .optional(),
  reportHours: hours('reportHours', 72),
  resolveHours: hours('resolveHours', 720),
});

export function whistlesRoutes(db: Db) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary:
          '吹哨报到 whistles in the caller’s scope, open ones first, with responders’ offices',
        request: {
          query: z.object({
            area: idParam.optional().openapi(queryDoc('area')),
            state: z
              .enum(['open', 'late', 'resolved', 'all'], {
                message: 'must be open, late, resolved or all',
              })
              .default('open')
              .openapi(queryDoc('state')),
            limit: limitParam(2000, 200).openapi(queryDoc('limit')),
          }),
        },
        responses: {
          200: { description: 'Whistles', content: json(unchecked(WhistleList)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { area, ...rest } = c.req.valid('query');
        return c.json(
          await s.listWhistles(db, c.get('actor'), {
            ...rest,
            area: area === undefined ? undefined : await resolveAreaRef(db, area, 'area'),
          }),
          200,
        );
      },
    )
    .openapi(
      createRouteOf(
        'Blow a whistle (社区吹哨 → property company, 街道吹哨 → departments)',
        CreateBody,
        'The whistle',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        created(
          c,
          await s.blowWhistle(
            db,
            c.get('actor'),
            c.req.valid('json'),
            c.req.header('idempotency-key'),
          ),
        ),
    )
    .openapi(
      detailRouteOf(
        'One whistle with its report-ins and the caller’s actions',
        'Whistle',
        unchecked(WhistleDetail),
      ),
      async (c) => c.json(await s.whistleDetail(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      stepRouteOf(
        '/{id}/report-in',
        'Report in (报到) as a body the whistle names',
        z.object({
          note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
        }),
        'The whistle after',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        c.json(
          await s.reportIn(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json').note),
          200,
        ),
    )
    .openapi(
      stepRouteOf(
        '/{id}/resolve',
        'Resolve a whistle (the level that blew it)',
        z.object({ resolution: textField(1, 1000) }),
        'The whistle after',
        unchecked(WhistleDetail),
      ),
      async (c) =>
        c.json(
          await s.resolveWhistle(
            db,
            c.get('actor'),
            c.req.valid('param').id,
            c.req.valid('json').resolution,
          ),
          200,
        ),
    );
}
