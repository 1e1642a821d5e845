import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { listAudit } from '../services/audit.ts';
import { dateParam, idParam, limitParam } from '../validation.ts';
import { AuditPage } from '../contract/audit.ts';
import { errorResponses, queryDoc, router, unchecked } from './openapi.ts';

export function auditRoutes(db: Db) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The append-only audit log, newest first (city command center only)',
      request: {
        query: z.object({
          area: idParam.optional().openapi(queryDoc('area')),
          actor: z.string().max(40).optional().openapi(queryDoc('actor')),
          entity: z.string().max(40).optional().openapi(queryDoc('entity')),
          action: z.string().max(60).optional().openapi(queryDoc('action')),
          from: dateParam.optional().openapi(queryDoc('from')),
          to: dateParam.optional().openapi(queryDoc('to')),
          before: idParam.optional().openapi(queryDoc('before')),
          limit: limitParam(1000, 100).openapi(queryDoc('limit')),
        }),
      },
      responses: {
        200: {
          description: 'Audit rows',
          content: { 'application/json': { schema: unchecked(AuditPage) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      return c.json(await listAudit(db, c.get('actor'), c.req.valid('query')), 200);
    },
  );
}
