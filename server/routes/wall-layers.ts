import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** The wall's map layers (/api/wall/layers/*): aggregates and places only. */
export function wallLayerRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
