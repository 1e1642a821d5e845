/**
 * Markers over everything: the ticket or hazard open in the detail card, and the point picked
 * for a new one. Not a data layer, so it has no switch.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '../types.ts';
import { defineLayer } from './define.ts';

export interface Marker {
  position: LonLat;
  kind: 'selected' | 'draft';
}

export function buildSelectionLayer(markers: Marker[]): ScatterplotLayer<Marker> {
  return new ScatterplotLayer<Marker>({
    id: 'selection',
    data: markers,
    pickable: false,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    getRadius: (d) => (d.kind === 'draft' ? 9 : 15),
    lineWidthUnits: 'pixels',
    getLineWidth: (d) => (d.kind === 'draft' ? 3 : 3),
    getPosition: (d) => d.position,
    getFillColor: (d) => (d.kind === 'draft' ? [255, 214, 90, 200] : [0, 229, 255, 40]),
    getLineColor: (d) => (d.kind === 'draft' ? [7, 18, 31, 255] : [0, 229, 255, 255]),
  });
}

export const selectionLayer = defineLayer({
  id: 'selection',
  defaults: { kind: 'marker', visible: true, colorBy: ['none'] },
  capability: null,
  hidden: true,
  data: (s): Marker[] => s.markers,
  build: (_config, markers) => buildSelectionLayer(markers),
});
