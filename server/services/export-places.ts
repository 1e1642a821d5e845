/**
 * Places for exports: the GeoJSON geometry of list rows that name a compound but carry no
 * position of their own (gap tasks, follow-ups).
 */
import type { Db } from '../db/client.ts';
import { areaLabelPoints } from '../db/queries/export-places.ts';

/**
 * Batches of rows with the label point of each row's compound, read once per batch (never per
 * row). Only rows the caller's list already answered come here, so no scope is applied again.
 */
export async function* withCompoundPoints<T extends { compoundId: number }>(
  db: Db,
  batches: AsyncIterable<readonly T[]>,
): AsyncGenerator<(T & { point: [number, number] | null })[]> {
  for await (const rows of batches) {
    const points = await areaLabelPoints(
      db,
      rows.map((r) => r.compoundId),
    );
    yield rows.map((r) => ({ ...r, point: points.get(r.compoundId) ?? null }));
  }
}
