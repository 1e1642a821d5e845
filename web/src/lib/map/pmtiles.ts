/**
 * The local PMTiles basemap (server: BASEMAP_PMTILES, /api/meta `basemap.pmtilesUrl`): the
 * `pmtiles` protocol registered with MapLibre once, and the archive's layers added under the
 * project's own district outlines on every map (desktop, mobile, wall), which keep their look.
 * The protocol reads the archive with range requests to the app itself: nothing leaves the origin.
 * Browser only.
 */
import * as maplibregl from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { api } from '../api.ts';
import { pmtilesLayers, PMTILES_SOURCE } from './basemap.ts';

let registered = false;
let setting: Promise<string | null> | null = null;

export function registerPmtiles() {
  if (registered) return;
  maplibregl.addProtocol('pmtiles', new Protocol().tile);
  registered = true;
}

/** The basemap archive's URL from the server's settings (asked once per page), or null. */
export function pmtilesBasemapUrl(): Promise<string | null> {
  setting ??= api
    .meta()
    .then((m) => m.basemap?.pmtilesUrl ?? null)
    .catch(() => null);
  return setting;
}

/** Adds the archive's layers beneath the district outlines (once the style has loaded). */
export function addPmtilesBasemap(map: maplibregl.Map, url: string) {
  registerPmtiles();
  const apply = () => {
    if (map.getSource(PMTILES_SOURCE)) return;
    map.addSource(PMTILES_SOURCE, {
      type: 'vector',
      url: `pmtiles://${new URL(url, window.location.href).href}`,
      attribution: '民情地图 basemap',
    });
    const before = map.getLayer('district-fill') ? 'district-fill' : undefined;
    for (const layer of pmtilesLayers()) map.addLayer(layer, before);
    // The districts' own fill would hide the basemap: keep it as a faint tint.
    if (map.getLayer('district-fill')) map.setPaintProperty('district-fill', 'fill-opacity', 0.25);
  };
  if (map.isStyleLoaded()) apply();
  else map.once('load', apply);
}

/** Asks the server for the setting and, when there is a PMTiles basemap, draws it on `map`. */
export function usePmtilesBasemap(map: maplibregl.Map) {
  void pmtilesBasemapUrl().then((url) => {
    if (url) addPmtilesBasemap(map, url);
  });
}
