/**
 * Hazards (安全隐患) as rings from MQP1 binary columns, sized and coloured by severity (or
 * coloured by type), so they read apart from the ticket dots.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PointData } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { HAZARD_PALETTES, THEME } from './palette.ts';
import { EMPTY_POINTS } from './tickets.ts';
import { describeHazard } from '../map/hover.ts';
import { cssColor } from './palette.ts';

type Ctx = { index: number; data: PointData };

/** Severity code → ring radius in metres (low, medium, high, critical), clamped in pixels. */
const RADIUS = [28, 36, 46, 60];

export function hazardColor(
  data: PointData,
  index: number,
  colorBy: LayerConfig<'severity' | 'type'>['colorBy'],
) {
  const palette = HAZARD_PALETTES[colorBy];
  return palette.colors[data.codes[palette.column][index]] ?? THEME.unknown;
}

export function buildHazardsLayer(
  config: LayerConfig<'severity' | 'type'>,
  data: PointData | null,
): ScatterplotLayer<PointData> {
  const { colorBy } = config;
  return new ScatterplotLayer<PointData>({
    id: 'hazards',
    data: (data ?? EMPTY_POINTS) as never,
    visible: config.visible,
    pickable: true,
    filled: true,
    stroked: true,
    radiusUnits: 'meters',
    getRadius: (_: unknown, { index, data: d }: Ctx) => RADIUS[d.codes[1][index]] ?? 30,
    radiusMinPixels: 2.5,
    radiusMaxPixels: 14,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getFillColor: (_: unknown, { index, data: d }: Ctx) => {
      const c = hazardColor(d, index, colorBy);
      return [c[0], c[1], c[2], 60];
    },
    getLineColor: (_: unknown, { index, data: d }: Ctx) => hazardColor(d, index, colorBy),
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
    updateTriggers: { getFillColor: [colorBy], getLineColor: [colorBy] },
  } as never);
}

export const hazardsLayer = defineLayer({
  id: 'hazards',
  defaults: { kind: 'point', visible: true, colorBy: ['severity', 'type'] },
  capability: ['points.read', 'hazards.read'],
  data: (s): PointData | null => s.hazards.points.data,
  build: buildHazardsLayer,
  legend: (config, ctx) => [
    {
      key: 'hazards',
      title: `${ctx.t('layer.hazards')} · ${ctx.t(`colorBy.${config.colorBy}`)}`,
      columns: true,
      items: HAZARD_PALETTES[config.colorBy].terms.map((t) => ({
        label: t[ctx.lang],
        color: cssColor(t.color),
        shape: 'hollow' as const,
      })),
    },
  ],
  tooltip: { hazards: describeHazard },
  picks: {
    hazards: {
      click: (p, d) => {
        const id = d?.ids[p.index];
        return id === undefined ? null : { kind: 'hazard', id };
      },
      needs: ['hazards.read'],
    },
  },
});
