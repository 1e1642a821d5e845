import { createRoute } from '@hono/zod-openapi';
import { Health } from '../contract/health.ts';
import type { Db } from '../db/client.ts';
import { databaseVersion, tableCounts } from '../services/meta.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { errorResponses, router } from './openapi.ts';

export function healthRoutes(db: Db, cache: ReadCache) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Service and database health with row counts',
      responses: {
        200: { description: 'Healthy', content: { 'application/json': { schema: Health } } },
        503: errorResponses[503],
      },
    }),
    async (c) => {
      // The version check always touches the database, so an outage shows at once.
      const postgis = await databaseVersion(db);
      const counts = await cache.get('health:counts', () => tableCounts(db));
      return c.json({ status: 'ok' as const, database: db.kind, postgis, counts }, 200);
    },
  );
}
