/**
 * A list's `format=csv|geojson`: every row of the list's own service (limit and offset do not
 * apply) as a streamed file, the checks done by the first page before the first byte. GeoJSON
 * features sit at the row's point, else at the label point of the place it names, else null.
 */
import type { Context } from 'hono';
import type { Db } from '../db/client.ts';
import { listBatches, withPositions, type Position } from '../services/list-files.ts';
import { TICKET_CATEGORIES } from '../../geo/vocabulary.ts';
import {
  beijingTime,
  columnsIn,
  fileName,
  termIn,
  yesNo,
  streamCsv,
  streamGeoJson,
  type BilingualColumn,
  type ExportLang,
} from './exports.ts';

/** A page of a list, as its service answers it. */
export interface ListPage {
  total: number;
  items: object[];
}
type RowOf<P extends ListPage> = P['items'][number];

export interface ListFile<P extends ListPage> {
  format: 'csv' | 'geojson';
  lang: ExportLang;
  /** What the file holds, for its name: `minqing-<what>.csv` (from the first page if a function). */
  what: string | ((first: NoInfer<P>) => string);
  read: (offset: number, limit: number) => Promise<P>;
  columns: readonly BilingualColumn<NoInfer<RowOf<P>>>[];
  /** The row's own point, if it has one. */
  position?: (row: RowOf<P>) => Position | null | undefined;
  /** The area (compound…) whose label point places a row without its own point. */
  place?: (row: RowOf<P>) => number | null | undefined;
  id?: (row: RowOf<P>) => string | number;
}

export async function sendListFile<P extends ListPage>(c: Context, db: Db, o: ListFile<P>) {
  type T = RowOf<P>;
  const { first, batches } = await listBatches<T, P & { items: T[] }>(
    o.read as (offset: number, limit: number) => Promise<P & { items: T[] }>,
  );
  const name = fileName(typeof o.what === 'string' ? o.what : o.what(first), o.format);
  if (o.format === 'csv') return streamCsv(c, name, columnsIn(o.lang, o.columns), batches);
  const own = o.position ?? (() => null);
  const place = o.place ?? (() => null);
  const id = o.id;
  return streamGeoJson(
    c,
    name,
    withPositions(db, batches, own, place),
    (x) => (x.position ? { type: 'Point', coordinates: x.position } : null),
    // Stable machine keys, as the list answers them (its position is the geometry).
    (x) => {
      const { position: _p, ...props } = x.row as T & { position?: unknown };
      return props;
    },
    id ? { id: (x) => id(x.row) } : {},
  );
}

type Row = Record<string, unknown>;

/**
 * A column read from a key of the list's row: `time` as Beijing time, `category` as the ticket
 * category's word, `yesNo` as 是/否, `count` as an array's length, `names` as an array's titles
 * or names joined.
 */
export function col(
  zh: string,
  en: string,
  key: string,
  as?: 'time' | 'category' | 'yesNo' | 'count' | 'names',
): BilingualColumn<object> {
  return {
    zh,
    en,
    value: (r, lang) => {
      const v = (r as Row)[key];
      if (as === 'time') return beijingTime(v as string | null | undefined);
      if (as === 'category') return termIn(TICKET_CATEGORIES, v as string | null, lang);
      if (as === 'yesNo') return yesNo(v, lang);
      if (as === 'count') return Array.isArray(v) ? v.length : '';
      if (as === 'names')
        return Array.isArray(v)
          ? v.map((x: Row) => String(x.title ?? x.name ?? '')).join('; ')
          : '';
      return v;
    },
  };
}

/** A file name's subject with the area filter, if any: `deliberation-needs-1203`. */
export const areaName = (what: string, area: number | undefined) =>
  area === undefined ? what : `${what}-${area}`;
