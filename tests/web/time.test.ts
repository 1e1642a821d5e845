// The browser's zone must not matter: force zones far from Beijing before anything formats.
process.env.TZ = 'UTC';

import { afterAll, describe, expect, it } from 'vitest';
import { formatWhen } from '../../web/src/lib/i18n.ts';
import {
  beijingDate,
  beijingDateOf,
  beijingDaysBetween,
  formatTime,
} from '../../web/src/lib/time.ts';
import { formatTime as mobileTime } from '../../web/src/mobile/i18n.ts';

// 07:30 UTC is 15:30 in Lanzhou; 17:00 UTC on the 26th is 01:00 on the 27th there.
const AFTERNOON = '2026-11-26T07:30:00Z';
const NIGHT = '2026-11-26T17:00:00Z';

describe('Beijing time whatever the zone', () => {
  const zones = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'];
  afterAll(() => {
    process.env.TZ = 'UTC';
  });

  for (const zone of zones) {
    it(`shows Beijing time on a machine set to ${zone}`, () => {
      process.env.TZ = zone;
      // the zone is really in force: the machine's own idea of the hour differs from Beijing's
      expect(new Date(AFTERNOON).getHours()).not.toBe(15);
      expect(formatTime(AFTERNOON, 'zh', 'clock')).toBe('2026/11/26 15:30:00');
      expect(formatTime(AFTERNOON, 'en', 'clock')).toBe('26/11/2026, 15:30:00');
      expect(formatTime(AFTERNOON, 'zh', 'short')).toBe('11/26 15:30');
      expect(formatTime(NIGHT, 'zh', 'short')).toBe('11/27 01:00');
      expect(formatTime(Date.parse(NIGHT), 'en', 'time')).toBe('01:00:00');
      expect(formatTime(new Date(NIGHT), 'zh', 'date')).toBe('2026/11/27');
      // the dashboard's lists and cards, and the phone page
      expect(formatWhen(AFTERNOON, 'zh')).toBe('11/26 15:30');
      expect(mobileTime(NIGHT, 'zh')).toBe('11/27 01:00');
      expect(mobileTime(NIGHT, 'en')).toBe('27/11, 01:00');
      // date filters and patrol days are Beijing days
      expect(beijingDateOf(NIGHT)).toBe('2026-11-27');
      expect(beijingDate(0, Date.parse(NIGHT))).toBe('2026-11-27');
      expect(beijingDate(7, Date.parse(NIGHT))).toBe('2026-11-20');
    });
  }

  it('says nothing for no time or an unreadable one', () => {
    expect(formatTime(null, 'zh')).toBe('—');
    expect(formatTime('not a date', 'zh')).toBe('—');
    expect(formatWhen(undefined, 'en')).toBe('—');
    expect(beijingDateOf(null)).toBe('');
  });

  it('counts calendar days in Beijing, not elapsed hours', () => {
    const now = Date.parse('2026-11-27T02:00:00Z'); // 10:00 on the 27th
    expect(beijingDaysBetween(Date.parse(NIGHT), now)).toBe(0); // 01:00 the same day
    expect(beijingDaysBetween(Date.parse('2026-11-26T15:59:00Z'), now)).toBe(1); // 23:59 the day before
  });
});
