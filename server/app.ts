import { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { errorBody, handleError } from './errors.ts';
import { areasRoutes } from './routes/areas.ts';
import { hazardsRoutes } from './routes/hazards.ts';
import { healthRoutes } from './routes/health.ts';
import { metaRoutes } from './routes/meta.ts';
import { ticketsRoutes } from './routes/tickets.ts';
import { ReadCache } from './services/read-cache.ts';

export interface AppDeps {
  db: Db;
  config: Config;
}

/** The HTTP API. Static files of the web app are added by `main.ts`, not here. */
export function createApp({ db, config }: AppDeps) {
  // Reads are cached briefly: the data changes by the minute, the wall refreshes by the second.
  const cache = new ReadCache(30_000);
  const api = new OpenAPIHono()
    .route('/health', healthRoutes(db, cache))
    .route('/meta', metaRoutes(db, cache, config))
    .route('/areas', areasRoutes(db, cache))
    .route('/tickets', ticketsRoutes(db, cache))
    .route('/hazards', hazardsRoutes(db, cache));
  const app = new OpenAPIHono().route('/api', api);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '民情地图 Minqing Map API',
      version: '0.1.0',
      description:
        'Residential-compound governance in Lanzhou. Coordinates are WGS-84 (EPSG:4326).',
    },
  });
  app.notFound((c) =>
    c.json(
      errorBody('not_found', `No such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`),
      404,
    ),
  );
  app.onError(handleError);
  // Sub-apps catch their own errors with Hono's default handler unless told otherwise.
  api.onError(handleError);
  return Object.assign(app, { cache });
}

export type AppType = ReturnType<typeof createApp>;
