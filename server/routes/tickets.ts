import { createRoute, z } from '@hono/zod-openapi';
import {
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { listTickets, ticketDetail } from '../services/tickets.ts';
import { idParam, keyListParam } from '../validation.ts';
import { errorResponses, router } from './openapi.ts';
import { pointFilter, pointListParams, pointListRoute, sendCachedPoints } from './points.ts';

const ListQuery = z.object({
  ...pointListParams,
  category: keyListParam(TICKET_CATEGORIES)
    .optional()
    .openapi({ param: { in: 'query', name: 'category' }, type: 'string' }),
  status: keyListParam(TICKET_STATUSES, { open: OPEN_TICKET_STATUSES })
    .optional()
    .openapi({ param: { in: 'query', name: 'status' }, type: 'string', example: 'open' }),
  channel: keyListParam(TICKET_CHANNELS)
    .optional()
    .openapi({ param: { in: 'query', name: 'channel' }, type: 'string' }),
});

export function ticketsRoutes(db: Db, cache: ReadCache) {
  return router()
    .openapi(
      pointListRoute(
        'Tickets (诉求), newest first, as GeoJSON or MQP1 binary columns',
        'Tickets',
        ListQuery,
      ),
      async (c) => {
        const query = c.req.valid('query');
        const filter = {
          ...(await pointFilter(db, query)),
          categories: query.category,
          statuses: query.status,
          channels: query.channel,
        };
        return sendCachedPoints(c, cache, { noun: 'tickets', format: query.format, filter }, () =>
          listTickets(db, filter, query.format),
        );
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
