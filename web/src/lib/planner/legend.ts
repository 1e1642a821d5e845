/**
 * The workbench's legend as data: one block per thing on the map, each colour with its meaning,
 * how many cells or compounds have it, and the method in words. The legend panel and the
 * exported PNG both draw this, so they say the same.
 */
import { AREA_LEVEL_LABELS } from '../../../../geo/vocabulary.ts';
import type { Translate } from '../i18n.ts';
import type { Lang } from '../view-config.ts';
import type { AreaMap } from './api.ts';
import type { Compare, CompoundFacts, CoverageRisk, Emerging, Hotspots } from '../types.ts';
import { areaColorBy, type FactKey, type PlannerConfig } from './config.ts';
import {
  binRows,
  EMERGING_KINDS,
  emergingHex,
  factRows,
  quantileBreaks,
  RATIO_EDGES,
  RATIO_HEX,
  RESIDUAL_HEX,
  residualBin,
  residualLabels,
  SPOT_CLASSES,
  SPOT_HEX,
} from './scales.ts';

export interface LegendRow {
  hex: string;
  label: string;
  count?: number;
  /** drawn as an outline only (not significant) */
  hollow?: boolean;
}

export interface PlannerLegendBlock {
  key: string;
  title: string;
  rows: LegendRow[];
  /** the method in one or two sentences */
  method?: string;
}

export interface LegendInput {
  config: PlannerConfig;
  hotspots: Hotspots | null;
  emerging: Emerging | null;
  compare: Compare | null;
  coverage?: CoverageRisk | null;
  /** the hot-spot view by area */
  areaMap?: AreaMap | null;
  facts: CompoundFacts[] | null;
  /** the language of the area levels' names (default Chinese) */
  lang?: Lang;
}

const num = (n: number) => {
  if (!Number.isFinite(n)) return '—';
  return Math.abs(n) >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
};

export function plannerLegend(input: LegendInput, t: Translate): PlannerLegendBlock[] {
  const c = input.config;
  const tt = t as (k: string, p?: Record<string, string | number>) => string;
  const out: PlannerLegendBlock[] = [];
  if (c.view === 'hotspots' && c.unit !== 'h3') {
    if (input.areaMap) out.push(areasBlock(input.areaMap, c, input.lang ?? 'zh', t));
  } else if (c.view === 'hotspots' && input.hotspots) {
    const h = input.hotspots;
    const m = h.method;
    const method = t('planner.legend.method', {
      k: m.neighbourhood.k,
      res: m.neighbourhood.res,
      n: m.studyCells,
    });
    if (c.colorBy === 'class') {
      const counts = new Map<string, number>();
      for (const cell of h.cells) counts.set(cell.class, (counts.get(cell.class) ?? 0) + 1);
      out.push({
        key: 'cells',
        title: t('planner.legend.hotspots', { what: t(`planner.metric.${m.metric}`) }),
        rows: SPOT_CLASSES.map((k) => ({
          hex: SPOT_HEX[k],
          label: t(`planner.class.${k}`),
          count: counts.get(k) ?? 0,
          hollow: k === 'none',
        })),
        method,
      });
    } else {
      const values = h.cells.map((x) => (c.colorBy === 'rate' ? (x.rate ?? NaN) : x.count));
      out.push({
        key: 'cells',
        title: t('planner.legend.hotspots', { what: t(`planner.colorBy.${c.colorBy}`) }),
        rows: binRows(values, quantileBreaks(values), num),
        method: `${t('planner.legend.quantile')}. ${method}`,
      });
    }
  }
  if (c.view === 'emerging' && input.emerging) {
    const e = input.emerging;
    const counts = new Map<string, number>();
    for (const cell of e.cells) counts.set(cell.class, (counts.get(cell.class) ?? 0) + 1);
    const rows: LegendRow[] = [];
    for (const side of ['hot', 'cold'] as const)
      for (const k of EMERGING_KINDS) {
        const cls = `${k}_${side}`;
        const n = counts.get(cls) ?? 0;
        // all sixteen would crowd the legend: the classes that occur, plus the hot ones' names
        if (n > 0)
          rows.push({ hex: emergingHex(cls)!, label: tt(`planner.emerging.${cls}`), count: n });
      }
    rows.push({
      hex: SPOT_HEX.none,
      label: t('planner.emerging.none'),
      count: counts.get('none') ?? 0,
      hollow: true,
    });
    out.push({
      key: 'cells',
      title: t('planner.legend.emerging', { n: e.months.length }),
      rows,
      method: t('planner.legend.emergingMethod', {
        k: e.method.neighbourhood.k,
        res: e.method.neighbourhood.res,
      }),
    });
  }
  if (c.view === 'compare' && input.compare) {
    const d = input.compare;
    const counts = new Array<number>(RATIO_HEX.length).fill(0);
    let significant = 0;
    for (const r of d.rows) {
      let i = 0;
      const ratio = r.ratio ?? Infinity;
      while (i < RATIO_EDGES.length && ratio >= RATIO_EDGES[i]) i++;
      counts[i]++;
      if (r.significant) significant++;
    }
    out.push({
      key: 'cells',
      title:
        d.by === 'h3'
          ? t('planner.legend.compare')
          : t('planner.legend.compareAreas', { n: d.rows.length }),
      rows: [
        ...RATIO_HEX.map((hex, i) => ({
          hex,
          label:
            i === 0
              ? `< ${RATIO_EDGES[0]}`
              : i === RATIO_EDGES.length
                ? `≥ ${RATIO_EDGES[i - 1]}`
                : `${RATIO_EDGES[i - 1]} – ${RATIO_EDGES[i]}`,
          count: counts[i],
        })),
        {
          hex: '#ffffff',
          label: t('planner.compare.significant'),
          count: significant,
          hollow: true,
        },
      ],
      method: t('planner.legend.compareMethod', { a: d.method.alpha }),
    });
  }
  if (c.view === 'coverage' && input.coverage) {
    out.push(coverageBlock(input.coverage, t));
  }
  if (c.facts && input.facts) {
    out.push(factsBlock(c.facts, input.facts, t));
  }
  return out;
}

