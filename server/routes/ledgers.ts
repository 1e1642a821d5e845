import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Placeholder until the routes of the trust-property ledgers land (issue 11). */
export function ledgersRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
