/**
 * How an export reads its rows: in keyset batches, one query each, only when the writer asks for
 * the next one. Between two batches the connection is free, so on PGlite (one connection for the
 * whole server) a long export interleaves with every other request instead of blocking them, and
 * on PostgreSQL no statement or transaction stays open while a slow client reads.
 */

/** Rows per batch: one JSON value of ~1-3 MB, a few tens of milliseconds of SQL. */
export const EXPORT_BATCH_ROWS = 5_000;

/**
 * Reads `read(after)` batch by batch until one comes back short. `keyOf` gives the key after a
 * row (its sort value and id), so each batch starts strictly after the last row of the previous
 * one: no OFFSET, constant cost per batch however deep the export goes. At most two batches are
 * in memory: the one being written and the one being read (see exportPace).
 *
 * @example
 * for await (const rows of keysetBatches((after) => q.batch(db, f, after, 5000), (r) => r.id))
 */
export async function* keysetBatches<T, K>(
  read: (after: K | null, size: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  pace: ExportPace = { size: EXPORT_BATCH_ROWS, ahead: true },
): AsyncGenerator<T[]> {
  const { size, ahead } = pace;
  let next: Promise<T[]> | null = read(null, size);
  try {
    while (next) {
      const rows: T[] = await next;
      next = null;
      const more = rows.length === size;
      // Read ahead: the next batch is read while this one is written out, so the database and the
      // CSV/JSON writing overlap instead of taking turns.
      if (more && ahead) next = read(keyOf(rows[rows.length - 1]!), size);
      if (rows.length > 0) yield rows;
      if (more && !ahead) next = read(keyOf(rows[rows.length - 1]!), size);
    }
  } finally {
    // A client gone mid-export: the batch read ahead is dropped (its error too).
    next?.catch(() => {});
  }
}

/** How an export reads: rows per batch, and whether the next batch is read while one is written. */
export interface ExportPace {
  size: number;
  ahead: boolean;
}

/**
 * PostgreSQL has a pool: read ahead, big batches. PGlite has one connection that every request
 * queues for: smaller batches and no reading ahead, so that between two batches the connection
 * is idle and a request that arrived meanwhile runs first (measured: a session check waited ~3 s
 * behind a million-row export reading ahead in 5,000-row batches).
 */
export function exportPace(kind: 'pglite' | 'postgres'): ExportPace {
  return kind === 'postgres'
    ? { size: EXPORT_BATCH_ROWS, ahead: true }
    : { size: 2_000, ahead: false };
}

/**
 * For lists bounded by the size of the city (companies, compounds): the list's own service read
 * page by page with its offset, `size` rows at a time, until `total`. Not for lists that grow
 * with time (tickets, the audit log): those read in keyset batches.
 */
export async function* pagedBatches<T>(
  read: (offset: number, limit: number) => Promise<{ total: number; items: T[] }>,
  size = 500,
): AsyncGenerator<T[]> {
  for (let offset = 0; ; offset += size) {
    const page = await read(offset, size);
    if (page.items.length > 0) yield page.items;
    if (page.items.length < size || offset + size >= page.total) return;
  }
}
