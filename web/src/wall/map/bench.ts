/**
 * The wall map's harness page (web/bench-wall.html): mounts the map alone, and gives the render
 * benchmark (scripts/bench-wall-render.ts) its measurements, run inside the page so that only the
 * work is timed, not the DevTools round trips:
 * - `update(n, layer, input)`: decode an n-point MQHT answer and update one deck.gl layer with it,
 *   as binary attributes or as one JS object per point with accessors, then draw once;
 * - `frames(count)`: the time to draw `count` frames of what is on screen (MapLibre and deck.gl,
 *   synchronously, GPU work finished), after building the layers for that frame's time.
 */
import { mount } from 'svelte';
import type { Deck, Layer } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import { decodeHeat, encodeHeat } from '../../../../geo/wall-binary.ts';
import { LANZHOU_BBOX } from './scenes.ts';
import { HEAT_RANGE } from './colors.ts';
import BenchHarness from './BenchHarness.svelte';
import type { WallMapHandle } from './harness.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from bench-wall.html');
mount(BenchHarness, { target });

type Handle = WallMapHandle;

function harness(): Handle {
  const h = window.__wallHarness.handle();
  if (!h?.map || !h.overlay) throw new Error('the wall map is not ready');
  return h;
}

function deckOf(h: Handle): Deck {
  const deck = (h.overlay as unknown as { _deck?: Deck })._deck;
  if (!deck) throw new Error('the overlay has no deck yet');
  return deck;
}

/** Applies the layers given to setProps now (deck.gl defers it to its next animation frame). */
function updateLayers(deck: Deck) {
  (deck as unknown as { layerManager?: { updateLayers(): void } }).layerManager?.updateLayers();
}

/** Waits for the GPU (SwiftShader) to finish what was drawn: reading a pixel blocks until then. */
function finish(gl: WebGL2RenderingContext | WebGLRenderingContext | undefined) {
  if (!gl) return;
  const px = new Uint8Array(4);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
}

function glOf(deck: Deck): WebGL2RenderingContext | undefined {
  return (deck as unknown as { device?: { gl?: WebGL2RenderingContext } }).device?.gl;
}

/** n points spread like a city: most near a few centres, the rest anywhere in the box. */
function synthetic(n: number): Uint8Array {
  const [w, s, e, nn] = LANZHOU_BBOX;
  const positions = new Float32Array(2 * n);
  const counts = new Uint32Array(n);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const centres = [
    [103.83, 36.06],
    [103.75, 36.07],
    [103.63, 36.1],
    [103.72, 36.1],
    [102.95, 36.33],
  ];
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (rand() < 0.8) {
      const c = centres[Math.floor(rand() * centres.length)]!;
      const r = 0.08 * Math.sqrt(-2 * Math.log(rand() + 1e-9));
      const a = 2 * Math.PI * rand();
      positions[2 * i] = c[0] + r * Math.cos(a);
      positions[2 * i + 1] = c[1] + 0.8 * r * Math.sin(a);
    } else {
      positions[2 * i] = w + (e - w) * rand();
      positions[2 * i + 1] = s + (nn - s) * rand();
    }
    counts[i] = 1 + Math.floor(rand() * rand() * 20);
    total += counts[i];
  }
  return encodeHeat(positions, counts, total);
}

type LayerKind = 'heat' | 'scatter';
type InputKind = 'binary' | 'objects';

