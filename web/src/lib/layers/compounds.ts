/**
 * Every compound of the city as a dot at its label point, coloured by the three-colour rating
 * (红黄蓝), so the city's state reads at a glance before any drilling.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { AreaCollection, LonLat } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { THEME, ratingColor } from './palette.ts';
import { describeCompound } from '../map/hover.ts';
import { ratingLegend } from './areas.ts';

export interface CompoundPoint {
  id: number;
  name: string;
  position: LonLat;
  rating: string | null;
  score: number | null;
  openTickets: number | null;
  overdueTickets: number | null;
}

/** Keeps only what the dots need, so the polygons can be dropped. */
export function compoundPoints(fc: AreaCollection): CompoundPoint[] {
  const out: CompoundPoint[] = [];
  for (const f of fc.features) {
    const p = f.properties;
    if (!p.label) continue;
    out.push({
      id: p.id,
      name: p.name,
      position: p.label,
      rating: p.rating,
      score: p.score,
      openTickets: p.openTickets,
      overdueTickets: p.overdueTickets,
    });
  }
  // Red last so it draws on top where dots overlap.
  const rank = (r: string | null) => (r === 'red' ? 3 : r === 'yellow' ? 2 : r === 'blue' ? 1 : 0);
  return out.sort((a, b) => rank(a.rating) - rank(b.rating));
}

export function buildCompoundsLayer(
  config: LayerConfig<'rating'>,
  data: CompoundPoint[] | null,
): ScatterplotLayer<CompoundPoint> {
  return new ScatterplotLayer<CompoundPoint>({
    id: 'compounds',
    data: data ?? [],
    visible: config.visible,
    pickable: true,
    stroked: true,
    radiusUnits: 'meters',
    getRadius: 45,
    radiusMinPixels: 2.5,
    radiusMaxPixels: 9,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getPosition: (d) => d.position,
    getFillColor: (d) => ratingColor(d.rating, 235) ?? THEME.unknown,
    getLineColor: THEME.pointOutline,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
    updateTriggers: { getFillColor: [config.colorBy] },
  });
}

export const compoundsLayer = defineLayer({
  id: 'compounds',
  defaults: { kind: 'point', visible: true, colorBy: ['rating'] },
  capability: null,
  data: (s): CompoundPoint[] | null => s.areas.compounds,
  build: buildCompoundsLayer,
  legend: (_config, ctx) => [ratingLegend(ctx)],
  tooltip: { compounds: describeCompound },
  picks: {
    compounds: {
      click: (p) => {
        const id = (p.object as { id?: unknown } | null)?.id;
        return typeof id === 'number' ? { kind: 'area', id } : null;
      },
    },
  },
});
