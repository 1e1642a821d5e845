/**
 * 财务公开 (信托制物业 disclosure): the selected area's children filled by the share of their
 * managed compounds that published the month's ledger on time, and every managed compound under
 * the area as a dot coloured by its status (on time, late, missing, not yet due). Public: whether
 * a ledger was published is for owners to see. The month is the 财务公开 tab's (ledgers/map-data).
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { DisclosureMap } from '../ledgers/api.ts';
import { ledgersMapData } from '../ledgers/map-data.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { cssColor, type Rgba } from './palette.ts';

type Feature = DisclosureMap['features'][number];
type ColorBy = 'onTime' | 'published';

/** Steps of the on-time share, poor (red) to full (green). */
export const DISCLOSURE_STEPS: readonly { upTo: number; color: Rgba; label: string }[] = [
  { upTo: 0.5, color: [214, 69, 65, 150], label: '< 50%' },
  { upTo: 0.7, color: [232, 140, 48, 150], label: '50–70%' },
  { upTo: 0.85, color: [230, 200, 70, 150], label: '70–85%' },
  { upTo: 0.95, color: [120, 190, 110, 150], label: '85–95%' },
  { upTo: Infinity, color: [46, 160, 90, 160], label: '≥ 95%' },
];
const NONE: Rgba = [120, 130, 150, 50];

export const STATUS_COLORS: Record<string, Rgba> = {
  on_time: [46, 190, 110, 230],
  late: [240, 160, 60, 235],
  missing: [225, 60, 60, 240],
  pending: [150, 165, 185, 200],
};

export function disclosureColor(share: number | null): Rgba {
  if (share === null) return NONE;
  return (DISCLOSURE_STEPS.find((s) => share < s.upTo) ?? DISCLOSURE_STEPS.at(-1)!).color;
}

const shareOf = (p: Feature['properties'], by: ColorBy) =>
  by === 'published' ? p.publishedShare : p.onTimeShare;

interface Dot {
  id: number;
  name: string;
  position: [number, number];
  status: string;
  flags: number;
}

/** The packed compound columns as dots. */
export function disclosureDots(data: DisclosureMap | null): Dot[] {
  const c = data?.compounds;
  if (!c) return [];
  return c.ids.map((id, i) => ({
    id,
    name: c.names[i]!,
    position: [c.lon[i]!, c.lat[i]!],
    status: c.status[i]!,
    flags: c.flags[i]!,
  }));
}

export function buildDisclosureLayers(config: LayerConfig<ColorBy>, data: DisclosureMap | null) {
  return [
    new GeoJsonLayer<Feature['properties']>({
      id: 'disclosure',
      data: { type: 'FeatureCollection', features: data?.features ?? [] } as never,
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getFillColor: (f) =>
        disclosureColor(shareOf((f as unknown as Feature).properties, config.colorBy)),
      getLineColor: [230, 240, 255, 150],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 50],
      updateTriggers: { getFillColor: [config.colorBy] },
    }),
    new ScatterplotLayer<Dot>({
      id: 'disclosure-compounds',
      data: disclosureDots(data),
      visible: config.visible,
      pickable: true,
      stroked: true,
      filled: true,
      getPosition: (d) => d.position,
      getRadius: (d) => (d.flags > 0 ? 6 : 4),
      radiusUnits: 'pixels',
      radiusMinPixels: 3,
      getFillColor: (d) => STATUS_COLORS[d.status] ?? NONE,
      getLineColor: (d) => (d.flags > 0 ? [255, 255, 255, 255] : [10, 20, 40, 160]),
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.flags > 0 ? 2 : 1),
    }),
  ];
}

const word = (lang: Lang) => {
  const t = translator(lang);
  return (key: string, params?: Record<string, string | number>) => t(key as never, params);
};

export function describeDot(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const d = pick.object as Dot | null;
  if (!d) return null;
  const t = word(lang);
  return {
    title: d.name,
    lines: [
      {
        label: t('ledgers.summary'),
        text: t(`ledgers.status.${d.status}`),
        color: cssColor(STATUS_COLORS[d.status] ?? NONE),
      },
      ...(d.flags > 0 ? [{ label: t('ledgers.flags'), text: String(d.flags) }] : []),
    ],
    hint: t('tooltip.drill'),
  };
}

export function describeArea(pick: Pick, _data: unknown, lang: Lang): HoverContent | null {
  const p = (pick.object as Feature | null)?.properties;
  if (!p) return null;
  const t = word(lang);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  return {
    title: p.name,
    lines: [
      {
        label: t('ledgers.onTimeShare'),
        text: `${pct(p.onTimeShare)} (${p.onTime}/${p.onTime + p.late + p.missing})`,
        color: cssColor(disclosureColor(p.onTimeShare)),
      },
      { label: t('ledgers.status.late'), text: String(p.late) },
      { label: t('ledgers.status.missing'), text: String(p.missing) },
      { label: t('ledgers.flagged'), text: String(p.flagged) },
    ],
    hint: t('tooltip.drill'),
  };
}

export const disclosureLayer = defineLayer({
  id: 'disclosure',
  defaults: { kind: 'polygon', visible: false, colorBy: ['onTime', 'published'] },
  capability: null,
  load: {
    key: (q) => JSON.stringify([q.area, Math.round(q.zoom / 3), ledgersMapData.month]),
    fetch: (q, signal) => ledgersMapData.fetch(q.area, q.zoom, signal),
  },
  data: (s): DisclosureMap | null =>
    ledgersMapData.fresh ?? (s.loaded('disclosure') as DisclosureMap | null),
  build: buildDisclosureLayers,
  legend: (config, ctx) => [
    {
      key: 'disclosure',
      title:
        config.colorBy === 'published' ? ctx.t('colorBy.published') : ctx.t('ledgers.legend.title'),
      items: [
        ...DISCLOSURE_STEPS.map((s) => ({
          label: s.label,
          color: cssColor(s.color),
          shape: 'square' as const,
        })),
      ],
    },
    {
      key: 'disclosure-compounds',
      title: ctx.t('ledgers.legend.compounds'),
      items: (['on_time', 'late', 'missing', 'pending'] as const).map((k) => ({
        label: ctx.t(`ledgers.status.${k}`),
        color: cssColor(STATUS_COLORS[k]!),
        shape: 'dot' as const,
      })),
    },
  ],
  tooltip: { disclosure: describeArea, 'disclosure-compounds': describeDot },
  picks: {
    disclosure: {
      click: (pick) => {
        const p = (pick.object as Feature | null)?.properties;
        return p ? { kind: 'area', id: p.id } : null;
      },
    },
    'disclosure-compounds': {
      click: (pick) => {
        const d = pick.object as Dot | null;
        return d ? { kind: 'area', id: d.id } : null;
      },
    },
  },
});
