/**
 * Tickets (诉求工单) as points from MQP1 binary columns: positions go to the GPU as they came off
 * the wire; colours are looked up from the code columns by the chosen `colorBy`.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { FLAG_OVERDUE } from '../../../../geo/point-codec.ts';
import type { PointData } from '../types.ts';
import type { LayerConfig } from '../view-config.ts';
import { THEME, TICKET_PALETTES } from './palette.ts';

const EMPTY_POINTS: PointData = {
  length: 0,
  attributes: { getPosition: { value: new Float32Array(0), size: 2 } },
  ids: new Uint32Array(0),
  codes: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
};

type Ctx = { index: number; data: PointData };

export function ticketColor(
  data: PointData,
  index: number,
  colorBy: LayerConfig<'tickets'>['colorBy'],
) {
  const palette = TICKET_PALETTES[colorBy];
  return palette.colors[data.codes[palette.column][index]] ?? THEME.unknown;
}

export function buildTicketsLayer(
  config: LayerConfig<'tickets'>,
  data: PointData | null,
): ScatterplotLayer<PointData> {
  const { colorBy } = config;
  return new ScatterplotLayer<PointData>({
    id: 'tickets',
    data: (data ?? EMPTY_POINTS) as never,
    visible: config.visible,
    pickable: true,
    stroked: true,
    // Metres, clamped in pixels: small at city scale where thousands overlap, readable up close.
    radiusUnits: 'meters',
    getRadius: 14,
    radiusMinPixels: 1.6,
    radiusMaxPixels: 6,
    lineWidthUnits: 'meters',
    lineWidthMaxPixels: 1.5,
    getFillColor: (_: unknown, { index, data: d }: Ctx) => ticketColor(d, index, colorBy),
    getLineColor: (_: unknown, { index, data: d }: Ctx) =>
      d.codes[3][index] & FLAG_OVERDUE ? THEME.overdueRing : THEME.pointOutline,
    getLineWidth: (_: unknown, { index, data: d }: Ctx) =>
      d.codes[3][index] & FLAG_OVERDUE ? 5 : 1.5,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 255],
    updateTriggers: { getFillColor: [colorBy] },
  } as never);
}

export { EMPTY_POINTS };
