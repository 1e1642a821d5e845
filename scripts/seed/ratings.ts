/**
 * 红黄蓝三色动态评估: every compound rated for each of the twelve months of the dataset, by the
 * server's one computation (server/db/queries/ratings.ts `computeRatings`) with the method of
 * geo/rating-method.ts — the same code `POST /api/ratings/recompute` runs. It runs after the
 * operations seed, so the whistles' late report-ins count. The method is calibrated so that about
 * one compound in eight is red and three in ten yellow in a typical month.
 */
import { computeRatings } from '../../server/db/queries/ratings.ts';
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

export { RED_BELOW, YELLOW_BELOW } from '../../geo/rating-method.ts';

/** The twelve months (`YYYY-MM-01`, Beijing) ending with the one holding the dataset's last second. */
export function seedPeriods(w: SeedWindow): string[] {
  const last = new Date((w.nowS - 1 + 8 * 3600) * 1000);
  return Array.from({ length: 12 }, (_, i) =>
    new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - i, 1)).toISOString().slice(0, 10),
  ).reverse();
}

export async function insertRatings(tx: Tx, w: SeedWindow): Promise<void> {
  await computeRatings(tx, { periods: seedPeriods(w), asOf: new Date(w.nowS * 1000) });
}
