/**
 * Tickets (诉求工单) as points from MQP1 binary columns: positions go to the GPU as they came off
 * the wire; colours are looked up from the code columns by the chosen `colorBy`.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { FLAG_OVERDUE } from '../../../../geo/point-codec.ts';
import type { PointData } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { THEME, TICKET_PALETTES } from './palette.ts';
import { OPEN_TICKET_STATUSES } from '../../../../geo/vocabulary.ts';
import { describeTicket } from '../map/hover.ts';
import { cssColor } from './palette.ts';

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
  colorBy: LayerConfig<'status' | 'category' | 'channel'>['colorBy'],
) {
  const palette = TICKET_PALETTES[colorBy];
  return palette.colors[data.codes[palette.column][index]] ?? THEME.unknown;
}

export function buildTicketsLayer(
  config: LayerConfig<'status' | 'category' | 'channel'>,
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

export const ticketsLayer = defineLayer({
  id: 'tickets',
  defaults: { kind: 'point', visible: true, colorBy: ['status', 'category', 'channel'] },
  // Planners see the points without personal data (points.read), the workspace reads tickets.
  capability: ['points.read', 'tickets.read'],
  data: (s): PointData | null => s.tickets.points.data,
  build: buildTicketsLayer,
  legend: (config, ctx) => {
    const palette = TICKET_PALETTES[config.colorBy];
    const f = ctx.filter;
    // Only the terms the filter lets through: the legend lists what can be on the map.
    const chosen =
      config.colorBy === 'status'
        ? f.status.includes('open')
          ? (OPEN_TICKET_STATUSES as readonly string[])
          : f.status
        : f[config.colorBy];
    const terms = chosen.length
      ? palette.terms.filter((t) => chosen.includes(t.key))
      : palette.terms;
    return [
      {
        key: 'tickets',
        title: `${ctx.t('layer.tickets')} · ${ctx.t(`colorBy.${config.colorBy}`)}`,
        columns: true,
        items: [
          ...terms.map((t) => ({
            label: t[ctx.lang],
            color: cssColor(t.color),
            shape: 'dot' as const,
          })),
          { label: ctx.t('legend.overdue'), shape: 'ring' as const },
        ],
      },
    ];
  },
  tooltip: { tickets: describeTicket },
  picks: {
    tickets: {
      click: (p, d) => {
        const id = d?.ids[p.index];
        return id === undefined ? null : { kind: 'ticket', id };
      },
      needs: ['tickets.read'],
    },
  },
});
