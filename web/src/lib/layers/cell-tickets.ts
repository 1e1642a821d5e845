/**
 * The tickets behind the open cell or the drawn selection (规划研判): small dots by category, with
 * their positions and categories only, as the analytics API gives them to planners.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { TICKET_CATEGORIES } from '../../../../geo/vocabulary.ts';
import { formatWhen, termLabel } from '../i18n.ts';
import type { CellDetail } from '../types.ts';
import { defineLayer } from './define.ts';
import { THEME, rgba, type Rgba } from './palette.ts';

export type CellTicket = CellDetail['tickets'][number];

const CATEGORY_COLORS = new Map(TICKET_CATEGORIES.map((t) => [t.key as string, rgba(t, 235)]));

export function categoryColor(key: string): Rgba {
  return CATEGORY_COLORS.get(key) ?? THEME.unknown;
}

export function buildCellTicketsLayer(
  visible: boolean,
  data: CellTicket[] | null,
): ScatterplotLayer<CellTicket> {
  return new ScatterplotLayer<CellTicket>({
    id: 'cell-tickets',
    data: data ?? [],
    visible: visible && !!data?.length,
    pickable: true,
    stroked: true,
    radiusUnits: 'pixels',
    getRadius: 3.5,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getPosition: (d) => d.position,
    getFillColor: (d) => categoryColor(d.category),
    getLineColor: [7, 18, 31, 230],
    autoHighlight: true,
    highlightColor: [255, 255, 255, 255],
  });
}

export const cellTicketsLayer = defineLayer({
  id: 'cellTickets',
  defaults: { kind: 'point', visible: true, colorBy: ['none'] },
  capability: null,
  hidden: true,
  data: (s): CellTicket[] | null => s.planner.ticketsShown,
  build: (config, data) => buildCellTicketsLayer(config.visible, data),
  tooltip: {
    'cell-tickets': (pick, _data, lang) => {
      const d = pick.object as CellTicket | null;
      if (!d) return null;
      const term = TICKET_CATEGORIES.find((t) => t.key === d.category);
      return {
        title: termLabel(term, lang),
        lines: [{ text: formatWhen(d.receivedAt, lang) }],
      };
    },
  },
});
