import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { errorBody, handleError } from './errors.ts';
import { accountsRoutes } from './routes/accounts.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { wallRoutes } from './routes/wall.ts';
import { displaySessionRoutes, displaysRoutes } from './routes/displays.ts';
import { wallAlarmRoutes } from './routes/wall-alarms.ts';
import { wallLayerRoutes } from './routes/wall-layers.ts';
import { wallPlaylistRoutes } from './routes/wall-playlists.ts';
import { areasRoutes } from './routes/areas.ts';
import { creditRoutes } from './routes/credit.ts';
import { deliberationRoutes } from './routes/deliberation.ts';
import { ledgersRoutes } from './routes/ledgers.ts';
import { mediationRoutes } from './routes/mediation.ts';
import { servicePointsRoutes } from './routes/service-points.ts';
import { partyRoutes } from './routes/party.ts';
import { ratingsRoutes } from './routes/ratings.ts';
import { hazardsRoutes } from './routes/hazards.ts';
import { healthRoutes } from './routes/health.ts';
import { metaRoutes } from './routes/meta.ts';
import { ticketsRoutes } from './routes/tickets.ts';
import { auditRoutes } from './routes/audit.ts';
import { eventsRoutes } from './routes/events.ts';
import { patrolsRoutes } from './routes/patrols.ts';
import { sessionRoutes } from './routes/session.ts';
import { whistlesRoutes } from './routes/whistles.ts';
import { apiKeysRoutes } from './routes/api-keys.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { open311Errors, open311Routes } from './routes/open311.ts';
import { tileCache, tilesRoutes } from './routes/tiles.ts';
import { bodyGuard } from './request-guards.ts';
import { DomainError } from './services/domain-error.ts';
import { staticFiles } from './static.ts';
import { compression, requestDeadline, transport } from './transport.ts';

/** The longest any API request may take before it is answered with a 503. */
const REQUEST_DEADLINE_MS = 6_000;
import {
  apiKeyMiddleware,
  apiKeyReads,
  displayMiddleware,
  sessionMiddleware,
} from './middleware.ts';
import { ApiKeys } from './services/api-keys.ts';
import { Displays } from './services/displays.ts';
import { EventHub } from './services/events.ts';
import { ReadCache } from './services/read-cache.ts';
import { Sessions } from './services/sessions.ts';
import { AlarmSweeper, WallFeed } from './services/wall-alarms.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Believe a TLS proxy's X-Forwarded-* headers (default: the TRUST_PROXY setting). */
  trustProxy?: boolean;
  /** The built web app to serve beside the API (`dist/`); none in API tests. */
  staticDir?: string;
}

/** Cross-origin reads of the standard interfaces (see where it is mounted). */
const openCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
  allowHeaders: ['X-API-Key', 'Content-Type', 'Range', 'If-Range', 'If-None-Match'],
  exposeHeaders: ['ETag', 'Content-Range', 'Accept-Ranges', 'Content-Length', 'Retry-After'],
  maxAge: 600,
});

