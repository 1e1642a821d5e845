import { describe, expect, it } from 'vitest';
import {
  DISCLOSURE_STEPS,
  disclosureColor,
  disclosureDots,
  STATUS_COLORS,
} from '../../web/src/lib/layers/disclosure.ts';
import { LAYERS } from '../../web/src/lib/layers/registry.ts';
import { translator } from '../../web/src/lib/i18n.ts';
import { flagText } from '../../web/src/lib/ledgers/words.ts';

describe('disclosure layer', () => {
  it('is public and registered', () => {
    const def = LAYERS.find((l) => l.id === 'disclosure');
    expect(def?.capability).toBeNull();
  });
  it('colours a share by its step and unpacks the compound columns', () => {
    expect(disclosureColor(0.96)).toEqual(DISCLOSURE_STEPS.at(-1)!.color);
    expect(disclosureColor(0.3)).toEqual(DISCLOSURE_STEPS[0]!.color);
    expect(disclosureColor(null)[3]).toBeLessThan(100);
    const dots = disclosureDots({
      compounds: {
        ids: [7, 9],
        names: ['甲', '乙'],
        lon: [103.8, 103.9],
        lat: [36, 36.1],
        status: ['late', 'missing'],
        flags: [0, 2],
      },
    } as never);
    expect(dots).toEqual([
      { id: 7, name: '甲', position: [103.8, 36], status: 'late', flags: 0 },
      { id: 9, name: '乙', position: [103.9, 36.1], status: 'missing', flags: 2 },
    ]);
    expect(Object.keys(STATUS_COLORS).sort()).toEqual(['late', 'missing', 'on_time', 'pending']);
  });
});

describe('flag words', () => {
  const t = (lang: 'zh' | 'en') => {
    const tr = translator(lang);
    return (k: string, p?: Record<string, string | number>) => tr(k as never, p);
  };
  it('put amounts in yuan and name the category', () => {
    expect(
      flagText(
        {
          rule: 'outlier_own',
          category: 'repairs',
          value: 1_234_500,
          reference: 100_000,
          reason: '',
        },
        t('zh'),
      ),
    ).toBe('维修养护 12345.00 元，远高于本小区常月 1000.00 元');
    expect(flagText({ rule: 'late', days: 3, reason: '' }, t('en'))).toBe('Published 3 days late');
    expect(
      flagText(
        { rule: 'missing_months', months: ['2026-05-01', '2026-07-01'], reason: '' },
        t('zh'),
      ),
    ).toBe('此前未公开月份：2026-05、2026-07');
  });
});
