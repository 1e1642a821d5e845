import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** OGC API – Features (Part 1: Core) at /ogc. Filled by the OGC work of issue 12. */
export function ogcRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
