/**
 * The small map the place of a report is picked on: MapLibre alone (no deck.gl, which the
 * dashboard needs and a phone does not), over the project's own basemap (web/src/lib/map/
 * basemap.ts: districts from the API, no tiles, glyphs or sprites, so nothing leaves the origin),
 * with the account's grids and compounds drawn on top and one draggable marker.
 *
 * Loaded with a dynamic import: the form is usable while MapLibre's ~1 MB arrives on a slow line.
 */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { buildBaseStyle } from '../lib/map/basemap.ts';
import { usePmtilesBasemap } from '../lib/map/pmtiles.ts';
import type { BBox, LonLat } from '../lib/types.ts';
import type { Lang } from './i18n.ts';
import type { ScopePlaces } from './places.ts';

// After bundling MapLibre cannot find its worker by itself: without this the map never loads.
maplibregl.setWorkerUrl(workerUrl);

const COLORS = {
  grid: '#6fb1e8',
  outside: '#6b7d90',
  compoundFill: '#2f8fd8',
  compoundLine: '#9fd2ff',
  selected: '#ffd54a',
  scope: '#00e5ff',
  marker: '#ff4d4f',
};

/** MapLibre's own control texts, which would otherwise be English on a Chinese page. */
const LOCALE: Record<Lang, Record<string, string>> = {
  zh: {
    'NavigationControl.ZoomIn': '放大',
    'NavigationControl.ZoomOut': '缩小',
    'CooperativeGesturesHandler.MobileHelpText': '用两根手指移动地图，单指点按放置标记',
    'CooperativeGesturesHandler.WindowsHelpText': '按住 Ctrl 并滚动以缩放地图',
    'CooperativeGesturesHandler.MacHelpText': '按住 ⌘ 并滚动以缩放地图',
  },
  en: {
    'CooperativeGesturesHandler.MobileHelpText': 'Move the map with two fingers; tap to place',
  },
};

function buildStyle(places: ScopePlaces): StyleSpecification {
  const base = buildBaseStyle(places.districts);
  const layers: LayerSpecification[] = [
    {
      id: 'compound-fill',
      type: 'fill',
      source: 'compounds',
      paint: {
        'fill-color': [
          'case',
          ['boolean', ['feature-state', 'selected'], false],
          COLORS.selected,
          COLORS.compoundFill,
        ],
        'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.45, 0.28],
      },
    },
    {
      id: 'compound-line',
      type: 'line',
      source: 'compounds',
      paint: {
        'line-color': ['case', ['get', 'inScope'], COLORS.compoundLine, COLORS.outside],
        'line-width': 1.2,
        'line-opacity': 0.85,
      },
    },
    {
      id: 'grid-line',
      type: 'line',
      source: 'grids',
      paint: {
        'line-color': ['case', ['get', 'inScope'], COLORS.grid, COLORS.outside],
        'line-width': 1,
        'line-opacity': 0.7,
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'scope-line',
      type: 'line',
      source: 'scope',
      paint: { 'line-color': COLORS.scope, 'line-width': 3 },
    },
  ];
  return {
    ...base,
    sources: {
      ...base.sources,
      // promoteId lets feature-state highlight the compound under the marker by its area id.
      compounds: { type: 'geojson', data: places.compounds as never, promoteId: 'id' },
      grids: { type: 'geojson', data: places.grids as never },
      scope: { type: 'geojson', data: places.outline as never },
    },
    layers: [...base.layers, ...layers],
  };
}

export interface PickMap {
  map: maplibregl.Map;
  /** Moves (or first places) the marker; `fly` also brings it into view. */
  setPoint(p: LonLat | null, fly?: boolean): void;
  highlightCompound(id: number | null): void;
  destroy(): void;
}

export function createPickMap(options: {
  container: HTMLElement;
  places: ScopePlaces;
  point: LonLat | null;
  lang: Lang;
  /** A tap on the map or the end of a marker drag. */
  onPick: (p: LonLat) => void;
}): PickMap {
  const { places } = options;
  const bounds: BBox | null = places.bbox;
  const map = new maplibregl.Map({
    container: options.container,
    style: buildStyle(places),
    ...(options.point
      ? { center: options.point, zoom: 16 }
      : bounds
        ? { bounds, fitBoundsOptions: { padding: 16 } }
        : { center: [103.83, 36.06] as LonLat, zoom: 10 }),
    attributionControl: false,
    maplibreLogo: false,
    // Flat and north-up like the dashboard; on a phone a two-finger twist should only zoom.
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxPitch: 0,
    renderWorldCopies: false,
    minZoom: 8,
    maxZoom: 19,
    // The map sits in a scrolling form: one finger scrolls the page, two move the map.
    cooperativeGestures: true,
    locale: LOCALE[options.lang],
    validateStyle: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  // The same basemap setting as the dashboard: the server's PMTiles archive, when it has one.
  usePmtilesBasemap(map);

  // MapLibre's default pin is inline SVG: no image to fetch.
  const marker = new maplibregl.Marker({ color: COLORS.marker, draggable: true });
  marker.on('dragend', () => {
    const ll = marker.getLngLat();
    options.onPick([ll.lng, ll.lat]);
  });
  marker.getElement().setAttribute('data-testid', 'pick-marker');
  let placed = false;

  map.on('click', (e) => options.onPick([e.lngLat.lng, e.lngLat.lat]));

  let selected: number | null = null;
  function highlightCompound(id: number | null) {
    if (selected === id) return;
    const apply = () => {
      if (selected !== null)
        map.setFeatureState({ source: 'compounds', id: selected }, { selected: false });
      if (id !== null) map.setFeatureState({ source: 'compounds', id }, { selected: true });
      selected = id;
    };
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }

  function setPoint(p: LonLat | null, fly = false) {
    if (!p) {
      marker.remove();
      placed = false;
      return;
    }
    marker.setLngLat(p);
    if (!placed) {
      marker.addTo(map);
      placed = true;
    }
    if (fly) map.easeTo({ center: p, zoom: Math.max(map.getZoom(), 16), duration: 600 });
  }
  setPoint(options.point);

  return {
    map,
    setPoint,
    highlightCompound,
    destroy: () => map.remove(),
  };
}
