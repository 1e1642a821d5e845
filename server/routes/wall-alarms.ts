import type { Db } from '../db/client.ts';
import type { EventHub } from '../services/events.ts';
import { router } from './openapi.ts';

/** The wall's alarms and its live stream (/api/wall/alarms, /api/wall/stream). */
export function wallAlarmRoutes(_db: Db, _hub: EventHub) {
  return router();
}
