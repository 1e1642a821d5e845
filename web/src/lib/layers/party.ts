/**
 * 党建覆盖: the selected area's children (districts, subdistricts, communities, or a community's
 * compounds) filled by the share of their buildings with a 党员中心户 (or by their coverage
 * score), with a ring per child sized by its open gaps. A click drills into the child. The data
 * is the party API's choropleth; after a write in the 党建 tab it is reloaded (party/state).
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { PartyCoverageMap } from '../party/api.ts';
import { partyMapData } from '../party/map-data.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { cssColor, type Rgba } from './palette.ts';

type Feature = PartyCoverageMap['features'][number];
type ColorBy = 'steward' | 'score';

/** Five steps from poor (red) to full (green): a share in [0, 1]. */
export const PARTY_STEPS: readonly { upTo: number; color: Rgba; label: string }[] = [
  { upTo: 0.5, color: [214, 69, 65, 170], label: '< 50%' },
  { upTo: 0.7, color: [232, 140, 48, 170], label: '50–70%' },
  { upTo: 0.85, color: [230, 200, 70, 170], label: '70–85%' },
  { upTo: 0.95, color: [120, 190, 110, 170], label: '85–95%' },
  { upTo: Infinity, color: [46, 160, 90, 180], label: '≥ 95%' },
];
const NONE: Rgba = [120, 130, 150, 60];

/** The share a child is coloured by, or null (no buildings / no compounds). */
export function partyValue(p: Feature['properties'], colorBy: ColorBy): number | null {
  if (colorBy === 'score') return p.score === null ? null : p.score / 100;
  return p.steward;
}

export function partyColor(value: number | null): Rgba {
  if (value === null) return NONE;
  return (PARTY_STEPS.find((s) => value < s.upTo) ?? PARTY_STEPS[PARTY_STEPS.length - 1]!).color;
}

export function buildPartyLayers(config: LayerConfig<ColorBy>, data: PartyCoverageMap | null) {
  const features = data?.features ?? [];
  const withGaps = features.filter(
    (f) => f.properties.kind === 'area' && f.properties.openGaps > 0,
  );
  return [
    new GeoJsonLayer<Feature['properties']>({
      id: 'party',
      data: { type: 'FeatureCollection', features } as never,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getFillColor: (f) =>
        partyColor(partyValue((f as unknown as Feature).properties, config.colorBy)),
      getLineColor: [230, 240, 255, 160],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 60],
      updateTriggers: { getFillColor: [config.colorBy] },
    }),
    new ScatterplotLayer<Feature>({
      id: 'party-gaps',
      data: withGaps,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (f) => f.properties.labelPoint,
      getRadius: (f) => Math.sqrt(f.properties.openGaps),
      radiusUnits: 'pixels',
      radiusScale: 3,
      radiusMinPixels: 4,
      radiusMaxPixels: 22,
      getFillColor: (f) =>
        f.properties.overdueGaps > 0 ? [214, 69, 65, 200] : [232, 140, 48, 190],
      getLineColor: [255, 255, 255, 220],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
    }),
  ];
}

export function describeParty(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const f = pick.object as Feature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  const t = translator(lang);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  if (p.kind === 'building')
    return {
      title: p.name,
      lines: [
        {
          label: t('party.steward'),
          text: p.buildingsWithSteward > 0 ? '✓' : t('party.noSteward'),
          color: cssColor(partyColor(p.steward)),
        },
      ],
    };
  return {
    title: p.name,
    lines: [
      {
        label: t('party.share.steward'),
        text: `${pct(p.steward)} (${p.buildingsWithSteward}/${p.buildings})`,
        color: cssColor(partyColor(p.steward)),
      },
      { label: t('party.score'), text: p.score === null ? '—' : String(p.score) },
      { label: t('party.openGaps'), text: String(p.openGaps) },
      { label: t('party.overdueGaps'), text: String(p.overdueGaps) },
      ...(p.rank === null ? [] : [{ label: t('party.rank'), text: String(p.rank) }]),
    ],
    hint: t('tooltip.drill'),
  };
}

const drill = (pick: Pick) => {
  const p = (pick.object as Feature | null)?.properties;
  return p && p.kind === 'area' ? { kind: 'area' as const, id: p.id } : null;
};

export const partyLayer = defineLayer({
  id: 'party',
  // A fill over the areas: off by default so it does not hide the rating colours.
  defaults: { kind: 'polygon', visible: false, colorBy: ['steward', 'score'] },
  capability: ['party.read'],
  load: {
    key: (q) => JSON.stringify([q.area, Math.round(q.zoom / 3)]),
    fetch: (q, signal) => partyMapData.fetch(q.area, q.zoom, signal),
  },
  data: (s): PartyCoverageMap | null =>
    partyMapData.fresh ?? (s.loaded('party') as PartyCoverageMap | null),
  build: buildPartyLayers,
  legend: (config, ctx) => [
    {
      key: 'party',
      title: config.colorBy === 'score' ? ctx.t('party.score') : ctx.t('party.legend.title'),
      items: [
        ...PARTY_STEPS.map((s) => ({
          label: s.label,
          color: cssColor(s.color),
          shape: 'square' as const,
        })),
        { label: ctx.t('party.legend.none'), color: cssColor(NONE), shape: 'square' as const },
        {
          label: ctx.t('party.legend.gaps'),
          color: cssColor([232, 140, 48, 190]),
          shape: 'dot' as const,
        },
      ],
    },
  ],
  tooltip: { party: describeParty, 'party-gaps': describeParty },
  picks: { party: { click: drill }, 'party-gaps': { click: drill } },
});
