import type { Db } from '../db/client.ts';
import { router } from './openapi.ts';

/** Display credentials for the walls (/api/displays): issued and revoked by the city. */
export function displaysRoutes(_db: Db) {
  return router();
}
