/**
 * What the wall's map shows in each scene, as plain data: the layers of a scene kind, the data
 * each layer needs and how often it is read again, and the camera (a bounding box) of a scene.
 *
 * @example
 * sceneLayers('heat'); // ['heat']
 * visibleLayers({ kind: 'city' }, { focus: true, replay: false }); // [...city layers, 'focus']
 */
import type { SceneKind } from '../../../../server/contract/wall.ts';
import { bboxOf } from '../../lib/map/bbox.ts';
import type { AreaCollection, BBox } from '../../lib/types.ts';

/** The wall map's layers; each is one or a few deck.gl layers whose ids start with `wall-<id>`. */
export const WALL_LAYERS = [
  'ratings',
  'open',
  'hotspots',
  'coverage',
  'heat',
  'tracks',
  'whistles',
  'hazards',
  'replay',
  'focus',
] as const;
export type WallLayerId = (typeof WALL_LAYERS)[number];

/** The data the map reads from /api/wall/layers/*. */
export const WALL_RESOURCES = [
  'ratings',
  'open',
  'hotspots',
  'coverage',
  'heat',
  'tracks',
  'whistles',
  'hazards',
] as const;
export type WallResource = (typeof WALL_RESOURCES)[number];

/** Seconds between two reads of a resource while a scene shows it. */
export const REFRESH_SECONDS: Record<WallResource, number> = {
  hazards: 60,
  whistles: 60,
  open: 60,
  hotspots: 60,
  coverage: 60,
  ratings: 3600,
  heat: 300,
  tracks: 300,
};

/**
 * Bottom first (deck.gl draws in list order): areas, then cells, then lines, then points.
 * The city and a district show the state of things at a glance; the themed scenes one subject.
 */
const SCENE_LAYERS: Record<SceneKind, readonly WallLayerId[]> = {
  city: ['ratings', 'open', 'whistles', 'hazards'],
  district: ['ratings', 'open', 'tracks', 'whistles', 'hazards'],
  hotspots: ['hotspots'],
  whistles: ['ratings', 'whistles'],
  hazards: ['hazards'],
  coverage: ['coverage', 'tracks'],
  heat: ['heat'],
};

export function sceneLayers(kind: SceneKind): readonly WallLayerId[] {
  return SCENE_LAYERS[kind];
}

/** The layers on screen: a replay replaces the scene's layers; a focus adds its ring on top. */
export function visibleLayers(
  scene: { kind: SceneKind } | null,
  state: { focus: boolean; replay: boolean },
): WallLayerId[] {
  const base: WallLayerId[] = state.replay ? ['replay'] : scene ? [...sceneLayers(scene.kind)] : [];
  if (state.focus) base.push('focus');
  return base;
}

/** The resources a set of layers reads (replay and focus come from the props). */
export function resourcesOf(layers: readonly WallLayerId[]): WallResource[] {
  return layers.filter((l): l is WallResource => (WALL_RESOURCES as readonly string[]).includes(l));
}

/** Lanzhou's five urban districts, for a camera before the district outlines have arrived. */
export const LANZHOU_BBOX: BBox = [102.85, 35.88, 104.2, 36.45];

/**
 * The box a scene frames: a district scene its district's outline (the city when the district
 * is unknown), every other scene the whole city.
 */
export function sceneBounds(
  scene: { kind: SceneKind; areaId: number | null } | null,
  districts: AreaCollection | null,
): BBox {
  const city = (districts && bboxOf(districts)) ?? LANZHOU_BBOX;
  if (!scene || scene.kind !== 'district' || scene.areaId === null || !districts) return city;
  const feature = districts.features.find(
    (f) => f.id === scene.areaId || f.properties?.id === scene.areaId,
  );
  if (!feature) return city;
  return bboxOf({ type: 'FeatureCollection', features: [feature] }) ?? city;
}

/** `lon,lat,zoom` rounded for the `data-camera` attribute (4 decimals ≈ 10 m; zoom to 0.1). */
export function cameraAttribute(lon: number, lat: number, zoom: number): string {
  return `${lon.toFixed(4)},${lat.toFixed(4)},${zoom.toFixed(1)}`;
}

const SCENE_NAMES: Record<SceneKind, { zh: string; en: string }> = {
  city: { zh: '全市', en: 'City' },
  district: { zh: '区', en: 'District' },
  hotspots: { zh: '热点', en: 'Hot spots' },
  whistles: { zh: '吹哨报到', en: 'Whistles' },
  hazards: { zh: '隐患', en: 'Hazards' },
  coverage: { zh: '巡查覆盖', en: 'Patrol coverage' },
  heat: { zh: '全年诉求热力', en: 'A year of tickets' },
};

/** The map's accessible name: what it shows, in the wall's language. */
export function mapLabel(scene: { kind: SceneKind } | null, lang: 'zh' | 'en'): string {
  const name = scene ? SCENE_NAMES[scene.kind][lang] : '';
  return lang === 'zh' ? `地图：${name}` : `Map: ${name}`;
}
