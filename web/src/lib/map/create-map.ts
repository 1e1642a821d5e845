/**
 * Creates the MapLibre map with its one deck.gl MapboxOverlay. Browser only.
 */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { StyleSpecification } from 'maplibre-gl';
import type { BBox } from '../types.ts';
import type { Camera } from '../view-config.ts';
import { usePmtilesBasemap } from './pmtiles.ts';

// After bundling MapLibre cannot find its worker by itself: without this the map never loads.
maplibregl.setWorkerUrl(workerUrl);

export interface CreateMapOptions {
  container: HTMLElement;
  style: StyleSpecification | string;
  camera: Camera | null;
  bounds: BBox | null;
  padding: maplibregl.PaddingOptions;
  overlay: MapboxOverlayProps;
}

export function createMap(options: CreateMapOptions) {
  const { camera, bounds } = options;
  const map = new maplibregl.Map({
    container: options.container,
    style: options.style,
    ...(camera
      ? { center: [camera.lon, camera.lat] as [number, number], zoom: camera.zoom }
      : bounds
        ? {
            bounds: bounds as [number, number, number, number],
            fitBoundsOptions: { padding: options.padding },
          }
        : { center: [103.83, 36.06] as [number, number], zoom: 10 }),
    attributionControl: { compact: true },
    maplibreLogo: false,
    // A plan view: governance areas read best flat and north-up.
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxPitch: 0,
    renderWorldCopies: false,
    minZoom: 7,
    maxZoom: 19,
    validateStyle: false,
  });
  map.touchZoomRotate.disableRotation();
  // The server's PMTiles basemap, when it has one, under the district outlines (desktop, wall).
  usePmtilesBasemap(map);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

  // Overlaid, not interleaved: interleaved mode throws with MapLibre 6.
  const overlay = new MapboxOverlay({ ...options.overlay, interleaved: false });
  map.addControl(overlay);
  return { map, overlay };
}

export type MinqingMap = maplibregl.Map;
export type { MapboxOverlay };
