import type { Db } from '../db/client.ts';
import { cityBounds, postgisVersion, rowCounts, ticketDataRange } from '../db/queries/health.ts';
import { listResponders } from '../db/queries/responders.ts';

/** PostGIS's version: touches the database, so an outage shows at once. */
export const databaseVersion = (db: Db) => postgisVersion(db);

/** Row counts of the main tables, for the health page. */
export const tableCounts = (db: Db) => rowCounts(db);

/** What the map needs besides the vocabularies: the city's bounds, the data's range, the pickers. */
export async function cityMeta(db: Db) {
  return [await cityBounds(db), await ticketDataRange(db), await listResponders(db)] as const;
}
