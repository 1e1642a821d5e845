import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Placeholder until the routes of mediation committees, rooms, mediators and cases land (issue 11). */
export function mediationRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
