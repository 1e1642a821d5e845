import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** Vector tiles and TileJSON at /tiles. Filled by the tiles work of issue 12. */
export function tilesRoutes(_db: Db, _cache: ReadCache, _config: Config) {
  return router();
}
