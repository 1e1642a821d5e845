/**
 * What the harness page (web/bench-wall.html) puts on `window` for the browser tests and the
 * render benchmark: setters for the map's props, and the map's handle.
 */
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap } from 'maplibre-gl';

export interface WallMapHandle {
  map: MaplibreMap | null;
  overlay: MapboxOverlay | null;
  /** draws the frame of time `t` (seconds) */
  render(t: number): void;
  /** stops the component's own drawing (the benchmark sets layers itself) */
  pause(on: boolean): void;
}

export interface WallHarness {
  setScene(kind: string | null, area?: number | null): void;
  setFocus(f: { position: [number, number]; kind: string; key: string } | null): void;
  setReplay(
    r: {
      points: { lon: ArrayLike<number>; lat: ArrayLike<number>; kind: ArrayLike<number> };
      fresh: number;
    } | null,
  ): void;
  handle(): WallMapHandle | null;
}

declare global {
  interface Window {
    __wallHarness: WallHarness;
  }
}
