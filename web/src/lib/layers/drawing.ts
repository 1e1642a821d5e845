/**
 * The polygon a planner draws to select an area (规划研判): the finished ring, or the vertices
 * clicked so far, and a ring where a table row flew the map to a compound.
 */
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '../types.ts';
import { defineLayer } from './define.ts';

export interface DrawingData {
  /** the finished selection polygon (open ring) */
  polygon: LonLat[] | null;
  /** vertices clicked so far while drawing */
  draft: LonLat[];
  /** a compound the map flew to */
  focus: LonLat | null;
}

export function buildDrawingLayers(visible: boolean, data: DrawingData | null) {
  const polygon = data?.polygon ?? null;
  const draft = data?.draft ?? [];
  return [
    new PolygonLayer<LonLat[]>({
      id: 'drawing-polygon',
      data: polygon ? [polygon] : draft.length >= 2 ? [draft] : [],
      visible: visible && (!!polygon || draft.length >= 2),
      pickable: false,
      stroked: true,
      filled: true,
      getPolygon: (d) => d,
      getFillColor: polygon ? [0, 229, 255, 28] : [255, 214, 90, 30],
      getLineColor: polygon ? [0, 229, 255, 255] : [255, 214, 90, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      updateTriggers: { getFillColor: [!!polygon], getLineColor: [!!polygon] },
    }),
    new ScatterplotLayer<{ position: LonLat; focus: boolean }>({
      id: 'drawing-vertices',
      data: [
        ...draft.map((position) => ({ position, focus: false })),
        ...(data?.focus ? [{ position: data.focus, focus: true }] : []),
      ],
      visible,
      pickable: false,
      stroked: true,
      filled: true,
      radiusUnits: 'pixels',
      getRadius: (d) => (d.focus ? 14 : 4),
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.focus ? 3 : 2),
      getPosition: (d) => d.position,
      getFillColor: (d) => (d.focus ? [0, 229, 255, 40] : [255, 214, 90, 255]),
      getLineColor: (d) => (d.focus ? [0, 229, 255, 255] : [7, 18, 31, 255]),
    }),
  ];
}

export const drawingLayer = defineLayer({
  id: 'drawing',
  defaults: { kind: 'marker', visible: true, colorBy: ['none'] },
  capability: null,
  hidden: true,
  data: (s): DrawingData | null => s.planner.drawingData,
  build: (config, data) => buildDrawingLayers(config.visible, data),
});
