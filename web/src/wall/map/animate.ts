/**
 * The wall map's motion, as pure functions of time (seconds) so the builders stay pure and the
 * tests need no clock: hazards pulse by severity, a dot travels along each whistle arc, the focus
 * ring ripples. `Ticker` calls back at most 20 times a second, and only while something moves:
 * SwiftShader and a wall left on for weeks both want the CPU spared.
 *
 * @example
 * ripple(0.5, 3); // { scale: 2, opacity: 0.5 } halfway through a critical hazard's 1 s ripple
 */

/** Seconds per pulse, 0 low … 3 critical: the worse, the faster. */
export const PULSE_PERIOD = [3.2, 2.4, 1.6, 1.0] as const;
/** Dot radius in px at 1080 px height, 0 low … 3 critical: the worse, the bigger. */
export const HAZARD_RADIUS = [4, 5.5, 7.5, 10] as const;

const frac = (x: number) => x - Math.floor(x);

/** A gentle breathing of size and alpha for a hazard dot. */
export function breathe(t: number, severity: number): { scale: number; opacity: number } {
  const s = Math.max(0, Math.min(3, severity));
  const wave = 0.5 + 0.5 * Math.sin((2 * Math.PI * t) / PULSE_PERIOD[s]);
  return { scale: 1 + 0.15 * (s + 1) * wave, opacity: 0.75 + 0.25 * wave };
}

/** An expanding, fading ring (high and critical hazards, the focus): scale 1 → 3, alpha 1 → 0. */
export function ripple(t: number, severity: number): { scale: number; opacity: number } {
  const s = Math.max(0, Math.min(3, severity));
  const p = frac(t / PULSE_PERIOD[s]);
  return { scale: 1 + 2 * p, opacity: 1 - p };
}

/** Seconds for a whistle's dot to travel its arc: late ones hurry. */
export function travelPeriod(state: number): number {
  return state === 1 ? 2.2 : state === 0 ? 3.5 : 6;
}

/** Where along its arc (0 … 1) arc `i`'s dot is at `t`; arcs start spread out (golden ratio). */
export function arcPhase(t: number, i: number, state: number): number {
  return frac(t / travelPeriod(state) + i * 0.618034);
}

const RAD = Math.PI / 180;
const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2));
const unmercY = (y: number) => (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD;

/**
 * The point at ratio `r` of a deck.gl ArcLayer arc drawn flat (not great-circle) with `height` and
 * `tilt` (degrees): the layer's own curve (arc-layer-vertex.glsl, `interpolateFlat` with both ends
 * at z 0) in Web Mercator, so the dot sits on the drawn arc. At tilt 90 the arc lies on the ground
 * and reads as a curve on the wall's flat, north-up map.
 */
export function arcPoint(
  sLon: number,
  sLat: number,
  tLon: number,
  tLat: number,
  r: number,
  height: number,
  tilt: number,
): [number, number] {
  const sx = sLon * RAD;
  const sy = mercY(sLat);
  const dx = tLon * RAD - sx;
  const dy = mercY(tLat) - sy;
  // z = sqrt(r (1 − r)) · distance · height, pushed sideways along the unit normal (−dy, dx)/d
  const k = Math.sqrt(Math.max(0, r * (1 - r))) * height * Math.sin(tilt * RAD);
  const x = sx + dx * r - dy * k;
  const y = sy + dy * r + dx * k;
  return [x / RAD, unmercY(y)];
}

/** The replay's newest points flash, then settle within about a second. */
export function flash(secondsSinceUpdate: number): number {
  return 1 + 1.5 * Math.exp(-Math.max(0, secondsSinceUpdate) / 0.4);
}

/**
 * Calls `frame(seconds)` on animation frames, at most `fps` times a second, until stopped. The
 * browser pauses it in a hidden tab by itself.
 */
export class Ticker {
  private handle: number | null = null;
  private last = -Infinity;

  constructor(
    private readonly frame: (seconds: number) => void,
    private readonly fps = 20,
  ) {}

  get running(): boolean {
    return this.handle !== null;
  }

  start(): void {
    if (this.handle !== null) return;
    const step = (now: number) => {
      this.handle = requestAnimationFrame(step);
      if (now - this.last < 1000 / this.fps - 2) return;
      this.last = now;
      this.frame(now / 1000);
    };
    this.handle = requestAnimationFrame(step);
  }

  stop(): void {
    if (this.handle !== null) cancelAnimationFrame(this.handle);
    this.handle = null;
  }
}
