/**
 * Every time the UI shows is Beijing time (Asia/Shanghai), whatever zone the browser is in: the
 * city, its deadlines and its working days are in Lanzhou, and a wall display or a laptop set to
 * UTC must not show 07:30 when it is 15:30 there. Used by the dashboard and the mobile page.
 *
 * @example
 * formatTime('2026-11-26T07:30:00Z', 'zh', 'short'); // '11/26 15:30'
 * beijingDate(0, Date.parse('2026-11-26T17:00:00Z')); // '2026-11-27' (01:00 in Beijing)
 */

export const CITY_TIME_ZONE = 'Asia/Shanghai';

type Lang = 'zh' | 'en';

/**
 * - `short`: month, day, hour and minute (lists, cards, tooltips)
 * - `numeric`: the same without leading zeros (the phone page)
 * - `clock`: the full date and time to the second (the top bar)
 * - `time`: hour, minute, second
 * - `date`: year, month, day
 */
export type TimeStyle = 'short' | 'numeric' | 'clock' | 'time' | 'date';

const STYLES: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  numeric: { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  clock: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  date: { year: 'numeric', month: '2-digit', day: '2-digit' },
};

// Building a DateTimeFormat is slow next to using one; lists format hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, style: TimeStyle): Intl.DateTimeFormat {
  const key = `${lang}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      ...STYLES[style],
      hourCycle: 'h23',
      timeZone: CITY_TIME_ZONE,
    });
    formatters.set(key, f);
  }
  return f;
}

function instant(when: string | number | Date | null | undefined): Date | null {
  if (when === null || when === undefined || when === '') return null;
  const d = when instanceof Date ? when : new Date(when);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant (ISO text, ms or Date) in Beijing time; '—' for none or an unreadable value. */
export function formatTime(
  when: string | number | Date | null | undefined,
  lang: Lang,
  style: TimeStyle = 'short',
): string {
  const d = instant(when);
  return d ? formatter(lang, style).format(d) : '—';
}

// China has kept UTC+8 all year since 1991: a calendar day there is a fixed 8 h shift from UTC.
const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 86400_000;

/** The Beijing calendar day (YYYY-MM-DD) of an instant; '' for none or an unreadable value. */
export function beijingDateOf(when: string | number | Date | null | undefined): string {
  const d = instant(when);
  return d ? new Date(d.getTime() + BEIJING_MS).toISOString().slice(0, 10) : '';
}

/** The Beijing calendar day (YYYY-MM-DD) `daysAgo` days before `now` (ms). */
export function beijingDate(daysAgo = 0, now = Date.now()): string {
  return beijingDateOf(now - daysAgo * DAY_MS);
}

/** Whole Beijing calendar days from `earlier` to `later` (ms): 0 on the same day. */
export function beijingDaysBetween(earlier: number, later: number): number {
  const day = (t: number) => Math.floor((t + BEIJING_MS) / DAY_MS);
  return day(later) - day(earlier);
}
