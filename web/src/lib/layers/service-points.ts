/**
 * Service points (党群服务站, 居民议事厅, 调解室, 养老服务站, 托育点, 法律服务, 警务室): public, one
 * icon per point (a coloured disc with the kind's character), greyed when closed at this hour.
 * The colour-by choice filters the kinds (all, party, mediation, care, legal, police). WGS-84.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { formatHours } from '../../../../geo/opening-hours.ts';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { ServicePointCollection } from '../mediation/api.ts';
import { servicePointsMapData } from '../mediation/map-state.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { FONT_STACK } from './palette.ts';

type Feature = ServicePointCollection['features'][number];
type Kind = Feature['properties']['kind'];
type Filter = 'spAll' | 'spParty' | 'spMediation' | 'spCare' | 'spLegal' | 'spPolice';

/** Each kind's colour and glyph (the icon's character). */
export const POINT_KINDS: Record<Kind, { color: [number, number, number]; glyph: string }> = {
  party_service: { color: [230, 57, 70], glyph: '党' },
  deliberation_hall: { color: [244, 162, 97], glyph: '议' },
  mediation_room: { color: [156, 112, 255], glyph: '调' },
  elder_care: { color: [42, 157, 143], glyph: '老' },
  childcare: { color: [255, 183, 3], glyph: '托' },
  legal_service: { color: [69, 123, 157], glyph: '法' },
  police_room: { color: [29, 53, 87], glyph: '警' },
};

export const FILTER_KINDS: Record<Filter, readonly Kind[] | null> = {
  spAll: null,
  spParty: ['party_service', 'deliberation_hall'],
  spMediation: ['mediation_room'],
  spCare: ['elder_care', 'childcare'],
  spLegal: ['legal_service'],
  spPolice: ['police_room'],
};

export function visiblePoints(data: ServicePointCollection | null, filter: Filter): Feature[] {
  const kinds = FILTER_KINDS[filter];
  return (data?.features ?? []).filter((f) => !kinds || kinds.includes(f.properties.kind));
}

export function buildServicePointsLayers(
  config: LayerConfig<Filter>,
  data: ServicePointCollection | null,
) {
  const features = visiblePoints(data, config.colorBy);
  return [
    new ScatterplotLayer<Feature>({
      id: 'service-points',
      data: features,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (f) => f.geometry.coordinates,
      getRadius: 9,
      radiusUnits: 'pixels',
      getFillColor: (f) =>
        [...POINT_KINDS[f.properties.kind].color, f.properties.openNow ? 235 : 120] as [
          number,
          number,
          number,
          number,
        ],
      getLineColor: [255, 255, 255, 230],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
      updateTriggers: { getFillColor: [data] },
    }),
    new TextLayer<Feature>({
      id: 'service-points-glyph',
      data: features,
      visible: config.visible,
      getPosition: (f) => f.geometry.coordinates,
      getText: (f) => POINT_KINDS[f.properties.kind].glyph,
      getSize: 11,
      getColor: [255, 255, 255, 255],
      fontFamily: FONT_STACK,
      characterSet: Object.values(POINT_KINDS).map((k) => k.glyph),
    }),
  ];
}

export function describeServicePoint(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const f = pick.object as Feature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  const t = translator(lang);
  return {
    title: p.name,
    lines: [
      {
        label: t(`services.kind.${p.kind}`),
        text: p.openNow ? t('services.openNow') : t('services.closedNow'),
        color: `rgb(${POINT_KINDS[p.kind].color.join(', ')})`,
      },
      { label: t('services.hours'), text: formatHours(p.hours, lang).join('；') || '—' },
      ...(p.address ? [{ label: t('services.address'), text: p.address }] : []),
      ...(p.phone ? [{ label: t('services.phone'), text: p.phone }] : []),
      { label: t('services.served'), text: String(p.compounds) },
    ],
  };
}

export const servicePointsLayer = defineLayer({
  id: 'service-points',
  defaults: {
    kind: 'point',
    visible: false,
    colorBy: ['spAll', 'spParty', 'spMediation', 'spCare', 'spLegal', 'spPolice'],
  },
  // Public: residents find their 党群服务站 or 调解室 without an account.
  capability: null,
  messages: {
    zh: {
      'layer.service-points': '服务阵地',
      'colorBy.spAll': '全部',
      'colorBy.spParty': '党群/议事',
      'colorBy.spMediation': '调解',
      'colorBy.spCare': '养老托育',
      'colorBy.spLegal': '法律',
      'colorBy.spPolice': '警务',
    },
    en: {
      'layer.service-points': 'Service points',
      'colorBy.spAll': 'All',
      'colorBy.spParty': 'Party & halls',
      'colorBy.spMediation': 'Mediation',
      'colorBy.spCare': 'Elder & child care',
      'colorBy.spLegal': 'Legal',
      'colorBy.spPolice': 'Police',
    },
  },
  load: {
    key: () => 'service-points',
    fetch: (_q, signal) => servicePointsMapData.fetch('all', signal),
  },
  data: (s): ServicePointCollection | null =>
    servicePointsMapData.fresh ?? (s.loaded('service-points') as ServicePointCollection | null),
  build: buildServicePointsLayers,
  legend: (config, ctx) => [
    {
      key: 'service-points',
      title: ctx.t('layer.service-points'),
      columns: true,
      items: (Object.keys(POINT_KINDS) as Kind[])
        .filter((k) => !FILTER_KINDS[config.colorBy] || FILTER_KINDS[config.colorBy]!.includes(k))
        .map((k) => ({
          label: `${POINT_KINDS[k].glyph} ${ctx.t(`services.kind.${k}`)}`,
          color: `rgb(${POINT_KINDS[k].color.join(', ')})`,
          shape: 'dot' as const,
        })),
    },
  ],
  tooltip: { 'service-points': describeServicePoint },
});
