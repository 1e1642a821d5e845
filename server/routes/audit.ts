import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { listAudit } from '../db/queries/audit.ts';
import { requireCapability } from '../services/actors.ts';
import { dateParam, idParam, limitParam } from '../validation.ts';
import { errorResponses, router } from './openapi.ts';

const q = (name: string) => ({ param: { in: 'query' as const, name }, type: 'string' as const });

export function auditRoutes(db: Db) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The append-only audit log, newest first (city command center only)',
      request: {
        query: z.object({
          area: idParam.optional().openapi(q('area')),
          actor: z.string().max(40).optional().openapi(q('actor')),
          entity: z.string().max(40).optional().openapi(q('entity')),
          action: z.string().max(60).optional().openapi(q('action')),
          from: dateParam.optional().openapi(q('from')),
          to: dateParam.optional().openapi(q('to')),
          before: z.coerce.number().int().positive().optional().openapi(q('before')),
          limit: limitParam(1000, 100).openapi(q('limit')),
        }),
      },
      responses: {
        200: { description: 'Audit rows', content: { 'application/json': { schema: z.any() } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireCapability(c.get('actor'), 'audit.read', 'read the audit log');
      return c.json(await listAudit(db, c.req.valid('query')), 200);
    },
  );
}
