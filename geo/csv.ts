/**
 * Writers for files a user takes away: CSV (RFC 4180, UTF-8 with a byte-order mark so Excel opens
 * Chinese correctly, CRLF lines) and GeoJSON (RFC 7946), both as chunks from batches of rows so
 * that an export of millions of rows never sits in memory whole.
 *
 * ```ts
 * const cols = [{ header: '名称', value: (r: { name: string }) => r.name }];
 * for await (const chunk of csvChunks(cols, batchesOf([{ name: '=1+1' }]))) out.push(chunk);
 * // out.join('') === "\uFEFF名称\r\n'=1+1\r\n"
 * ```
 */

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

export const BOM = '\uFEFF';

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
 * is prefixed with an apostrophe, as OWASP advises for CSV injection; numbers stay numbers.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV file in one string, for answers known to be small. */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  let out = BOM + csvLine(columns.map((c) => c.header));
  for (const r of rows) out += csvLine(columns.map((c) => c.value(r)));
  return out;
}

/**
 * A CSV file as chunks: the BOM and the header line first, then one chunk per batch of rows.
 * Nothing is read from `batches` before the consumer asks for the next chunk (back-pressure).
 */
export async function* csvChunks<T>(
  columns: readonly Column<T>[],
  batches: AsyncIterable<readonly T[]>,
): AsyncGenerator<string> {
  yield BOM + csvLine(columns.map((c) => c.header));
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    let out = '';
    for (const r of rows) out += csvLine(columns.map((c) => c.value(r)));
    yield out;
  }
}

export type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: string; coordinates: unknown };

/** One RFC 7946 Feature as JSON text. */
export function featureJson(
  geometry: Geometry | null,
  properties: Record<string, unknown>,
  id?: string | number,
): string {
  return JSON.stringify(
    id === undefined
      ? { type: 'Feature', geometry, properties }
      : { type: 'Feature', id, geometry, properties },
  );
}

/**
 * A GeoJSON FeatureCollection as chunks: `{"type":"FeatureCollection",…,"features":[`, the
 * features batch by batch (comma-separated across batches), then `]}`. `members` go before the
 * features (e.g. a name or the filter that made the file).
 */
export async function* featureCollectionChunks<T>(
  batches: AsyncIterable<readonly T[]>,
  geometry: (row: T) => Geometry | null,
  properties: (row: T) => Record<string, unknown>,
  options: { id?: (row: T) => string | number; members?: Record<string, unknown> } = {},
): AsyncGenerator<string> {
  const head = JSON.stringify({ type: 'FeatureCollection', ...options.members });
  yield `${head.slice(0, -1)},"features":[`;
  let first = true;
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    let out = '';
    for (const r of rows) {
      out += (first ? '\n' : ',\n') + featureJson(geometry(r), properties(r), options.id?.(r));
      first = false;
    }
    yield out;
  }
  yield '\n]}\n';
}

/**
 * Reads RFC 4180 text back into records (without the BOM): quoted cells may hold commas, quotes
 * and line breaks. For tests and small imports; a trailing line break ends the last record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cellText = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cellText += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cellText += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cellText);
      cellText = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cellText);
      records.push(record);
      record = [];
      cellText = '';
      i++;
    } else cellText += ch;
  }
  if (cellText !== '' || record.length > 0) records.push([...record, cellText]);
  return records;
}

/** Yields the rows as one batch: lets a small in-memory list go through the streaming writers. */
export async function* oneBatch<T>(rows: readonly T[]): AsyncGenerator<readonly T[]> {
  await Promise.resolve();
  yield rows;
}
