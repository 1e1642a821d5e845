/**
 * How the ratings panel words and formats the method's numbers: pure, so tests/web can hold it.
 */
import {
  ratingIndicator,
  transitionDirection,
  type IndicatorUnit,
  type Transition,
} from '../../../../geo/rating-method.ts';

/** An indicator's value as shown: shares in per cent, flags as yes/no, null as a dash. */
export function formatValue(
  unit: IndicatorUnit,
  value: number | null,
  yesNo: [string, string] = ['是', '否'],
): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'share':
      return `${(value * 100).toFixed(1)}%`;
    case 'flag':
      return value ? yesNo[0] : yesNo[1];
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'score':
      return value.toFixed(2);
    case 'count':
    case 'points':
      return String(value);
  }
}

/** The rule as a short formula: `> 1 · 10/unit (≤ 3)`. */
export function ruleText(key: string): string {
  const i = ratingIndicator(key);
  if (!i) return '';
  const op = i.direction === 'above' ? '>' : '<';
  const thr = i.unit === 'share' ? `${i.threshold * 100}%` : String(i.threshold);
  return `${op} ${thr}`;
}

/** A deduction as signed points: `−12.5`, `+4` for a bonus, `0`. */
export function formatDeduction(d: number): string {
  if (d === 0) return '0';
  const s = String(Number(Math.abs(d).toFixed(2)));
  return d > 0 ? `−${s}` : `+${s}`;
}

/** Transitions of a summary row, better ones first, zero counts left out. */
export function transitionList(
  counts: Record<string, number>,
): { key: Transition; n: number; up: boolean }[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => ({
      key: key as Transition,
      n,
      up: transitionDirection(key as Transition) === 'up',
    }))
    .sort((a, b) => Number(b.up) - Number(a.up) || b.n - a.n);
}

/** The Beijing date `n` days from now, for the plan form's defaults. */
export function dayFromNow(n: number, now = Date.now()): string {
  return new Date(now + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
}

/** `2026-10-01` → `2026-10`. */
export const monthLabel = (period: string) => period.slice(0, 7);
