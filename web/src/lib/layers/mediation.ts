/**
 * 物业纠纷调解 on the map: case counts of the selected area's children over the last year, only
 * where a place has at least k = 5 cases (geo/k-anonymity.ts on the server; a place under k is
 * merged into its parent and drawn nowhere). Circles sized by the count, with the number. WGS-84.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { MediationMap } from '../mediation/api.ts';
import { mediationMapData } from '../mediation/map-state.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';

type Feature = MediationMap['features'][number];
const FILL: [number, number, number, number] = [156, 112, 255, 170];

/** The features a layer may draw: never one under k, whatever the answer held. */
export function drawableMediation(data: MediationMap | null): Feature[] {
  if (!data) return [];
  return data.features.filter((f) => f.properties.count >= data.k);
}

export function buildMediationLayers(config: LayerConfig<'count'>, data: MediationMap | null) {
  const features = drawableMediation(data);
  return [
    new ScatterplotLayer<Feature>({
      id: 'mediation',
      data: features,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (f) => f.geometry.coordinates,
      getRadius: (f) => Math.sqrt(f.properties.count),
      radiusUnits: 'pixels',
      radiusScale: 2.2,
      radiusMinPixels: 8,
      radiusMaxPixels: 34,
      getFillColor: FILL,
      getLineColor: [255, 255, 255, 220],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 80],
    }),
    new TextLayer<Feature>({
      id: 'mediation-count',
      data: features,
      visible: config.visible,
      getPosition: (f) => f.geometry.coordinates,
      getText: (f) => String(f.properties.count),
      getSize: 12,
      getColor: [255, 255, 255, 255],
      fontWeight: 700,
      characterSet: '0123456789',
    }),
  ];
}

export function describeMediation(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const f = pick.object as Feature | null;
  if (!f?.properties) return null;
  const t = translator(lang);
  return {
    title: f.properties.name,
    lines: [{ label: t('mediation.mapCount'), text: String(f.properties.count) }],
    hint: f.properties.kind === 'area' ? t('tooltip.drill') : undefined,
  };
}

export const mediationLayer = defineLayer({
  id: 'mediation',
  defaults: { kind: 'point', visible: false, colorBy: ['count'] },
  capability: ['mediation.read', 'mediation.cases'],
  messages: {
    zh: { 'layer.mediation': '调解案件（k 匿名）', 'colorBy.count': '案件数' },
    en: { 'layer.mediation': 'Mediation cases (k-anonymous)', 'colorBy.count': 'Cases' },
  },
  load: {
    key: (q) => JSON.stringify(['mediation', q.area]),
    fetch: (q, signal) => mediationMapData.fetch(q.area, signal),
  },
  data: (s): MediationMap | null =>
    mediationMapData.fresh ?? (s.loaded('mediation') as MediationMap | null),
  build: buildMediationLayers,
  legend: (_config, ctx) => [
    {
      key: 'mediation',
      title: ctx.t('mediation.mapCount'),
      items: [
        {
          label: ctx.t('mediation.legend.k', { k: 5 }),
          color: `rgb(${FILL.slice(0, 3).join(', ')})`,
          shape: 'dot' as const,
        },
      ],
    },
  ],
  tooltip: { mediation: describeMediation },
  picks: {
    mediation: {
      click: (pick) => {
        const p = (pick.object as Feature | null)?.properties;
        return p && p.kind === 'area' ? { kind: 'area' as const, id: p.id } : null;
      },
    },
  },
});
