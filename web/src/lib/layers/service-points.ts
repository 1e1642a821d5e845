/**
 * Service points (党群服务站, 居民议事厅, 调解室, 养老服务站, 托育点, 法律服务, 警务室): public, one
 * icon per point (a coloured disc with the kind's character), greyed when closed at this hour.
 * Layer id `services` (the URL's layer list takes one word). The colour-by choice filters the kinds (all, party, mediation, care, legal, police). WGS-84.
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
type Filter = 'svc_all' | 'svc_party' | 'svc_mediation' | 'svc_care' | 'svc_legal' | 'svc_police';

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
  svc_all: null,
  svc_party: ['party_service', 'deliberation_hall'],
  svc_mediation: ['mediation_room'],
  svc_care: ['elder_care', 'childcare'],
  svc_legal: ['legal_service'],
  svc_police: ['police_room'],
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
      id: 'services',
      data: features,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (f) => f.geometry.coordinates,
      // Metres with pixel bounds: dots at city zoom (thousands of points), icons close up.
      getRadius: 70,
      radiusUnits: 'meters',
      radiusMinPixels: 2.5,
      radiusMaxPixels: 10,
      getFillColor: (f) =>
        [...POINT_KINDS[f.properties.kind].color, f.properties.openNow ? 235 : 120] as [
          number,
          number,
          number,
          number,
        ],
      getLineColor: [255, 255, 255, 230],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
      updateTriggers: { getFillColor: [data] },
    }),
    new TextLayer<Feature>({
      id: 'services-glyph',
      data: features,
      visible: config.visible,
      getPosition: (f) => f.geometry.coordinates,
      getText: (f) => POINT_KINDS[f.properties.kind].glyph,
      // The glyph grows with the disc and vanishes when the disc is a dot.
      getSize: 90,
      sizeUnits: 'meters',
      sizeMaxPixels: 12,
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
  id: 'services',
  defaults: {
    kind: 'point',
    visible: false,
    colorBy: ['svc_all', 'svc_party', 'svc_mediation', 'svc_care', 'svc_legal', 'svc_police'],
  },
  // Public: residents find their 党群服务站 or 调解室 without an account.
  capability: null,
  messages: {
    zh: {
      'layer.services': '服务阵地',
      'colorBy.svc_all': '全部',
      'colorBy.svc_party': '党群/议事',
      'colorBy.svc_mediation': '调解',
      'colorBy.svc_care': '养老托育',
      'colorBy.svc_legal': '法律',
      'colorBy.svc_police': '警务',
    },
    en: {
      'layer.services': 'Service points',
      'colorBy.svc_all': 'All',
      'colorBy.svc_party': 'Party & halls',
      'colorBy.svc_mediation': 'Mediation',
      'colorBy.svc_care': 'Elder & child care',
      'colorBy.svc_legal': 'Legal',
      'colorBy.svc_police': 'Police',
    },
  },
  load: {
    key: () => 'services',
    fetch: (_q, signal) => servicePointsMapData.fetch('all', signal),
  },
  data: (s): ServicePointCollection | null =>
    servicePointsMapData.fresh ?? (s.loaded('services') as ServicePointCollection | null),
  build: buildServicePointsLayers,
  legend: (config, ctx) => [
    {
      key: 'services',
      title: ctx.t('layer.services'),
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
  tooltip: { services: describeServicePoint },
});
