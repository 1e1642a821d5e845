/**
 * The pure pieces of the command-center wall (指挥大屏): the trend of today's intake, how stale
 * the figures on the wall are, and how long to wait before the next refresh.
 *
 * @example
 * trend(12, 10); // { direction: 'up', percent: 20 }
 * staleness({ asOf: Date.parse('2026-11-30T05:00:00Z'), clockOffset: 0, failing: false },
 *   Date.parse('2026-11-30T05:02:00Z')); // { stale: true, ageSeconds: 120, failing: false }
 */

/** A refresh every 30 s; failures retry sooner, backing off up to the same 30 s. */
export const REFRESH_MS = 30_000;
/** Figures older than this are flagged on the wall. */
export const STALE_AFTER_S = 90;

export interface Trend {
  direction: 'up' | 'down' | 'flat';
  /** Whole percent against the average; null when the average is zero (no base to compare). */
  percent: number | null;
}

/** Today's count against the same weekday's average. */
export function trend(today: number, average: number): Trend {
  if (!(average > 0))
    return { direction: today > 0 ? 'up' : 'flat', percent: today > 0 ? null : 0 };
  const percent = Math.round(((today - average) / average) * 100);
  return { direction: percent > 0 ? 'up' : percent < 0 ? 'down' : 'flat', percent };
}

export interface Freshness {
  /** The answer's `asOf` (epoch ms), null before the first answer. */
  asOf: number | null;
  /**
   * The server's clock minus the browser's (ms), from the answer's `Date` header: a wall PC whose
   * clock is a minute off must neither cry stale nor hide it.
   */
  clockOffset: number;
  /** The last refresh failed (and its retry is pending). */
  failing: boolean;
}

export interface Staleness {
  stale: boolean;
  /** Whole seconds since `asOf` by the server's clock; null before the first answer. */
  ageSeconds: number | null;
  failing: boolean;
}

/** The wall warns when a refresh failed or the figures are older than {@link STALE_AFTER_S}. */
export function staleness(f: Freshness, now: number): Staleness {
  const ageSeconds =
    f.asOf === null ? null : Math.max(0, Math.floor((now + f.clockOffset - f.asOf) / 1000));
  return {
    stale: f.failing || (ageSeconds !== null && ageSeconds > STALE_AFTER_S),
    ageSeconds,
    failing: f.failing,
  };
}

/** The wait before retry number `failures` (1, 2, …): 2 s, 4 s, 8 s, 16 s, then 30 s. */
export function retryDelay(failures: number): number {
  if (failures <= 0) return REFRESH_MS;
  return Math.min(REFRESH_MS, 1000 * 2 ** failures);
}

/** The server's clock minus the browser's, from a `Date` header taken at `receivedAt`. */
export function clockOffset(dateHeader: string | null, receivedAt: number): number {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  // The header has whole seconds: differences under 2 s are noise, not skew.
  if (Number.isNaN(server) || Math.abs(server - receivedAt) < 2000) return 0;
  return server - receivedAt;
}

/** The sparkline's points in a `width`×`height` box (y down), as an SVG `points` list. */
export function sparklinePoints(counts: readonly number[], width: number, height: number): string {
  if (counts.length === 0) return '';
  const max = Math.max(1, ...counts);
  const step = counts.length > 1 ? width / (counts.length - 1) : 0;
  return counts
    .map((c, i) => `${(i * step).toFixed(1)},${(height - (c / max) * height).toFixed(1)}`)
    .join(' ');
}
