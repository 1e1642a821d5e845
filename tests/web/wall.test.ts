import { describe, expect, it } from 'vitest';
import {
  clockOffset,
  retryDelay,
  sparklinePoints,
  staleness,
  trend,
} from '../../web/src/wall/model.ts';
import { formatRate, formatScore, translator } from '../../web/src/wall/i18n.ts';

const T0 = Date.parse('2026-11-30T05:00:00Z');

describe('trend of today against the same weekday', () => {
  it('rounds to whole percent, up and down', () => {
    expect(trend(12, 10)).toEqual({ direction: 'up', percent: 20 });
    expect(trend(7, 10)).toEqual({ direction: 'down', percent: -30 });
    expect(trend(10, 10)).toEqual({ direction: 'flat', percent: 0 });
    expect(trend(100, 75.5)).toEqual({ direction: 'up', percent: 32 });
  });
  it('has no percent without a base', () => {
    expect(trend(5, 0)).toEqual({ direction: 'up', percent: null });
    expect(trend(0, 0)).toEqual({ direction: 'flat', percent: 0 });
  });
});

describe('staleness', () => {
  const fresh = { asOf: T0, clockOffset: 0, failing: false };
  it('is fresh up to 90 s, stale after', () => {
    expect(staleness(fresh, T0 + 30_000)).toEqual({ stale: false, ageSeconds: 30, failing: false });
    expect(staleness(fresh, T0 + 90_000).stale).toBe(false);
    expect(staleness(fresh, T0 + 91_000)).toEqual({ stale: true, ageSeconds: 91, failing: false });
  });
  it('is stale as soon as a refresh fails, and clears when one succeeds', () => {
    expect(staleness({ ...fresh, failing: true }, T0 + 5000).stale).toBe(true);
    expect(staleness({ ...fresh, asOf: T0 + 120_000 }, T0 + 125_000).stale).toBe(false);
  });
  it('corrects a browser clock that is off', () => {
    // The browser is two minutes behind the server: the data is 10 s old, not -110 s.
    expect(staleness({ ...fresh, clockOffset: 120_000 }, T0 - 110_000).ageSeconds).toBe(10);
    expect(clockOffset(new Date(T0).toUTCString(), T0 - 120_000)).toBe(120_000);
    expect(clockOffset(new Date(T0).toUTCString(), T0 + 900)).toBe(0);
    expect(clockOffset(null, T0)).toBe(0);
  });
  it('has no age before the first answer', () => {
    expect(staleness({ asOf: null, clockOffset: 0, failing: false }, T0)).toEqual({
      stale: false,
      ageSeconds: null,
      failing: false,
    });
  });
});

describe('retries', () => {
  it('back off from 2 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(retryDelay)).toEqual([
      2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(retryDelay(0)).toBe(30000);
  });
});

describe('formatting', () => {
  it('shows rates, scores and messages', () => {
    expect(formatRate(0.9234)).toBe('92.3%');
    expect(formatRate(null)).toBe('—');
    expect(formatScore(4.316)).toBe('4.32');
    expect(translator('zh')('stale.old', { n: 95 })).toBe('数据已超过 95 秒未更新');
    expect(translator('en')('stale.old', { n: 95 })).toBe('Data not updated for 95 s');
  });
  it('draws the sparkline inside its box', () => {
    expect(sparklinePoints([0, 5, 10], 100, 50)).toBe('0.0,50.0 50.0,25.0 100.0,0.0');
    expect(sparklinePoints([], 100, 50)).toBe('');
  });
});
