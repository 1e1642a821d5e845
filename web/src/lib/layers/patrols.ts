/**
 * 网格巡查: today's patrol tracks with their check-ins, and per grid how long ago it was last
 * patrolled (a choropleth on the grid level), so a supervisor sees which grids were left alone.
 */
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type {
  AreaCollection,
  AreaFeature,
  CheckinFeature,
  CoverageItem,
  PatrolCollection,
  TrackFeature,
} from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { beijingDaysBetween } from '../time.ts';
import type { Rgba } from './palette.ts';
import { describeCheckin, describeTrack } from '../map/hover.ts';
import { cssColor } from './palette.ts';

/** The Beijing day a patrol list is for: kept here for the layer's callers. */
export { beijingDate } from '../time.ts';

export const TRACK_COLOR: Rgba = [0, 229, 255, 210];
export const CHECKIN_COLOR: Rgba = [255, 255, 255, 235];

export function patrolTracks(fc: PatrolCollection | null): TrackFeature[] {
  return (fc?.features ?? []).filter(
    (f): f is TrackFeature => f.properties.kind === 'track' && f.geometry?.type === 'LineString',
  );
}

export function patrolCheckins(fc: PatrolCollection | null): CheckinFeature[] {
  return (fc?.features ?? []).filter(
    (f): f is CheckinFeature => f.properties.kind === 'checkin' && f.geometry?.type === 'Point',
  );
}

export interface PatrolsLayerData {
  tracks: TrackFeature[];
  checkins: CheckinFeature[];
}

export function buildPatrolsLayers(
  config: LayerConfig<'none'>,
  data: PatrolsLayerData,
): [PathLayer<TrackFeature>, ScatterplotLayer<CheckinFeature>] {
  const tracks = new PathLayer<TrackFeature>({
    id: 'patrols',
    data: data.tracks,
    visible: config.visible,
    pickable: true,
    getPath: (f) => f.geometry.coordinates as [number, number][],
    getColor: (f) => (f.properties.endedAt ? TRACK_COLOR : [255, 214, 90, 235]),
    getWidth: 8,
    widthUnits: 'meters',
    widthMinPixels: 1,
    widthMaxPixels: 3,
    capRounded: true,
    jointRounded: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 220],
  });
  const checkins = new ScatterplotLayer<CheckinFeature>({
    id: 'patrols-checkins',
    data: data.checkins,
    visible: config.visible,
    pickable: true,
    stroked: true,
    // Metres, clamped: specks at city scale where a day has hundreds, readable up close.
    radiusUnits: 'meters',
    getRadius: 10,
    radiusMinPixels: 1.5,
    radiusMaxPixels: 5,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getFillColor: CHECKIN_COLOR,
    getLineColor: [0, 150, 180, 255],
  });
  return [tracks, checkins];
}

/** How long ago a grid was last patrolled, in Beijing calendar days. */
export const COVERAGE_BUCKETS = [
  { key: 'today', color: [39, 174, 96] },
  { key: 'days1to2', color: [160, 200, 60] },
  { key: 'days3to6', color: [240, 160, 40] },
  { key: 'week', color: [225, 60, 50] },
  { key: 'never', color: [110, 90, 130] },
] as const satisfies readonly { key: string; color: readonly [number, number, number] }[];
export type CoverageBucket = (typeof COVERAGE_BUCKETS)[number]['key'];

export function coverageBucket(lastPatrolledAt: string | null, now: number): CoverageBucket {
  if (!lastPatrolledAt) return 'never';
  const t = Date.parse(lastPatrolledAt);
  if (!Number.isFinite(t)) return 'never';
  const days = beijingDaysBetween(t, now);
  if (days <= 0) return 'today';
  if (days <= 2) return 'days1to2';
  if (days <= 6) return 'days3to6';
  return 'week';
}

export function coverageColor(bucket: CoverageBucket, alpha = 130): Rgba {
  const c = COVERAGE_BUCKETS.find((b) => b.key === bucket)!.color;
  return [c[0], c[1], c[2], alpha];
}

export interface CoverageLayerData {
  grids: AreaCollection | null;
  items: readonly CoverageItem[] | null;
  /** the time the buckets are counted from (ms since epoch) */
  now: number;
}

/** Grids joined to their coverage; grids the account may not see (no item) are left out. */
export function coverageFeatures(data: CoverageLayerData): (AreaFeature & {
  properties: AreaFeature['properties'] & {
    bucket: CoverageBucket;
    lastPatrolledAt: string | null;
  };
})[] {
  const byGrid = new Map((data.items ?? []).map((i) => [i.gridId, i]));
  const out = [];
  for (const f of data.grids?.features ?? []) {
    const item = byGrid.get(f.properties.id);
    if (!item) continue;
    out.push({
      ...f,
      properties: {
        ...f.properties,
        bucket: coverageBucket(item.lastPatrolledAt, data.now),
        lastPatrolledAt: item.lastPatrolledAt,
      },
    });
  }
  return out;
}

export function buildCoverageLayer(
  config: LayerConfig<'lastPatrol'>,
  features: ReturnType<typeof coverageFeatures>,
): GeoJsonLayer {
  return new GeoJsonLayer({
    id: 'coverage',
    data: { type: 'FeatureCollection', features } as never,
    visible: config.visible,
    pickable: true,
    filled: true,
    stroked: true,
    getFillColor: (f) =>
      coverageColor((f.properties as { bucket: CoverageBucket }).bucket, 120) as never,
    getLineColor: [230, 240, 250, 90],
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    autoHighlight: true,
    highlightColor: [255, 255, 255, 40],
  });
}

export const patrolsLayer = defineLayer({
  id: 'patrols',
  defaults: { kind: 'path', visible: true, colorBy: ['none'] },
  capability: ['patrols.read'],
  data: (s): PatrolsLayerData => s.patrols.data,
  build: buildPatrolsLayers,
  legend: (_config, ctx) => [
    {
      key: 'patrols',
      title: ctx.t('layer.patrols'),
      items: [
        { label: ctx.t('legend.track'), color: cssColor(TRACK_COLOR), shape: 'line' },
        { label: ctx.t('legend.trackOngoing'), color: 'rgb(255 214 90)', shape: 'line' },
        { label: ctx.t('patrol.checkin'), shape: 'checkin' },
      ],
    },
  ],
  tooltip: { patrols: describeTrack, 'patrols-checkins': describeCheckin },
  // A check-in stands on its compound: a click on it opens the compound, as a click on the
  // compound's dot or name would (it used to swallow those clicks).
  picks: {
    'patrols-checkins': {
      click: (p) => {
        const id = (p.object as CheckinFeature | null)?.properties?.compoundId;
        return typeof id === 'number' ? { kind: 'area', id } : null;
      },
    },
  },
  control: (s, t) => ({
    values: [
      { key: 'today', label: t('patrol.today') },
      { key: 'yesterday', label: t('patrol.yesterday') },
    ],
    current: s.patrols.day,
    set: (day) => (s.patrols.day = day === 'yesterday' ? 'yesterday' : 'today'),
  }),
});