/**
 * The hot-spot view by area: quantile bins of the count or the rate with their edges as numbers
 * and the areas in each, the unit, and how many areas there are.
 */
export function areasBlock(
  d: AreaMap,
  c: Pick<PlannerConfig, 'colorBy' | 'unit'>,
  lang: Lang,
  t: Translate,
): PlannerLegendBlock {
  const colorBy = areaColorBy(c);
  const values = d.rows.map((r) => (colorBy === 'rate' ? (r.rate ?? NaN) : r.count));
  const missing = values.filter((v) => !Number.isFinite(v)).length;
  const level = c.unit === 'h3' ? 'district' : c.unit;
  return {
    key: 'cells',
    title: t('planner.legend.areas', {
      level: AREA_LEVEL_LABELS[level][lang],
      what: t(`planner.colorBy.${colorBy}`),
    }),
    rows: binRows(values, quantileBreaks(values), num),
    method: [
      t(`planner.legend.areasUnit.${colorBy}`),
      t('planner.legend.areasCount', { n: d.rows.length }),
      missing ? t('planner.legend.areasNoRate', { n: missing }) : null,
      t('planner.legend.quantile'),
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

/** Patrols against risk: the residual bins with their counts, the under-patrolled outline. */
export function coverageBlock(d: CoverageRisk, t: Translate): PlannerLegendBlock {
  const counts = new Array<number>(RESIDUAL_HEX.length).fill(0);
  let under = 0;
  for (const r of d.rows) {
    counts[residualBin(r.residual)]++;
    if (r.underPatrolled) under++;
  }
  const labels = residualLabels();
  return {
    key: 'cells',
    title: t(d.by === 'grid' ? 'planner.legend.coverageGrid' : 'planner.legend.coverageH3'),
    rows: [
      ...RESIDUAL_HEX.map((hex, i) => ({ hex, label: labels[i], count: counts[i] })),
      {
        hex: '#ffffff',
        label: t('planner.coverage.under'),
        count: under,
        hollow: true,
      },
    ],
    method: t('planner.legend.coverageMethod', {
      visits: t(
        d.method.visits === 'patrols' ? 'planner.coverage.patrols' : 'planner.coverage.checkins',
      ),
      threshold: String(d.method.threshold).replace('-', '−'),
    }),
  };
}

function factsBlock(fact: FactKey, items: CompoundFacts[], t: Translate): PlannerLegendBlock {
  const tt = t as (k: string) => string;
  return {
    key: 'facts',
    title: t('planner.legend.factsTitle', { fact: t(`planner.facts.${fact}`) }),
    rows: factRows(fact, items).map((r) => ({
      ...r,
      label: r.label.startsWith('condition.') ? tt(r.label) : r.label,
    })),
    method: t('planner.legend.compounds', { n: items.length }),
  };
}
