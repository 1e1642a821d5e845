/**
 * The dataset's year and its rhythms. Days are Beijing dates (UTC+8, no daylight saving); the
 * data covers the twelve months before `until`, and "now" is `until` at 00:00 Beijing time.
 * Weights say how busy a day or an hour is for a category and channel: fewer walk-ins and patrols
 * at weekends and holidays, heating and pipe complaints in the heating season (1 Nov – 31 Mar),
 * noise in summer, and slowly rising use of the platform over the year.
 */
import type { TicketCategory, TicketChannel } from '../../geo/vocabulary.ts';

export const BEIJING_OFFSET_S = 8 * 3600;
const DAY_S = 86400;

export interface SeedWindow {
  /** Epoch seconds of the first day's 00:00 Beijing time. */
  startS: number;
  /** Epoch seconds of `until` 00:00 Beijing time: the dataset's "now". */
  nowS: number;
  days: number;
}

export function seedWindow(until: string): SeedWindow {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(until);
  if (!m) throw new Error(`until must be YYYY-MM-DD, got ${until}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const nowS = Date.UTC(y, mo - 1, d) / 1000 - BEIJING_OFFSET_S;
  const startS = Date.UTC(y - 1, mo - 1, d) / 1000 - BEIJING_OFFSET_S;
  return { startS, nowS, days: Math.round((nowS - startS) / DAY_S) };
}

/** The Beijing calendar date of epoch seconds: [year, month 1–12, day, weekday 0=Sunday]. */
export function beijingDate(s: number): [number, number, number, number] {
  const d = new Date((s + BEIJING_OFFSET_S) * 1000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()];
}

/** 'YYYYMMDD' in Beijing time, for ticket codes. */
export function beijingYmd(s: number): string {
  const [y, m, d] = beijingDate(s);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

export function inHeatingSeason(s: number): boolean {
  const month = beijingDate(s)[1];
  return month >= 11 || month <= 3;
}

/** Spring Festival (New Year's Day of the lunar calendar), for the holiday week. */
const SPRING_FESTIVAL: Record<number, [number, number]> = {
  2023: [1, 22],
  2024: [2, 10],
  2025: [1, 29],
  2026: [2, 17],
  2027: [2, 6],
  2028: [1, 26],
  2029: [2, 13],
  2030: [2, 3],
  2031: [1, 23],
  2032: [2, 11],
};

function isHoliday(y: number, m: number, d: number): boolean {
  if (m === 10 && d <= 7) return true; // National Day golden week
  if (m === 5 && d <= 5) return true; // Labour Day
  const sf = SPRING_FESTIVAL[y];
  if (!sf) return false;
  const t = Date.UTC(y, m - 1, d);
  const start = Date.UTC(y, sf[0] - 1, sf[1]) - DAY_S * 1000; // from New Year's Eve
  return t >= start && t < start + 8 * DAY_S * 1000;
}

/** Month multipliers, January first. */
const SEASON: Record<TicketCategory, number[]> = {
  parking: [1, 0.9, 1, 1, 1, 1, 1, 1, 1.1, 1.1, 1.1, 1.05],
  facilities: [1.8, 1.6, 1.3, 0.8, 0.7, 0.8, 0.95, 0.95, 0.8, 1, 1.7, 1.8],
  property_service: [1, 0.9, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.25, 1.2],
  dispute: [0.9, 0.9, 1, 1, 1.05, 1.1, 1.1, 1.1, 1, 1, 0.95, 0.9],
  legal_aid: [1.2, 1.1, 1, 1, 1, 0.9, 0.9, 0.9, 1, 1, 1, 1.1],
  sanitation: [0.8, 0.8, 0.9, 1, 1.1, 1.3, 1.35, 1.3, 1.1, 1, 0.85, 0.8],
  noise: [0.6, 0.8, 0.8, 1, 1.2, 1.5, 1.7, 1.6, 1.2, 0.9, 0.7, 0.6],
  safety: [1.3, 1.3, 1.1, 0.9, 0.9, 0.9, 1, 1, 0.9, 1, 1.2, 1.3],
  elder_child_care: [1.1, 1.1, 1, 1, 1, 0.95, 0.95, 1, 1.05, 1, 1, 1.05],
  other: [1, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
};

/** Weekday multipliers, Sunday first. */
const WEEK: Record<TicketChannel, number[]> = {
  hotline_12345: [0.7, 1, 1, 1, 1, 1, 0.75],
  grid_patrol: [0.25, 1, 1, 1, 1, 1, 0.35],
  online: [0.95, 1, 1, 1, 1, 1, 0.9],
  walk_in: [0.1, 1, 1, 1, 1, 1, 0.15],
  sentinel: [0.85, 1, 1, 1, 1, 1, 0.9],
};
const HOLIDAY: Record<TicketChannel, number> = {
  hotline_12345: 0.6,
  grid_patrol: 0.3,
  online: 0.8,
  walk_in: 0.1,
  sentinel: 0.5,
};

/** Hour-of-day weights (Beijing time), midnight first. */
export const HOURS: Record<TicketChannel, number[]> = {
  hotline_12345: [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 9, 8, 5, 4, 7, 8, 8, 7, 6, 5, 5, 4, 3, 2],
  grid_patrol: [0, 0, 0, 0, 0, 0, 0, 0.5, 4, 9, 9, 8, 2, 1, 4, 8, 9, 8, 3, 0.5, 0, 0, 0, 0],
  online: [3, 2, 1, 0.5, 0.3, 0.3, 1, 3, 5, 6, 6, 6, 6, 5, 5, 5, 5, 5, 6, 8, 9, 9, 7, 5],
  walk_in: [0, 0, 0, 0, 0, 0, 0, 0, 3, 9, 9, 7, 1, 0, 0, 6, 8, 6, 1, 0, 0, 0, 0, 0],
  sentinel: [0, 0, 0, 0, 0, 0, 0, 1, 4, 6, 7, 7, 6, 5, 6, 7, 7, 7, 6, 4, 2, 0.5, 0, 0],
};

/** How busy day `i` of the window is for a category arriving through a channel. */
export function dayWeight(
  w: SeedWindow,
  i: number,
  category: TicketCategory,
  channel: TicketChannel,
): number {
  const [y, m, d, weekday] = beijingDate(w.startS + i * DAY_S);
  const holiday = isHoliday(y, m, d) ? HOLIDAY[channel] : 1;
  const trend = 0.92 + (0.16 * i) / w.days; // uptake of the platform grows over the year
  return SEASON[category][m - 1] * WEEK[channel][weekday] * holiday * trend;
}

/** A sampler of days by cumulative weight, for one category and channel. */
export function daySampler(w: SeedWindow, category: TicketCategory, channel: TicketChannel) {
  const cdf = new Float64Array(w.days);
  let total = 0;
  for (let i = 0; i < w.days; i++) {
    total += dayWeight(w, i, category, channel);
    cdf[i] = total;
  }
  return (u: number): number => {
    const x = u * total;
    let lo = 0;
    let hi = w.days - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export { DAY_S };
