/**
 * 物业信用 on the map: every managed compound as a dot coloured by its company's credit grade of
 * the month the credit tab shows (the latest published by default). The data comes packed as
 * columns (/api/credit/map), drawn by index without building an object per compound. Click: the
 * compound is selected and its company opens in the credit tab. Positions are WGS-84.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { CREDIT_GRADES, GRADE_COLORS, type CreditGrade } from '../../../../geo/credit-method.ts';
import { creditApi, type CreditMapT } from '../credit/api.ts';
import { creditCompany, currentCreditPeriod } from '../credit/selection.ts';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer } from './define.ts';

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function buildCreditLayer(visible: boolean, data: CreditMapT | null) {
  const c = data?.compounds;
  const grades = data?.companies.grades ?? [];
  return new ScatterplotLayer<unknown>({
    id: 'credit',
    data: { length: c?.ids.length ?? 0 },
    visible: visible && !!data,
    pickable: true,
    stroked: true,
    radiusUnits: 'meters',
    getRadius: 70,
    radiusMinPixels: 3,
    radiusMaxPixels: 11,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getPosition: (_: unknown, { index }: { index: number }) => [c!.lon[index]!, c!.lat[index]!],
    getFillColor: (_: unknown, { index }: { index: number }) => {
      const g = grades[c!.company[index]!] as CreditGrade | undefined;
      return [...(g ? GRADE_COLORS[g] : [150, 150, 150]), 235] as [number, number, number, number];
    },
    getLineColor: [7, 18, 31, 220],
    autoHighlight: true,
    highlightColor: [255, 255, 255, 220],
    updateTriggers: { getFillColor: [data?.period], getPosition: [data?.period] },
  });
}

export function describeCredit(
  pick: Pick,
  data: CreditMapT | null,
  lang: Lang,
): HoverContent | null {
  if (!data || pick.index < 0) return null;
  const i = data.compounds.company[pick.index];
  if (i === undefined) return null;
  const t = translator(lang);
  const grade = data.companies.grades[i] as CreditGrade;
  return {
    title: data.companies.names[i] ?? '',
    lines: [
      {
        label: t('credit.score'),
        text: `${data.companies.scores[i]!.toFixed(1)} · ${grade}`,
        color: rgb(GRADE_COLORS[grade]),
      },
      { label: t('credit.period'), text: (data.period ?? '').slice(0, 7) },
    ],
    hint: t('credit.mapHint'),
  };
}

export const creditLayer = defineLayer({
  id: 'credit',
  defaults: { kind: 'point', visible: false, colorBy: ['grade'] },
  capability: ['credit.read'],
  load: {
    key: () => `credit:${currentCreditPeriod() ?? ''}`,
    fetch: (_q, signal) => creditApi.map(currentCreditPeriod(), signal),
  },
  build: (config, data) => buildCreditLayer(config.visible, data ?? null),
  legend: (_config, ctx) => [
    {
      key: 'credit',
      title: `${ctx.t('layer.credit')} · ${ctx.t('colorBy.grade')}`,
      items: CREDIT_GRADES.map((g) => ({
        label: g,
        color: rgb(GRADE_COLORS[g]),
        shape: 'dot' as const,
      })),
    },
  ],
  tooltip: { credit: (pick, data, lang) => describeCredit(pick, data ?? null, lang) },
  picks: {
    credit: {
      click: (pick, data) => {
        const c = data?.compounds;
        if (!c || pick.index < 0 || pick.index >= c.ids.length) return null;
        creditCompany.set(data.companies.ids[c.company[pick.index]!] ?? null);
        return { kind: 'area', id: c.ids[pick.index]! };
      },
    },
  },
});
