import type { Db } from '../db/client.ts';
import type { ApiKeys } from '../services/api-keys.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Open311 GeoReport v2 at /open311/v2. Filled by the Open311 work of issue 12. */
export function open311Routes(_db: Db, _cache: ReadCache, _keys: ApiKeys) {
  return router();
}
