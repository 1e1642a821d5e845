/**
 * Lists bounded by the size of the city (proposals, meetings, needs, resources, projects,
 * mediation cases, service points, visits, flagged ledgers) as files: the list's own service read
 * page by page, and, for GeoJSON, the label point of the place each row names.
 */
import type { Db } from '../db/client.ts';
import { areaLabelPoints } from '../db/queries/export-places.ts';
import { pagedBatches } from './exports.ts';

export type Position = [number, number];

/** Rows per page: the lists' own maximum page size. */
export const LIST_FILE_PAGE = 200;

/**
 * Every row of a list, page by page through its own service (so its checks and field rules apply
 * to each page), the first page read already: its errors come before the first byte.
 */
export async function listBatches<T, P extends { total: number; items: T[] }>(
  read: (offset: number, limit: number) => Promise<P>,
): Promise<{ first: P; batches: AsyncGenerator<T[]> }> {
  const first = await read(0, LIST_FILE_PAGE);
  const batches = pagedBatches<T>(
    (offset, limit) => (offset === 0 ? Promise.resolve(first) : read(offset, limit)),
    LIST_FILE_PAGE,
  );
  return { first, batches };
}

/** Each batch's rows with a position: their own, else their place's label point (else null). */
export async function* withPositions<T>(
  db: Db,
  batches: AsyncIterable<readonly T[]>,
  own: (row: T) => Position | null | undefined,
  place: (row: T) => number | null | undefined,
): AsyncGenerator<{ row: T; position: Position | null }[]> {
  for await (const rows of batches) {
    const missing = rows.filter((r) => !own(r)).map((r) => place(r));
    const points = await areaLabelPoints(
      db,
      missing.filter((id): id is number => typeof id === 'number'),
    );
    yield rows.map((row) => {
      const id = place(row);
      return {
        row,
        position: own(row) ?? (typeof id === 'number' ? points.get(id) : null) ?? null,
      };
    });
  }
}
