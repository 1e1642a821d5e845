/**
 * 执法进小区 on the map: the compounds visited over the last year, a ring sized by the number of
 * visits, orange when a visit opened a follow-up (ticket or hazard). For enforcement.read. WGS-84.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { EnforcementMap } from '../mediation/api.ts';
import { enforcementMapData } from '../mediation/map-state.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';

type Feature = EnforcementMap['features'][number];
const PLAIN: [number, number, number, number] = [38, 198, 218, 220];
const FOLLOWED: [number, number, number, number] = [255, 159, 28, 230];

export function buildEnforcementLayer(config: LayerConfig<'visits'>, data: EnforcementMap | null) {
  return new ScatterplotLayer<Feature>({
    id: 'enforcement',
    data: data?.features ?? [],
    visible: config.visible,
    pickable: true,
    stroked: true,
    filled: false,
    getPosition: (f) => f.geometry.coordinates,
    getRadius: (f) => 4 + 2 * Math.sqrt(f.properties.visits),
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    getLineColor: (f) => (f.properties.followUps > 0 ? FOLLOWED : PLAIN),
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    updateTriggers: { getLineColor: [data] },
  });
}

export function describeEnforcement(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const f = pick.object as Feature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  const t = translator(lang);
  return {
    title: p.name,
    lines: [
      { label: t('enforcement.visits'), text: String(p.visits) },
      { label: t('enforcement.date'), text: p.lastOn },
      {
        label: t('enforcement.topic'),
        text: p.topics.map((k) => t(`enforcement.topic.${k}`)).join('、'),
      },
      { label: t('enforcement.followUp'), text: String(p.followUps) },
    ],
    hint: t('tooltip.drill'),
  };
}

export const enforcementLayer = defineLayer({
  id: 'enforcement',
  defaults: { kind: 'point', visible: false, colorBy: ['visits'] },
  capability: ['enforcement.read'],
  messages: {
    zh: { 'layer.enforcement': '执法进小区', 'colorBy.visits': '次数' },
    en: { 'layer.enforcement': 'Enforcement visits', 'colorBy.visits': 'Visits' },
  },
  load: {
    key: (q) => JSON.stringify(['enforcement', q.area]),
    fetch: (q, signal) => enforcementMapData.fetch(q.area, signal),
  },
  data: (s): EnforcementMap | null =>
    enforcementMapData.fresh ?? (s.loaded('enforcement') as EnforcementMap | null),
  build: buildEnforcementLayer,
  legend: (_config, ctx) => [
    {
      key: 'enforcement',
      title: ctx.t('layer.enforcement'),
      items: [
        {
          label: ctx.t('enforcement.visits'),
          color: `rgb(${PLAIN.slice(0, 3).join(', ')})`,
          shape: 'ring' as const,
        },
        {
          label: ctx.t('enforcement.followUp'),
          color: `rgb(${FOLLOWED.slice(0, 3).join(', ')})`,
          shape: 'ring' as const,
        },
      ],
    },
  ],
  tooltip: { enforcement: describeEnforcement },
  picks: {
    enforcement: {
      click: (pick) => {
        const p = (pick.object as Feature | null)?.properties;
        return p ? { kind: 'area' as const, id: p.id } : null;
      },
    },
  },
});
