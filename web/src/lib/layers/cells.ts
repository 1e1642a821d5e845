/**
 * The planner's H3 cells (规划研判): hot spots (Gi*), emerging hot spots or the change between two
 * periods, as hexagons from h3-js, flat or extruded by the count. The colours are worked out once
 * per answer (`hexCells`), so the builder only hands them to deck.gl.
 */
import { PolygonLayer } from '@deck.gl/layers';
import { cellToBoundary } from 'h3-js';
import { translator, type MessageKey } from '../i18n.ts';
import type { HoverContent } from '../map/hover.ts';
import type { HexColorBy } from '../planner/config.ts';
import {
  binHex,
  binOf,
  emergingHex,
  hexToRgba,
  quantileBreaks,
  ratioHex,
  spotFill,
} from '../planner/scales.ts';
import type { Compare, Emerging, Hotspots } from '../types.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer } from './define.ts';
import type { Rgba } from './palette.ts';

type Ring = [number, number][];

export interface HexCell {
  h3: string;
  polygon: Ring;
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
const CELL_LINE: Rgba = [7, 18, 31, 140];
const MAX_HEIGHT = 2500;

function fmt(n: number | null, digits = 2): string {
  return n === null || !Number.isFinite(n) ? '—' : String(Number(n.toFixed(digits)));
}

/** The planner's cells as the layer draws them, from whichever analysis is shown. */
export function hexCells(
  input:
    | { kind: 'hotspots'; data: Hotspots; colorBy: HexColorBy }
    | { kind: 'emerging'; data: Emerging }
    | { kind: 'compare'; data: Compare },
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
      key += `:${d.a.from}:${d.b.from}:${d.rows.length}`;
      if (d.by !== 'h3') break;
      const max = Math.max(1, ...d.rows.map((r) => Math.max(r.a, r.b)));
      for (const r of d.rows) {
        const hex = ratioHex(r.ratio);
        cells.push({
          h3: r.key,
          polygon: boundaryOf(r.key),
          // significant changes stand out; the rest stay faint
          fill: hexToRgba(hex, r.significant ? 230 : 70),
          line: r.significant ? [255, 255, 255, 230] : NONE_LINE,
          elevation: (r.b / max) * MAX_HEIGHT,
          title: r.significant
            ? t('planner.compare.significant')
            : t('planner.compare.notSignificant'),
          lines: [
            `A ${r.a} → B ${r.b}`,
            t('planner.compare.ratio', { n: fmt(r.ratio) }),
            `p ${fmt(r.p, 3)} · q ${fmt(r.q, 3)}`,
          ],
        });
      }
      break;
    }
  }
  // significant compare cells last, so their white outline is not covered by neighbours
  if (input.kind === 'compare') cells.sort((a, b) => a.line[3] - b.line[3]);
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
      getLineWidth: (d) => (d.line[0] === 255 ? 2 : 1),
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
      if (content) content.hint = translator(lang)('planner.cell.open' as MessageKey);
      return content;
    },
  },
  picks: {
    cells: {
      click: (p) => {
        const h3 = (p.object as HexCell | null)?.h3;
        return h3 ? { kind: 'cell', h3 } : null;
      },
    },
  },
});