function layerFor(
  kind: LayerKind,
  input: InputKind,
  heat: ReturnType<typeof decodeHeat>,
  weights: Float32Array | null,
  objects: { position: [number, number]; weight: number }[] | null,
): Layer {
  const id = `bench-${kind}`;
  if (kind === 'heat') {
    return input === 'binary'
      ? new HeatmapLayer({
          id,
          data: {
            length: heat.length,
            attributes: {
              getPosition: { value: heat.positions, size: 2 },
              getWeight: { value: weights!, size: 1 },
            },
          } as never,
          radiusPixels: 28,
          colorRange: HEAT_RANGE,
          aggregation: 'SUM',
          debounceTimeout: 0,
        })
      : new HeatmapLayer<{ position: [number, number]; weight: number }>({
          id,
          data: objects!,
          getPosition: (d) => d.position,
          getWeight: (d) => d.weight,
          radiusPixels: 28,
          colorRange: HEAT_RANGE,
          aggregation: 'SUM',
          debounceTimeout: 0,
        });
  }
  return input === 'binary'
    ? new ScatterplotLayer({
        id,
        data: {
          length: heat.length,
          attributes: { getPosition: { value: heat.positions, size: 2 } },
        } as never,
        radiusUnits: 'pixels',
        getRadius: 2,
        getFillColor: [255, 140, 40, 200],
      })
    : new ScatterplotLayer<{ position: [number, number]; weight: number }>({
        id,
        data: objects!,
        getPosition: (d) => d.position,
        radiusUnits: 'pixels',
        getRadius: 2,
        getFillColor: [255, 140, 40, 200],
      });
}

const encoded = new Map<number, Uint8Array>();

const bench = {
  /**
   * Decode + layer update + first draw of n points, in ms. The encoded answer is made (once per
   * n) before the clock starts; decoding starts from its bytes as fetch would hand them over.
   */
  update(n: number, kind: LayerKind, input: InputKind) {
    const h = harness();
    h.pause(true);
    const deck = deckOf(h);
    let bytes = encoded.get(n);
    if (!bytes) {
      encoded.clear();
      bytes = synthetic(n);
      encoded.set(n, bytes);
    }
    // The layer keeps its id from run to run, so its shaders stay compiled (SwiftShader takes
    // seconds to compile deck.gl's): what is timed is the data's way in, not the compiler.
    const buffer = bytes.slice().buffer;
    const t0 = performance.now();
    const heat = decodeHeat(buffer);
    let weights: Float32Array | null = null;
    let objects: { position: [number, number]; weight: number }[] | null = null;
    if (input === 'binary') weights = Float32Array.from(heat.counts);
    else {
      objects = new Array(heat.length);
      for (let i = 0; i < heat.length; i++)
        objects[i] = {
          position: [heat.positions[2 * i], heat.positions[2 * i + 1]],
          weight: heat.counts[i],
        };
    }
    const t1 = performance.now();
    deck.setProps({ layers: [layerFor(kind, input, heat, weights, objects)] });
    updateLayers(deck);
    const t2 = performance.now();
    deck.redraw('bench-update');
    finish(glOf(deck));
    const t3 = performance.now();
    return { decode: t1 - t0, update: t2 - t1, draw: t3 - t2, total: t3 - t0 };
  },

  /** Keeps the last update's layer on screen and measures frames of it (the heat scene). */
  frames(count: number, own = true) {
    const h = harness();
    const deck = deckOf(h);
    const gl = glOf(deck);
    const mapGl = h.map!.painter?.context?.gl as WebGL2RenderingContext | undefined;
    const times: number[] = [];
    let t = performance.now() / 1000;
    for (let i = 0; i < count; i++) {
      t += 0.05;
      const t0 = performance.now();
      if (own) h.render(t);
      updateLayers(deck);
      h.map!.redraw();
      finish(mapGl);
      deck.redraw('bench-frame');
      finish(gl);
      times.push(performance.now() - t0);
    }
    return times;
  },

  /** Lets the component draw again (after `update`). */
  resume() {
    harness().pause(false);
  },

  /** How many layers deck.gl holds and draws, by id (for the benchmark's notes). */
  layers() {
    const deck = deckOf(harness());
    return (deck.props.layers as Layer[]).flat().map((l) => `${l.id}:${l.props.visible}`);
  },
};

(window as unknown as { __wallBench: typeof bench }).__wallBench = bench;
