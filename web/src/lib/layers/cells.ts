/**
 * The planner's places (规划研判): H3 cells for hot spots (Gi*), emerging hot spots, the change
 * between two periods and patrol coverage against risk, as hexagons from h3-js; or, for a
 * comparison by area and coverage by grid, the areas' own outlines. Flat or extruded. The colours
 * are worked out once per answer (`hexCells`), so the builder only hands them to deck.gl.
 */
import { PolygonLayer } from '@deck.gl/layers';
import { cellToBoundary } from 'h3-js';
import { translator, type MessageKey } from '../i18n.ts';
import type { HoverContent } from '../map/hover.ts';
import type { AreaMap, Outline } from '../planner/api.ts';
import type { HexColorBy } from '../planner/config.ts';
import {
  binHex,
  binOf,
  emergingHex,
  hexToRgba,
  quantileBreaks,
  ratioHex,
  residualHex,
  spotFill,
} from '../planner/scales.ts';
import type { Compare, CoverageRisk, Emerging, Hotspots } from '../types.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type ClickAction } from './define.ts';
import type { Rgba } from './palette.ts';

type Ring = [number, number][];

export interface HexCell {
  /** the H3 cell, or the area's (grid's) id as a string */
  h3: string;
  /** a hexagon's ring, or a polygon's rings (outer first) */
  polygon: Ring | Ring[];
  /** what a click on it opens */
  click: ClickAction | null;
  fill: Rgba;
  line: Rgba;
  /** metres, when extruded */
  elevation: number;
  /** what the tooltip says */
  lines: string[];
  title: string;
}

export interface HexData {
  /** changes whenever the colours or heights change (deck.gl's updateTriggers) */
  key: string;
  cells: HexCell[];
  extrude: boolean;
  selected: string | null;
  /** for the legend: the quantile edges when coloured by count or rate */
  breaks: number[];
}

// Boundaries are the same for every answer: kept, bounded so a long session does not grow.
const boundaries = new Map<string, Ring>();
export function boundaryOf(h3: string): Ring {
  let ring = boundaries.get(h3);
  if (!ring) {
    if (boundaries.size > 60_000) boundaries.clear();
    ring = cellToBoundary(h3, true) as Ring;
    boundaries.set(h3, ring);
  }
  return ring;
}

const NONE_LINE: Rgba = [200, 206, 214, 90];
const EMPHASIS_LINE: Rgba = [255, 255, 255, 230];
const CELL_LINE: Rgba = [7, 18, 31, 140];
const MAX_HEIGHT = 2500;

function fmt(n: number | null, digits = 2): string {
  return n === null || !Number.isFinite(n) ? '—' : String(Number(n.toFixed(digits)));
}

/** One item per part of an area's outline (deck.gl draws a polygon, not a multipolygon). */
function areaParts(
  key: string,
  outlines: ReadonlyMap<string, Outline> | null,
  cell: Omit<HexCell, 'h3' | 'polygon'>,
): HexCell[] {
  return (outlines?.get(key) ?? []).map((rings) => ({ ...cell, h3: key, polygon: rings }));
}

