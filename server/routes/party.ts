import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Placeholder until the party routes land (issue 10). */
export function partyRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
