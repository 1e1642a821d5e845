import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Placeholder until the routes of the four-party meetings, proposals and the three lists land (issue 11). */
export function deliberationRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
