/**
 * 包抓落实 on the map: the latest month's red compounds as rings coloured by the state of their
 * follow-up plan (none, open, overdue, closed), from /api/ratings/map packed as columns and drawn
 * by index. Click: the compound is selected (its 三色评估 tab explains it). WGS-84.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import { ratingsApi, type FollowupMap } from '../ratings/api.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer } from './define.ts';

/** Plan state → colour: none (red), open (cyan), overdue (orange), closed (grey-green). */
export const PLAN_STATES = [
  { key: 'none', color: [255, 77, 94] },
  { key: 'open', color: [0, 210, 255] },
  { key: 'overdue', color: [255, 159, 28] },
  { key: 'closed', color: [140, 200, 150] },
] as const;

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function buildFollowupsLayer(visible: boolean, data: FollowupMap | null) {
  const c = data?.compounds;
  return new ScatterplotLayer<unknown>({
    id: 'followups',
    data: { length: c?.ids.length ?? 0 },
    visible: visible && !!data,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'meters',
    getRadius: 110,
    // Larger than the rating dots under them, so the ring shows around a dot at city zoom.
    radiusMinPixels: 7,
    radiusMaxPixels: 16,
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    getPosition: (_: unknown, { index }: { index: number }) => [c!.lon[index]!, c!.lat[index]!],
    getFillColor: [220, 53, 69, 90],
    getLineColor: (_: unknown, { index }: { index: number }) =>
      [...(PLAN_STATES[c!.plan[index]!]?.color ?? [150, 150, 150]), 255] as [
        number,
        number,
        number,
        number,
      ],
    autoHighlight: true,
    highlightColor: [255, 255, 255, 200],
    updateTriggers: { getLineColor: [data], getPosition: [data] },
  });
}

export function describeFollowup(
  pick: Pick,
  data: FollowupMap | null,
  lang: Lang,
): HoverContent | null {
  if (!data || pick.index < 0 || pick.index >= data.compounds.ids.length) return null;
  const t = translator(lang);
  const state = PLAN_STATES[data.compounds.plan[pick.index]!]!;
  return {
    title: t('layer.followups'),
    lines: [
      {
        label: t('ratings.colPlan'),
        text: t(`ratings.plan.${state.key}`),
        color: rgb(state.color),
      },
      { label: t('rating.period'), text: (data.period ?? '').slice(0, 7) },
    ],
  };
}

export const followupsLayer = defineLayer({
  id: 'followups',
  defaults: { kind: 'point', visible: false, colorBy: ['plan'] },
  capability: ['ratings.read'],
  load: {
    key: () => 'followups',
    fetch: (_q, signal) => ratingsApi.map(signal),
  },
  build: (config, data) => buildFollowupsLayer(config.visible, data ?? null),
  legend: (_config, ctx) => [
    {
      key: 'followups',
      title: `${ctx.t('layer.followups')} · ${ctx.t('colorBy.plan')}`,
      items: PLAN_STATES.map((s) => ({
        label: ctx.t(`ratings.plan.${s.key}`),
        color: rgb(s.color),
        shape: 'ring' as const,
      })),
    },
  ],
  tooltip: { followups: (pick, data, lang) => describeFollowup(pick, data ?? null, lang) },
  picks: {
    followups: {
      click: (pick, data) => {
        const c = data?.compounds;
        if (!c || pick.index < 0 || pick.index >= c.ids.length) return null;
        return { kind: 'area', id: c.ids[pick.index]! };
      },
    },
  },
});
