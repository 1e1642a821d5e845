import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap, PaddingOptions } from 'maplibre-gl';
import type { Pick } from '../map/hover.ts';
import type { BBox } from '../types.ts';

export interface Hover {
  x: number;
  y: number;
  pick: Pick;
}

/** The MapLibre map, its deck.gl overlay and what the camera currently sees. */
export class MapState {
  map = $state.raw<MaplibreMap | null>(null);
  overlay = $state.raw<MapboxOverlay | null>(null);
  /** Viewport bbox and zoom as of the last moveend. */
  bbox = $state.raw<BBox | null>(null);
  zoom = $state(0);
  loaded = $state(false);
  hover = $state.raw<Hover | null>(null);

  /** Room left for the floating panels (see App.svelte's layout) when fitting an area. */
  padding(): PaddingOptions {
    const w = typeof window === 'undefined' ? 1600 : window.innerWidth;
    if (w <= 900) return { top: 80, bottom: 40, left: 30, right: 30 };
    // left column 12 + 300, right column 370 + 12, plus a margin
    return { top: 84, bottom: 40, left: 332, right: 400 };
  }

  readViewport() {
    const map = this.map;
    if (!map) return;
    const b = map.getBounds();
    this.bbox = [
      Math.max(-180, b.getWest()),
      Math.max(-90, b.getSouth()),
      Math.min(180, b.getEast()),
      Math.min(90, b.getNorth()),
    ];
    this.zoom = map.getZoom();
  }

  fitBounds(bbox: BBox, animate = true) {
    const map = this.map;
    if (!map) return;
    map.fitBounds(bbox, { padding: this.padding(), duration: animate ? 900 : 0, maxZoom: 18 });
  }

  /** Brings a point into view, zooming in to at least `minZoom`; only moves if it is off-screen or far out. */
  flyTo(position: [number, number], minZoom = 15) {
    const map = this.map;
    if (!map) return;
    const zoom = Math.max(map.getZoom(), minZoom);
    map.flyTo({ center: position, zoom, padding: this.padding(), duration: 800 });
  }

  /** The zoom at which bbox fills the padded viewport. */
  zoomFor(bbox: BBox): number {
    const map = this.map;
    if (!map) return 12;
    const cam = map.cameraForBounds(bbox, { padding: this.padding() });
    return Math.min(18, cam?.zoom ?? 12);
  }
}
