import { describe, expect, it } from 'vitest';
import { beijingDate, beijingMidnight, splitRange } from '../../geo/periods.ts';

const at = (s: string) => new Date(s);

describe('splitRange', () => {
  it('answers a year ending mid-day with months, days and two partial edges', () => {
    // 2025-11-30 10:17 Beijing to 2026-11-30 10:17 Beijing.
    const s = splitRange(at('2025-11-30T02:17:00Z'), at('2026-11-30T02:17:00Z'));
    expect(s.months).toEqual({ from: '2025-12-01', to: '2026-11-01' });
    // 2025-11-30 is a partial day; no whole days before December; November 2026 up to the 30th.
    expect(s.days).toEqual([{ from: '2026-11-01', to: '2026-11-30' }]);
    expect(s.edges).toEqual([
      // The rest of 2025-11-30 after 10:17 (it ends at Beijing midnight, 16:00 UTC).
      { from: at('2025-11-30T02:17:00Z'), to: at('2025-11-30T16:00:00Z') },
      // 2026-11-30 from Beijing midnight to 10:17.
      { from: at('2026-11-29T16:00:00Z'), to: at('2026-11-30T02:17:00Z') },
    ]);
  });

  it('keeps whole days on both sides of the months', () => {
    const s = splitRange(beijingMidnight('2026-01-20'), beijingMidnight('2026-04-10'));
    expect(s.months).toEqual({ from: '2026-02-01', to: '2026-04-01' });
    expect(s.days).toEqual([
      { from: '2026-01-20', to: '2026-02-01' },
      { from: '2026-04-01', to: '2026-04-10' },
    ]);
    expect(s.edges).toEqual([]);
  });

  it('uses days alone when no whole month fits', () => {
    const s = splitRange(beijingMidnight('2026-03-05'), beijingMidnight('2026-03-25'));
    expect(s).toEqual({
      months: null,
      days: [{ from: '2026-03-05', to: '2026-03-25' }],
      edges: [],
    });
  });

  it('is all edge inside one day, and empty when empty', () => {
    const from = at('2026-03-05T01:00:00Z');
    const to = at('2026-03-05T03:00:00Z');
    expect(splitRange(from, to)).toEqual({ months: null, days: [], edges: [{ from, to }] });
    expect(splitRange(to, to)).toEqual({ months: null, days: [], edges: [] });
  });

  it('covers the range exactly: parts are contiguous and sum to its length', () => {
    for (const [f, t] of [
      ['2024-02-28T23:59:59Z', '2025-03-01T00:00:01Z'],
      ['2026-12-31T16:00:00Z', '2027-01-31T16:00:00Z'],
      ['2026-06-15T05:00:00Z', '2026-07-01T05:00:00Z'],
    ] as const) {
      const s = splitRange(at(f), at(t));
      const spans = [
        ...s.edges.map((e) => [e.from.getTime(), e.to.getTime()]),
        ...[...s.days, ...(s.months ? [s.months] : [])].map((d) => [
          beijingMidnight(d.from).getTime(),
          beijingMidnight(d.to).getTime(),
        ]),
      ].sort((x, y) => x[0]! - y[0]!);
      expect(spans[0]![0]).toBe(at(f).getTime());
      expect(spans.at(-1)![1]).toBe(at(t).getTime());
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1]);
    }
  });
});

describe('Beijing dates', () => {
  it('turns at 16:00 UTC', () => {
    expect(beijingDate(at('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
    expect(beijingDate(at('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    expect(beijingMidnight('2026-11-30').toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });
});
