import { createRoute } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { WallSummary } from '../contract/wall.ts';
import { wallSummary } from '../services/wall.ts';
import { requireWallViewer } from '../services/wall-viewer.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { errorResponses, router, unchecked } from './openapi.ts';
import { beijingDate } from '../../geo/periods.ts';

export function wallRoutes(db: Db, cache: ReadCache) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/summary',
      summary: "The command-center wall's city figures with their trends, from the rollups",
      responses: {
        200: {
          description: 'City figures, districts, ratings',
          content: { 'application/json': { schema: unchecked(WallSummary) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      // Every wall shares one answer (per Beijing day); the viewer is checked per request.
      const viewer = requireWallViewer(c.get('actor'), c.get('display'));
      const body = await cache.get(
        `wall:summary:${beijingDate(new Date())}`,
        () => wallSummary(db, viewer),
        { nouns: ['tickets', 'hazards', 'whistles'], aggregate: true },
      );
      return c.json(body, 200);
    },
  );
}
