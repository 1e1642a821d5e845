import { createRoute, z } from '@hono/zod-openapi';
import {
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { resolveAreaRef } from '../services/areas.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { listTickets, ticketDetail } from '../services/tickets.ts';
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

export const MAX_POINTS = 200_000;

const ListQuery = z.object({
  bbox: bboxParam.optional(),
  area: idParam.optional().openapi({ param: { in: 'query', name: 'area' }, type: 'string' }),
  category: keyListParam(TICKET_CATEGORIES)
    .optional()
    .openapi({ param: { in: 'query', name: 'category' }, type: 'string' }),
  status: keyListParam(TICKET_STATUSES, { open: OPEN_TICKET_STATUSES })
    .optional()
    .openapi({ param: { in: 'query', name: 'status' }, type: 'string', example: 'open' }),
  channel: keyListParam(TICKET_CHANNELS)
    .optional()
    .openapi({ param: { in: 'query', name: 'channel' }, type: 'string' }),
  from: dateParam.optional().openapi({ param: { in: 'query', name: 'from' }, type: 'string' }),
  to: dateParam.optional().openapi({ param: { in: 'query', name: 'to' }, type: 'string' }),
  limit: limitParam(MAX_POINTS, 20_000).openapi({ param: { in: 'query', name: 'limit' } }),
  format: formatParam.openapi({ param: { in: 'query', name: 'format' } }),
});

export function ticketsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Tickets (诉求), newest first, as GeoJSON or MQP1 binary columns',
        request: { query: ListQuery },
        responses: {
          200: {
            description: 'Tickets; the response says when the limit cut it',
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
          categories: query.category,
          statuses: query.status,
          channels: query.channel,
          range,
          limit: query.limit,
        };
        const key = `tickets:${query.format}:${JSON.stringify(filter)}:${Math.floor(Date.now() / 15000)}`;
        return sendPoints(c, await cache.get(key, () => listTickets(db, filter, query.format)));
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One ticket with its event timeline; resident contact masked',
        request: {
          params: z.object({
            id: idParam.openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
          }),
        },
        responses: {
          200: { description: 'Ticket', content: { 'application/json': { schema: z.any() } } },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await ticketDetail(db, c.req.valid('param').id), 200),
    );
}
