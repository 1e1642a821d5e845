import type { Db } from '../db/client.ts';
import type { ReadCache } from '../services/read-cache.ts';
import { router } from './openapi.ts';

/** The walls' playlists of scenes and the 24-hour replay (/api/wall/playlists, /api/wall/replay). */
export function wallPlaylistRoutes(_db: Db, _cache: ReadCache) {
  return router();
}
