/**
 * 议事协商: proposals by stage, one dot per compound (zoomed in) or per subdistrict (zoomed out,
 * where compounds' dots would crowd), sized by how many and coloured by the stage of the newest
 * (or by whether any is overdue). Public: published results only. A click selects the compound
 * (or drills into the subdistrict) and asks the 议事协商 panel to open the newest proposal.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { ProposalMap } from '../deliberation/api.ts';
import { deliberationMapData } from '../deliberation/map-data.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { cssColor, type Rgba } from './palette.ts';

type Feature = ProposalMap['features'][number];
type ColorBy = 'stage' | 'overdue';

export const STAGE_COLORS: Record<string, Rgba> = {
  submitted: [52, 152, 219, 210],
  returned: [241, 196, 15, 210],
  rejected: [127, 140, 141, 200],
  accepted: [155, 89, 182, 210],
  decided: [230, 126, 34, 220],
  published: [39, 174, 96, 230],
};
const OVERDUE: Rgba = [214, 69, 65, 230];
const ON_TIME: Rgba = [90, 160, 220, 200];

export function deliberationColor(p: Feature['properties'], colorBy: ColorBy): Rgba {
  if (colorBy === 'overdue') return p.overdue > 0 ? OVERDUE : ON_TIME;
  return STAGE_COLORS[p.latestStage] ?? ON_TIME;
}

export function buildDeliberationLayers(config: LayerConfig<ColorBy>, data: ProposalMap | null) {
  return [
    new ScatterplotLayer<Feature>({
      id: 'deliberation',
      data: data?.features ?? [],
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (f) => f.geometry.coordinates,
      getRadius: (f) => Math.sqrt(f.properties.total),
      radiusUnits: 'pixels',
      radiusScale: data?.level === 'subdistrict' ? 3 : 4,
      radiusMinPixels: 5,
      radiusMaxPixels: 26,
      getFillColor: (f) => deliberationColor(f.properties, config.colorBy),
      getLineColor: (f) => (f.properties.overdue > 0 ? [214, 69, 65, 255] : [255, 255, 255, 230]),
      lineWidthUnits: 'pixels',
      getLineWidth: (f) => (f.properties.overdue > 0 ? 2.5 : 1),
      autoHighlight: true,
      highlightColor: [255, 255, 255, 80],
      updateTriggers: { getFillColor: [config.colorBy] },
    }),
  ];
}

export function describeDeliberation(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const f = pick.object as Feature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  const t = translator(lang);
  const stages = ['submitted', 'returned', 'accepted', 'decided', 'published', 'rejected'] as const;
  return {
    title: p.name,
    lines: [
      {
        label: t('deliberation.latest'),
        text: p.latestTitle,
        color: cssColor(deliberationColor(p, 'stage')),
      },
      ...stages
        .filter((s) => p[s] > 0)
        .map((s) => ({
          label: t(`deliberation.stage.${s}`),
          text: String(p[s]),
          color: cssColor(STAGE_COLORS[s]!),
        })),
      ...(p.overdue > 0
        ? [{ label: t('deliberation.overdue'), text: String(p.overdue), color: cssColor(OVERDUE) }]
        : []),
    ],
    hint: t('deliberation.hint.open'),
  };
}

const open = (pick: Pick) => {
  const p = (pick.object as Feature | null)?.properties;
  if (!p) return null;
  if (p.level === 'compound') deliberationMapData.request(p.latestId);
  return { kind: 'area' as const, id: p.id };
};

export const deliberationLayer = defineLayer({
  id: 'deliberation',
  defaults: { kind: 'point', visible: false, colorBy: ['stage', 'overdue'] },
  // Published results are public: everyone sees the layer (what it holds follows the reader).
  capability: null,
  load: {
    key: (q) => JSON.stringify([q.area, q.zoom >= 13]),
    fetch: (q, signal) => deliberationMapData.fetch(q.area, q.zoom >= 13 ? 13 : 12, signal),
  },
  data: (s): ProposalMap | null =>
    deliberationMapData.fresh ?? (s.loaded('deliberation') as ProposalMap | null),
  build: buildDeliberationLayers,
  legend: (config, ctx) => [
    {
      key: 'deliberation',
      title: ctx.t('layer.deliberation'),
      items:
        config.colorBy === 'overdue'
          ? [
              {
                label: ctx.t('deliberation.overdue'),
                color: cssColor(OVERDUE),
                shape: 'dot' as const,
              },
              {
                label: ctx.t('deliberation.onTime'),
                color: cssColor(ON_TIME),
                shape: 'dot' as const,
              },
            ]
          : Object.entries(STAGE_COLORS).map(([k, c]) => ({
              label: ctx.t(`deliberation.stage.${k}`),
              color: cssColor(c),
              shape: 'dot' as const,
            })),
    },
  ],
  tooltip: { deliberation: describeDeliberation },
  picks: { deliberation: { click: open } },
});