/** The planner's cells as the layer draws them, from whichever analysis is shown. */
export function hexCells(
  input:
    | { kind: 'hotspots'; data: Hotspots; colorBy: HexColorBy }
    | { kind: 'emerging'; data: Emerging }
    | { kind: 'compare'; data: Compare; outlines: ReadonlyMap<string, Outline> | null }
    | { kind: 'coverage'; data: CoverageRisk; outlines: ReadonlyMap<string, Outline> | null }
    | {
        kind: 'areas';
        data: AreaMap;
        colorBy: 'count' | 'rate';
        outlines: ReadonlyMap<string, Outline> | null;
      },
  lang: Lang,
  options: { extrude: boolean; selected: string | null },
): HexData {
  const t = translator(lang) as (k: string, p?: Record<string, string | number>) => string;
  const cells: HexCell[] = [];
  let breaks: number[] = [];
  let key = `${input.kind}:${lang}`;
  switch (input.kind) {
    case 'hotspots': {
      const { colorBy } = input;
      key += `:${colorBy}:${input.data.period.from}:${input.data.cells.length}`;
      const value = (c: Hotspots['cells'][number]) =>
        colorBy === 'rate' ? (c.rate ?? NaN) : c.count;
      if (colorBy !== 'class') breaks = quantileBreaks(input.data.cells.map(value));
      const max = Math.max(1, ...input.data.cells.map((c) => c.count));
      for (const c of input.data.cells) {
        const v = value(c);
        const fill =
          colorBy === 'class'
            ? spotFill(c.class)
            : Number.isFinite(v)
              ? hexToRgba(binHex(binOf(v, breaks), breaks.length - 1), 210)
              : ([120, 130, 140, 60] as Rgba);
        cells.push({
          h3: c.h3,
          polygon: boundaryOf(c.h3),
          click: { kind: 'cell', h3: c.h3 },
          fill,
          line: c.class === 'none' && colorBy === 'class' ? NONE_LINE : CELL_LINE,
          elevation: (c.count / max) * MAX_HEIGHT,
          title: t(`planner.class.${c.class}`),
          lines: [
            t('planner.cell.count', { n: c.count }),
            t('planner.cell.rate', { n: fmt(c.rate, 1) }),
            `z ${fmt(c.z)} · p ${fmt(c.p, 3)} · q ${fmt(c.q, 3)}`,
          ],
        });
      }
      break;
    }
    case 'emerging': {
      key += `:${input.data.months[0]}:${input.data.cells.length}`;
      const totals = input.data.cells.map((c) => c.counts.reduce((a, b) => a + b, 0));
      const max = Math.max(1, ...totals);
      input.data.cells.forEach((c, i) => {
        const hex = emergingHex(c.class);
        cells.push({
          h3: c.h3,
          polygon: boundaryOf(c.h3),
          click: { kind: 'cell', h3: c.h3 },
          fill: hex ? hexToRgba(hex, 220) : [200, 206, 214, 18],
          line: hex ? CELL_LINE : NONE_LINE,
          elevation: (totals[i] / max) * MAX_HEIGHT,
          title: t(`planner.emerging.${c.class}`),
          lines: [
            t('planner.cell.count', { n: totals[i] }),
            t('planner.cell.trend', { z: fmt(c.trendZ), p: fmt(c.trendP, 3) }),
          ],
        });
      });
      break;
    }
    case 'compare': {
      const d = input.data;
      key += `:${d.by}:${d.a.from}:${d.b.from}:${d.rows.length}:${input.outlines?.size ?? 0}`;
      const max = Math.max(1, ...d.rows.map((r) => Math.max(r.a, r.b)));
      for (const r of d.rows) {
        const hex = ratioHex(r.ratio);
        const cell = {
          // significant changes stand out; the rest stay faint
          fill: hexToRgba(hex, r.significant ? 230 : 70),
          line: r.significant ? EMPHASIS_LINE : NONE_LINE,
          elevation: (r.b / max) * MAX_HEIGHT,
          title: [
            r.name,
            r.significant ? t('planner.compare.significant') : t('planner.compare.notSignificant'),
          ]
            .filter(Boolean)
            .join(' · '),
          lines: [
            `A ${r.a} → B ${r.b}`,
            t('planner.compare.ratio', { n: fmt(r.ratio) }),
            `p ${fmt(r.p, 3)} · q ${fmt(r.q, 3)}`,
          ],
        };
        if (d.by === 'h3')
          cells.push({
            ...cell,
            h3: r.key,
            polygon: boundaryOf(r.key),
            click: { kind: 'cell', h3: r.key },
          });
        else
          cells.push(
            ...areaParts(r.key, input.outlines, {
              ...cell,
              click: { kind: 'area', id: Number(r.key) },
            }),
          );
      }
      break;
    }
    case 'areas': {
      const d = input.data;
      const { colorBy } = input;
      const level = d.rows[0]?.level ?? '';
      key += `:${level}:${colorBy}:${d.period.from}:${d.period.to}:${d.rows.length}:${input.outlines?.size ?? 0}`;
      const value = (r: AreaMap['rows'][number]) =>
        colorBy === 'rate' ? (r.rate ?? NaN) : r.count;
      breaks = quantileBreaks(d.rows.map(value));
      const max = Math.max(1, ...d.rows.map((r) => r.count));
      for (const r of d.rows) {
        const v = value(r);
        cells.push(
          ...areaParts(String(r.id), input.outlines, {
            fill: Number.isFinite(v)
              ? hexToRgba(binHex(binOf(v, breaks), breaks.length - 1), 210)
              : ([120, 130, 140, 60] as Rgba),
            line: CELL_LINE,
            elevation: (r.count / max) * MAX_HEIGHT,
            click: { kind: 'area', id: r.id },
            title: r.name,
            lines: [
              t('planner.cell.count', { n: r.count }),
              t('planner.area.households', { n: r.households }),
              t('planner.cell.rate', { n: fmt(r.rate, 1) }),
              t('planner.area.open', { open: r.open, closed: r.closed }),
            ],
          }),
        );
      }
      break;
    }
    case 'coverage': {
      const d = input.data;
      key += `:${d.by}:${d.period.from}:${d.period.to}:${d.rows.length}:${input.outlines?.size ?? 0}`;
      const max = Math.max(1, ...d.rows.map((r) => r.risk));
      for (const r of d.rows) {
        const cell = {
          // under-patrolled places solid with a white outline; the rest lighter
          fill: hexToRgba(residualHex(r.residual), r.underPatrolled ? 235 : 150),
          line: r.underPatrolled ? EMPHASIS_LINE : CELL_LINE,
          elevation: (r.risk / max) * MAX_HEIGHT,
          title: [
            r.name ?? (d.by === 'h3' ? r.key : null),
            r.underPatrolled ? t('planner.coverage.under') : null,
          ]
            .filter(Boolean)
            .join(' · '),
          lines: [
            d.by === 'grid'
              ? t('planner.coverage.tipPatrols', { n: r.visits, h: fmt(r.hours, 1) })
              : t('planner.coverage.tipCheckins', { n: r.visits }),
            t('planner.coverage.tipRisk', { risk: r.risk, t: r.tickets, h: r.hazards }),
            t('planner.coverage.tipResidual', { e: fmt(r.expected, 1), r: fmt(r.residual) }),
          ],
        };
        if (d.by === 'h3')
          cells.push({
            ...cell,
            h3: r.key,
            polygon: boundaryOf(r.key),
            click: { kind: 'cell', h3: r.key },
          });
        else cells.push(...areaParts(r.key, input.outlines, { ...cell, click: null }));
      }
      break;
    }
  }
  // emphasised places last, so their white outline is not covered by neighbours
  if (input.kind === 'compare' || input.kind === 'coverage')
    cells.sort((a, b) => Number(a.line === EMPHASIS_LINE) - Number(b.line === EMPHASIS_LINE));
  return { key, cells, extrude: options.extrude, selected: options.selected, breaks };
}

