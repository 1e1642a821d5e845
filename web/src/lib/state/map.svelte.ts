import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap, PaddingOptions } from 'maplibre-gl';
import type { Pick } from '../map/hover.ts';
import { fitPadding, type Box } from '../map/padding.ts';
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

  /** Room left for the floating panels (App.svelte marks them with `data-inset`) when fitting. */
  padding(): PaddingOptions {
    if (typeof window === 'undefined') return { top: 84, bottom: 40, left: 332, right: 400 };
    const box = (name: string): Box | null =>
      document.querySelector(`[data-inset=${name}]`)?.getBoundingClientRect() ?? null;
    return fitPadding(
      { width: window.innerWidth, height: window.innerHeight },
      { left: box('left'), right: box('right'), legend: box('legend') },
    );
  }

  /** Where the camera was before a detail flew in, to go back when it closes. */
  #saved: { center: [number, number]; zoom: number } | null = null;

  /** Remembers the camera (once: a second fly keeps the first place to return to). */
  saveCamera() {
    const map = this.map;
    if (!map || this.#saved) return;
    const c = map.getCenter();
    this.#saved = { center: [c.lng, c.lat], zoom: map.getZoom() };
  }

  /** Goes back to the remembered camera, if any. */
  restoreCamera() {
    const saved = this.#saved;
    this.#saved = null;
    if (saved && this.map) this.map.easeTo({ ...saved, duration: 700 });
  }

  forgetCamera() {
    this.#saved = null;
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
