/**
 * The drill layer: the areas the user can click into (the selected area's children, or its
 * siblings at the last level), coloured by the three-colour rating where an area has one
 * (grids, compounds) or by open tickets, plus the selected area's siblings as context outlines.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { AreaCollection, AreaFeature } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { THEME, rampColor, ratingColor, type Rgba } from './palette.ts';
import { RATING_COLORS } from '../../../../geo/vocabulary.ts';
import { describeArea } from '../map/hover.ts';
import { cssColor } from './palette.ts';
import type { ClickAction, LegendBlock, LegendContext } from './define.ts';

export interface AreasLayerData {
  /** Areas to click into, filled. */
  main: AreaCollection | null;
  /** Outlines around them for orientation (the selected area and its siblings). */
  context: AreaCollection | null;
  selectedId: number | null;
}

export function maxOpenTickets(fc: AreaCollection | null): number {
  let max = 0;
  for (const f of fc?.features ?? []) max = Math.max(max, f.properties.openTickets ?? 0);
  return max;
}

export function areaFillColor(
  f: AreaFeature,
  colorBy: LayerConfig<'rating' | 'open'>['colorBy'],
  maxOpen: number,
): Rgba {
  const p = f.properties;
  if (colorBy === 'rating') {
    if (p.level === 'grid' || p.level === 'compound') {
      return ratingColor(p.rating, 115) ?? THEME.unratedFill;
    }
    // Larger areas carry a roll-up of their compounds' colours. Only the ones needing attention
    // are tinted: a blue wash would hide the blue compound dots on top of it.
    return p.rating === 'red' || p.rating === 'yellow'
      ? (ratingColor(p.rating, 85) ?? THEME.neutralFill)
      : THEME.neutralFill;
  }
  return rampColor(maxOpen > 0 ? (p.openTickets ?? 0) / maxOpen : 0, 140);
}

export function buildAreasLayers(
  config: LayerConfig<'rating' | 'open'>,
  data: AreasLayerData,
): [GeoJsonLayer<AreaFeature['properties']>, GeoJsonLayer<AreaFeature['properties']>] {
  const { selectedId } = data;
  const maxOpen = maxOpenTickets(data.main);
  const isSelected = (f: AreaFeature) => f.properties.id === selectedId;

  const context = new GeoJsonLayer<AreaFeature['properties']>({
    id: 'areas-context',
    data: (data.context ?? EMPTY) as never,
    visible: config.visible,
    pickable: true,
    filled: true,
    stroked: true,
    // An almost invisible fill so the siblings can be clicked without hiding the basemap.
    getFillColor: (f) => (isSelected(f as AreaFeature) ? [0, 229, 255, 18] : [0, 0, 0, 1]),
    getLineColor: (f) => (isSelected(f as AreaFeature) ? THEME.selectedLine : THEME.contextLine),
    getLineWidth: (f) => (isSelected(f as AreaFeature) ? 3 : 1),
    lineWidthUnits: 'pixels',
    autoHighlight: true,
    highlightColor: [255, 255, 255, 25],
    updateTriggers: {
      getFillColor: [selectedId],
      getLineColor: [selectedId],
      getLineWidth: [selectedId],
    },
  });

  const main = new GeoJsonLayer<AreaFeature['properties']>({
    id: 'areas',
    data: (data.main ?? EMPTY) as never,
    visible: config.visible,
    pickable: true,
    filled: true,
    stroked: true,
    getFillColor: (f) => areaFillColor(f as AreaFeature, config.colorBy, maxOpen),
    getLineColor: (f) => (isSelected(f as AreaFeature) ? THEME.selectedLine : THEME.areaLine),
    getLineWidth: (f) => (isSelected(f as AreaFeature) ? 3 : 1.2),
    lineWidthUnits: 'pixels',
    autoHighlight: true,
    highlightColor: [255, 255, 255, 50],
    updateTriggers: {
      getFillColor: [config.colorBy, maxOpen],
      getLineColor: [selectedId],
      getLineWidth: [selectedId],
    },
  });
  return [context, main];
}

const EMPTY: AreaCollection = { type: 'FeatureCollection', features: [] };

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const prop = (o: unknown, key: string): unknown =>
  (o as { properties?: Record<string, unknown> } | null)?.properties?.[key];

/** A click on an area's shape (or a grid of the coverage layer) drills into it. */
export function areaClick(pick: { object: unknown }): ClickAction | null {
  const id = num(prop(pick.object, 'id'));
  return id === null ? null : { kind: 'area', id };
}

/** 三色评估: shared by the areas and the compounds, shown once. */
export function ratingLegend(ctx: LegendContext): LegendBlock {
  return {
    key: 'rating',
    title: ctx.t('layer.compounds'),
    items: RATING_COLORS.map((c) => ({
      label: c[ctx.lang],
      color: cssColor(c.color),
      shape: 'square',
    })),
  };
}

const RAMP = `linear-gradient(90deg, ${[0, 0.33, 0.66, 1].map((x) => cssColor(rampColor(x))).join(', ')})`;

export const areasLayer = defineLayer({
  id: 'areas',
  defaults: { kind: 'polygon', visible: true, colorBy: ['rating', 'open'] },
  capability: null,
  data: (s): AreasLayerData => s.areas.layerData,
  build: buildAreasLayers,
  legend: (config, ctx) =>
    config.colorBy === 'rating'
      ? [ratingLegend(ctx)]
      : [
          {
            key: 'areas-open',
            title: `${ctx.t('layer.areas')} · ${ctx.t('colorBy.open')}`,
            ramp: { css: RAMP, low: ctx.t('legend.openFew'), high: ctx.t('legend.openMany') },
          },
        ],
  tooltip: { areas: describeArea, 'areas-context': describeArea },
  picks: { areas: { click: areaClick }, 'areas-context': { click: areaClick } },
});
