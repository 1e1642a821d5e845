/**
 * Splitting a time range into the parts the rollups can answer: whole Beijing months, whole
 * Beijing days, and the partial days at either end that only the tickets themselves can.
 * China keeps UTC+8 all year, so a Beijing day is a fixed shift from UTC.
 */

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** A half-open range of Beijing calendar dates, `YYYY-MM-DD`, `to` excluded. */
export interface DateSpan {
  from: string;
  to: string;
}

export interface RangeSplit {
  /** Whole months (the first days of the months), if the range holds any. */
  months: DateSpan | null;
  /** Whole days outside those months: none, one or two spans. */
  days: DateSpan[];
  /** Parts of days at either end: none, one or two spans of moments. */
  edges: { from: Date; to: Date }[];
}

/** The Beijing calendar date of day number `n` (days since 1970-01-01 in Beijing). */
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Day number of the first day of the month holding day `n`, plus `add` months. */
function monthStart(n: number, add = 0): number {
  const d = new Date(n * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1) / DAY_MS;
}

/** The Beijing date (`YYYY-MM-DD`) of a moment. */
export function beijingDate(at: Date): string {
  return dateOf(Math.floor((at.getTime() + BEIJING_MS) / DAY_MS));
}

/** The moment a Beijing date begins. */
export function beijingMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - BEIJING_MS);
}

/** Splits [from, to) into whole months, whole days and partial-day edges (see {@link RangeSplit}). */
export function splitRange(from: Date, to: Date): RangeSplit {
  const a = from.getTime() + BEIJING_MS;
  const b = to.getTime() + BEIJING_MS;
  const d0 = Math.ceil(a / DAY_MS); // first whole day
  const d1 = Math.floor(b / DAY_MS); // the day after the last whole day
  if (d0 >= d1) return { months: null, days: [], edges: b > a ? [{ from, to }] : [] };
  const edges: RangeSplit['edges'] = [];
  if (a < d0 * DAY_MS) edges.push({ from, to: new Date(d0 * DAY_MS - BEIJING_MS) });
  if (d1 * DAY_MS < b) edges.push({ from: new Date(d1 * DAY_MS - BEIJING_MS), to });
  const m0 = monthStart(d0) === d0 ? d0 : monthStart(d0, 1);
  const m1 = monthStart(d1);
  if (m0 >= m1) return { months: null, days: [{ from: dateOf(d0), to: dateOf(d1) }], edges };
  const days: DateSpan[] = [];
  if (d0 < m0) days.push({ from: dateOf(d0), to: dateOf(m0) });
  if (m1 < d1) days.push({ from: dateOf(m1), to: dateOf(d1) });
  return { months: { from: dateOf(m0), to: dateOf(m1) }, days, edges };
}
