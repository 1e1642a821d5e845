import { describe, expect, it } from 'vitest';
import {
  colorOf,
  indicatorDeduction,
  ratingIndicator,
  RATING_INDICATORS,
  RED_BELOW,
  scoreOf,
  YELLOW_BELOW,
} from '../../geo/rating-method.ts';
import {
  formatDeduction,
  formatValue,
  ruleText,
  transitionList,
} from '../../web/src/lib/ratings/format.ts';
import { ratingsEn, ratingsZh } from '../../web/src/lib/i18n-ratings.ts';

describe('the rating method', () => {
  it('deducts weight per unit beyond the threshold, up to the cap', () => {
    const overdue = ratingIndicator('overdueShare')!;
    expect(indicatorDeduction(overdue, 0.5)).toBeCloseTo(17.5);
    expect(indicatorDeduction(overdue, 0)).toBe(0);
    const load = ratingIndicator('loadVsCity')!;
    expect(indicatorDeduction(load, 0.4)).toBe(0);
    expect(indicatorDeduction(load, 9)).toBe(30);
    const sat = ratingIndicator('satisfaction')!;
    expect(indicatorDeduction(sat, 3.2)).toBeCloseTo(6);
    expect(indicatorDeduction(sat, null)).toBe(0);
    expect(indicatorDeduction(ratingIndicator('provincialDemonstration')!, 1)).toBe(-4);
  });

  it('scores 100 less the deductions, clamped, with the colour cutoffs', () => {
    const quiet = scoreOf({ provincialDemonstration: 1 });
    expect(quiet.score).toBe(100);
    const bad = scoreOf({
      loadVsCity: 4,
      overdueShare: 1,
      satisfaction: 3,
      hazardWeight: 4,
      lateReportIns: 2,
      noPropertyCompany: 1,
      noOwnersCommittee: 1,
    });
    expect(bad.deducted).toBeCloseTo(30 + 35 + 7.2 + 16 + 10 + 8 + 4);
    expect(bad.score).toBe(0);
    expect(bad.color).toBe('red');
    expect(colorOf(RED_BELOW)).toBe('yellow');
    expect(colorOf(RED_BELOW - 0.1)).toBe('red');
    expect(colorOf(YELLOW_BELOW)).toBe('blue');
    expect(new Set(RATING_INDICATORS.map((i) => i.key)).size).toBe(RATING_INDICATORS.length);
  });
});

describe('the panel’s formatting', () => {
  it('formats values by unit and deductions with a sign', () => {
    expect(formatValue('share', 0.125)).toBe('12.5%');
    expect(formatValue('flag', 1, ['yes', 'no'])).toBe('yes');
    expect(formatValue('ratio', 1.5)).toBe('1.50×');
    expect(formatValue('score', null)).toBe('—');
    expect(formatDeduction(17.5)).toBe('−17.5');
    expect(formatDeduction(-4)).toBe('+4');
    expect(formatDeduction(0)).toBe('0');
    expect(ruleText('satisfaction')).toBe('< 4.2');
    expect(ruleText('overdueShare')).toBe('> 0%');
  });

  it('lists transitions better first and leaves zeros out', () => {
    const list = transitionList({ 'blue->red': 2, 'red->yellow': 1, 'yellow->blue': 0 });
    expect(list.map((m) => m.key)).toEqual(['red->yellow', 'blue->red']);
    expect(list[0]!.up).toBe(true);
  });

  it('has every message in both languages', () => {
    expect(Object.keys(ratingsEn).sort()).toEqual(Object.keys(ratingsZh).sort());
  });
});
