import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Placeholder until the routes of service points and 执法进小区 visits land (issue 11). */
export function servicePointsRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