/** The HTTP API, and the built web app when `staticDir` is given. */
export function createApp({ db, config, trustProxy = config.TRUST_PROXY, staticDir }: AppDeps) {
  // Reads are cached briefly: the data changes by the minute, the wall refreshes by the second.
  const cache = new ReadCache(30_000);
  const sessions = new Sessions(db);
  const apiKeys = new ApiKeys(db);
  const displays = new Displays(db);
  const hub = new EventHub(db);
  void hub.start();
  // A committed write, from this process or another on the same PostgreSQL, makes the cached map
  // layers and KPIs of its kind of record and its areas stale: the next read must see it.
  const tiles = tileCache();
  hub.onAny((event) => {
    cache.invalidate(event);
    tiles.invalidate(event);
  });
  // A session ended in any process is forgotten by all of them.
  hub.onRevoked((revoked) => sessions.forget(revoked));
  // Every wall stream of this process shares one feed; display keys are re-checked through it.
  const wallFeed = new WallFeed(db, hub, displays);
  // Deadlines passing (a whistle's report-in, an overdue ticket in a red compound) raise alarms.
  const alarmSweeper = new AlarmSweeper(db);
  alarmSweeper.start();
  const api = new OpenAPIHono();
  api.use('*', sessionMiddleware(sessions));
  api.use('*', apiKeyReads(apiKeys));
  api.use('*', displayMiddleware(displays));
  api
    .route('/session', sessionRoutes(sessions))
    .route('/accounts', accountsRoutes(db))
    .route('/api-keys', apiKeysRoutes(apiKeys))
    .route('/events', eventsRoutes(hub, sessions))
    .route('/audit', auditRoutes(db))
    .route('/whistles', whistlesRoutes(db))
    .route('/patrols', patrolsRoutes(db))
    .route('/health', healthRoutes(db, cache))
    .route('/meta', metaRoutes(db, cache, config))
    .route('/areas', areasRoutes(db, cache))
    .route('/tickets', ticketsRoutes(db, cache))
    .route('/hazards', hazardsRoutes(db, cache))
    .route('/analytics', analyticsRoutes(db, cache))
    .route('/displays', displaysRoutes(displays))
    .route('/wall', wallRoutes(db, cache))
    .route('/wall', wallAlarmRoutes(db, wallFeed, sessions))
    .route('/wall', wallPlaylistRoutes(db, cache))
    .route('/wall', wallLayerRoutes(db, cache))
    .route('/wall', displaySessionRoutes(displays))
    .route('/party', partyRoutes(db, cache))
    .route('/ratings', ratingsRoutes(db, cache))
    .route('/credit', creditRoutes(db, cache))
    .route('/deliberation', deliberationRoutes(db, cache))
    .route('/ledgers', ledgersRoutes(db, cache))
    .route('/mediation', mediationRoutes(db, cache))
    .route('/service-points', servicePointsRoutes(db, cache));
  const app = new OpenAPIHono();
  app.use(
    '*',
    transport({
      trustProxy,
      extraConnectOrigins: config.BASEMAP_STYLE_URL
        ? [new URL(config.BASEMAP_STYLE_URL).origin]
        : [],
    }),
  );
  app.use('*', compression);
  app.use(
    '/api/*',
    requestDeadline(
      REQUEST_DEADLINE_MS,
      (path) => path === '/api/events' || path === '/api/wall/stream',
    ),
  );
  // Web maps and city systems on other origins read the standard interfaces from the browser.
  // Any origin may, but never as this app's signed-in user: with '*' a browser sends no cookie,
  // so a page elsewhere sees public data or what the API key it sends itself may read.
  for (const mount of ['/ogc', '/ogc/*', '/tiles/*', '/open311/*']) app.use(mount, openCors);
  // Before anything reads a body, on every route: nothing past the limit is ever buffered.
  app.use('*', bodyGuard);
  app.route('/api', api);
  // The standard interfaces, for clients that are not this web app (QGIS, GDAL, other city
  // systems): a session cookie works as in the API, and so does an API key (header or query).
  const ogc = new OpenAPIHono();
  ogc.use('*', sessionMiddleware(sessions), apiKeyMiddleware(apiKeys, ['read']));
  ogc.route('/', ogcRoutes(db, cache));
  ogc.onError(handleError);
  app.route('/ogc', ogc);
  const open311 = new OpenAPIHono();
  open311.use('*', sessionMiddleware(sessions), apiKeyMiddleware(apiKeys, ['open311', 'read']));
  open311.route('/', open311Routes(db, cache, apiKeys));
  open311.onError(open311Errors);
  app.route('/open311/v2', open311);
  const tilesApp = new OpenAPIHono();
  tilesApp.use('*', sessionMiddleware(sessions), apiKeyMiddleware(apiKeys, ['read']));
  tilesApp.route('/', tilesRoutes(db, tiles, config));
  tilesApp.onError(handleError);
  app.route('/tiles', tilesApp);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '民情地图 Minqing Map API',
      version: '0.1.0',
      description:
        'Residential-compound governance in Lanzhou. Coordinates are WGS-84 (EPSG:4326).',
    },
  });
  // What fails before a mount's own handler (the body and query guards, an unknown path) answers
  // in that mount's shape: an Open311 client reads only the spec's error list.
  const isOpen311 = (c: Context) => new URL(c.req.url).pathname.startsWith('/open311/');
  app.notFound((c) => {
    const message = `No such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`;
    return isOpen311(c)
      ? open311Errors(new DomainError('not_found', 'no_endpoint', message), c)
      : c.json(errorBody('not_found', message), 404);
  });
  if (staticDir) {
    // The short address printed on posters for part-time gridworkers.
    app.get('/m', (c) => c.redirect('/mobile.html', 302));
    // The command-center wall (指挥大屏), a page of its own.
    app.get('/wall', (c) => c.redirect(`/wall.html${new URL(c.req.url).search}`, 302));
    app.get('*', staticFiles(staticDir));
  }
  app.onError((err, c) => (isOpen311(c) ? open311Errors(err, c) : handleError(err, c)));
  // Sub-apps catch their own errors with Hono's default handler unless told otherwise.
  api.onError(handleError);
  return Object.assign(app, {
    cache,
    hub,
    wallFeed,
    alarmSweeper,
    /** Stops sweeping and listening for events; the database is the caller's to close. */
    close: async () => {
      wallFeed.close();
      await alarmSweeper.stop();
      await hub.close();
    },
  });
}

export type AppType = ReturnType<typeof createApp>;
