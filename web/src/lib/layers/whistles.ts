/**
 * 吹哨报到 as arcs: from the compound a whistle was blown for to the office of every body it
 * names (the property company, or the departments), coloured by the whistle's state
 * (WHISTLE_STATES in geo/operations.ts). Whistles still waiting for someone, or late, are drawn
 * thick and opaque; those in progress thin and faint.
 */
import { ArcLayer, ScatterplotLayer } from '@deck.gl/layers';
import { WHISTLE_STATES, type WhistleState } from '../../../../geo/operations.ts';
import type { LonLat, WhistleRow } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { THEME, type Rgba } from './palette.ts';
import { describeWhistleArc, describeWhistleSite } from '../map/hover.ts';
import { cssColor } from './palette.ts';
import type { ClickAction } from './define.ts';

export interface WhistleArc {
  whistleId: number;
  state: WhistleState;
  /** this responder has not reported in yet */
  pending: boolean;
  source: LonLat;
  target: LonLat;
  responder: string;
}

export const WHISTLE_COLORS: Record<WhistleState, Rgba> = Object.fromEntries(
  WHISTLE_STATES.map((s) => [s.key, [s.color[0], s.color[1], s.color[2], 255]]),
) as Record<WhistleState, Rgba>;

/** States that need someone to act now. */
export function isUrgentWhistle(state: WhistleState): boolean {
  return state === 'awaiting_report' || state === 'report_late' || state === 'resolve_late';
}

export function whistleColor(state: WhistleState, urgent = isUrgentWhistle(state)): Rgba {
  const c = WHISTLE_COLORS[state] ?? THEME.unknown;
  return [c[0], c[1], c[2], urgent ? 255 : 150];
}

/** One arc per responder with a known office. */
export function whistleArcs(whistles: readonly WhistleRow[] | null): WhistleArc[] {
  const out: WhistleArc[] = [];
  for (const w of whistles ?? []) {
    for (const r of w.responders) {
      if (!r.office) continue;
      out.push({
        whistleId: w.id,
        state: w.state,
        pending: r.reportedAt === null,
        source: w.position,
        target: r.office,
        responder: r.name,
      });
    }
  }
  // Urgent ones last so they draw on top.
  const rank = (a: WhistleArc) => (isUrgentWhistle(a.state) ? 1 : 0);
  return out.sort((a, b) => rank(a) - rank(b));
}

export interface WhistlesLayerData {
  whistles: readonly WhistleRow[] | null;
  arcs: WhistleArc[];
}

export function buildWhistlesLayers(
  config: LayerConfig<'state'>,
  data: WhistlesLayerData,
): [ArcLayer<WhistleArc>, ScatterplotLayer<WhistleRow>] {
  const arcs = new ArcLayer<WhistleArc>({
    id: 'whistles',
    data: data.arcs,
    visible: config.visible,
    pickable: true,
    getSourcePosition: (d) => d.source,
    getTargetPosition: (d) => d.target,
    getSourceColor: (d) => whistleColor(d.state),
    getTargetColor: (d) => {
      const c = whistleColor(d.state);
      return [c[0], c[1], c[2], d.pending ? 90 : c[3]];
    },
    getWidth: (d) => (isUrgentWhistle(d.state) ? 4 : 2),
    widthUnits: 'pixels',
    // The map is seen from straight above: tilting the arcs' plane makes them curves, not lines.
    getTilt: 70,
    getHeight: 0.6,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 220],
  });
  const sites = new ScatterplotLayer<WhistleRow>({
    id: 'whistles-sites',
    data: (data.whistles ?? []) as WhistleRow[],
    visible: config.visible,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    getRadius: (d) => (isUrgentWhistle(d.state) ? 9 : 6),
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    getPosition: (d) => d.position,
    getFillColor: (d) => {
      const c = whistleColor(d.state);
      return [c[0], c[1], c[2], 70];
    },
    getLineColor: (d) => whistleColor(d.state, true),
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
  });
  return [arcs, sites];
}

const openWhistle =
  (key: 'whistleId' | 'id') =>
  (p: { object: unknown }): ClickAction | null => {
    const id = (p.object as Record<string, unknown> | null)?.[key];
    return typeof id === 'number' ? { kind: 'whistle', id } : null;
  };

export const whistlesLayer = defineLayer({
  id: 'whistles',
  defaults: { kind: 'arc', visible: true, colorBy: ['state'] },
  capability: ['whistles.read'],
  data: (s): WhistlesLayerData => s.whistles.data,
  build: buildWhistlesLayers,
  legend: (_config, ctx) => [
    {
      key: 'whistles',
      title: ctx.t('layer.whistles'),
      columns: true,
      items: [
        ...WHISTLE_STATES.filter((s) => s.key !== 'resolved').map((s) => ({
          label: s[ctx.lang],
          color: cssColor(s.color),
          shape: 'arc' as const,
        })),
        { label: ctx.t('legend.whistlePending'), shape: 'text' as const },
      ],
    },
  ],
  tooltip: { whistles: describeWhistleArc, 'whistles-sites': describeWhistleSite },
  picks: {
    whistles: { click: openWhistle('whistleId'), needs: ['whistles.read'] },
    'whistles-sites': { click: openWhistle('id'), needs: ['whistles.read'] },
  },
});
