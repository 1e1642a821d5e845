/**
 * The credit map layer: packed columns drawn by index, the tooltip names the company and its
 * score, a click selects the compound and the company for the panel; the grade legend follows
 * the method's grades.
 */
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { CREDIT_GRADES, GRADE_COLORS } from '../../geo/credit-method.ts';
import type { CreditMapT } from '../../web/src/lib/credit/api.ts';
import { creditCompany } from '../../web/src/lib/credit/selection.ts';
import { creditEn, creditZh } from '../../web/src/lib/i18n-credit.ts';
import { buildCreditLayer, creditLayer, describeCredit } from '../../web/src/lib/layers/credit.ts';

const data: CreditMapT = {
  period: '2026-10-01',
  companies: { ids: [7, 9], names: ['甲物业', '乙物业'], scores: [91.2, 55], grades: ['AAA', 'C'] },
  compounds: {
    ids: [101, 102, 103],
    company: [0, 1, 1],
    lon: [103.8, 103.81, 103.82],
    lat: [36.05, 36.06, 36.07],
  },
};

describe('credit layer', () => {
  it('draws one dot per compound, coloured by its company’s grade', () => {
    const layer = buildCreditLayer(true, data);
    expect(layer.id).toBe('credit');
    expect((layer.props.data as { length: number }).length).toBe(3);
    const fill = layer.props.getFillColor as unknown as (
      d: unknown,
      i: { index: number },
    ) => number[];
    expect(fill(null, { index: 0 }).slice(0, 3)).toEqual(GRADE_COLORS.AAA);
    expect(fill(null, { index: 2 }).slice(0, 3)).toEqual(GRADE_COLORS.C);
    const pos = layer.props.getPosition as unknown as (
      d: unknown,
      i: { index: number },
    ) => number[];
    expect(pos(null, { index: 1 })).toEqual([103.81, 36.06]);
  });

  it('tells the company and score, and a click selects the compound and the company', () => {
    const hover = describeCredit({ layerId: 'credit', index: 1, object: null }, data, 'zh');
    expect(hover?.title).toBe('乙物业');
    expect(hover?.lines[0]!.text).toBe('55.0 · C');
    const action = creditLayer.picks!.credit!.click(
      { layerId: 'credit', index: 2, object: null },
      data,
    );
    expect(action).toEqual({ kind: 'area', id: 103 });
    expect(get(creditCompany)).toBe(9);
    expect(
      creditLayer.picks!.credit!.click({ layerId: 'credit', index: 9, object: null }, data),
    ).toBeNull();
  });

  it('has a legend of the grades and the same words in both languages', () => {
    const blocks = creditLayer.legend!(
      { id: 'credit', kind: 'point', visible: true, colorBy: 'grade' },
      { lang: 'zh', t: (k) => k, filter: {} as never },
    );
    expect(blocks[0]!.items!.map((i) => i.label)).toEqual([...CREDIT_GRADES]);
    expect(Object.keys(creditEn).sort()).toEqual(Object.keys(creditZh).sort());
  });
});
