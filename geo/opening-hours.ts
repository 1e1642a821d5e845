/**
 * Opening hours of a service point as data: spans of days (1 = Monday … 7 = Sunday) with an
 * opening and a closing time (HH:MM, Beijing time; 24:00 closes at midnight). "Open now" is
 * computed from them, never typed in.
 *
 * @example
 * const hours = [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }];
 * isOpenAt(hours, new Date('2026-11-30T02:00:00Z')); // true: Monday 10:00 in Beijing
 */

export interface OpeningSpan {
  days: number[];
  open: string;
  close: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The Beijing weekday (1 = Monday … 7 = Sunday) and minute of the day of a moment. */
export function beijingClock(at: Date): { day: number; minute: number } {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return { day: ((d.getUTCDay() + 6) % 7) + 1, minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

export function isOpenAt(hours: readonly OpeningSpan[], at: Date): boolean {
  const { day, minute } = beijingClock(at);
  return hours.some(
    (s) => s.days.includes(day) && minutes(s.open) <= minute && minute < minutes(s.close),
  );
}

/** Why these hours are malformed (a message naming the span), or null when they are well formed. */
export function hoursProblem(hours: readonly OpeningSpan[]): string | null {
  if (hours.length > 14) return 'must have at most 14 spans';
  for (const [i, s] of hours.entries()) {
    if (!Array.isArray(s.days) || s.days.length === 0)
      return `span ${i + 1}: days must list at least one day`;
    if (s.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      return `span ${i + 1}: days must be 1 (Monday) to 7 (Sunday)`;
    if (!TIME.test(s.open) || !TIME.test(s.close))
      return `span ${i + 1}: times must be HH:MM from 00:00 to 24:00`;
    if (minutes(s.open) >= minutes(s.close))
      return `span ${i + 1}: must open (${s.open}) before it closes (${s.close})`;
  }
  return null;
}

const DAY_ZH = ['一', '二', '三', '四', '五', '六', '日'];
const DAY_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** One line per span, e.g. `周一至周五 08:30–17:30` / `Mon–Fri 08:30–17:30`. */
export function formatHours(hours: readonly OpeningSpan[], lang: 'zh' | 'en'): string[] {
  return hours.map((s) => {
    const days = [...s.days].sort((a, b) => a - b);
    const name = (d: number) => (lang === 'zh' ? `周${DAY_ZH[d - 1]}` : DAY_EN[d - 1]!);
    const consecutive = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
    const label =
      days.length === 7
        ? lang === 'zh'
          ? '每天'
          : 'Daily'
        : consecutive && days.length > 2
          ? `${name(days[0]!)}${lang === 'zh' ? '至' : '–'}${name(days.at(-1)!)}`
          : days.map(name).join(lang === 'zh' ? '、' : ', ');
    return `${label} ${s.open}–${s.close}`;
  });
}