export function buildHexLayers(visible: boolean, data: HexData | null): PolygonLayer<HexCell>[] {
  const cells = data?.cells ?? [];
  const extrude = data?.extrude ?? false;
  const selected = data?.selected ? cells.filter((c) => c.h3 === data.selected) : [];
  return [
    new PolygonLayer<HexCell>({
      id: 'cells',
      data: cells,
      visible: visible && !!data,
      pickable: true,
      stroked: !extrude,
      filled: true,
      extruded: extrude,
      wireframe: false,
      getPolygon: (d) => d.polygon,
      getFillColor: (d) => d.fill,
      getLineColor: (d) => d.line,
      getElevation: (d) => d.elevation,
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.line === EMPHASIS_LINE ? 2 : 1),
      autoHighlight: true,
      highlightColor: [0, 229, 255, 120],
      material: { ambient: 0.6, diffuse: 0.5, shininess: 8, specularColor: [40, 40, 40] },
      updateTriggers: {
        getFillColor: [data?.key],
        getLineColor: [data?.key],
        getElevation: [data?.key],
        getLineWidth: [data?.key],
      },
    }),
    new PolygonLayer<HexCell>({
      id: 'cells-selected',
      data: selected,
      visible: visible && selected.length > 0,
      pickable: false,
      stroked: true,
      filled: false,
      getPolygon: (d) => d.polygon,
      getLineColor: [0, 229, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
    }),
  ];
}

export function describeHex(object: unknown): HoverContent | null {
  const c = object as HexCell | null;
  if (!c?.h3) return null;
  return { title: c.title, lines: c.lines.map((text) => ({ text })) };
}

/** What a click on a place opens: an H3 cell's panel, an area's page, or nothing. */
export function hexClick(object: unknown): ClickAction | null {
  return (object as HexCell | null)?.click ?? null;
}

export const cellsLayer = defineLayer({
  id: 'cells',
  defaults: { kind: 'hex', visible: true, colorBy: ['none'] },
  capability: null,
  hidden: true,
  data: (s): HexData | null => s.planner.hexData,
  build: (config, data) => buildHexLayers(config.visible, data),
  tooltip: {
    cells: (pick, _data, lang) => {
      const content = describeHex(pick.object);
      const click = hexClick(pick.object);
      if (content && click)
        content.hint = translator(lang)(
          (click.kind === 'cell' ? 'planner.cell.open' : 'tooltip.drill') as MessageKey,
        );
      return content;
    },
  },
  picks: {
    cells: {
      click: (p) => hexClick(p.object),
    },
  },
});
