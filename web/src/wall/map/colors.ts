/**
 * The wall map's colours, brighter than the workspace's because the wall is read from across a
 * room on a dark screen. Red/yellow/blue ratings and the diverging scales are the workspace's own,
 * so a planner and the wall agree on what a colour means.
 *
 * @example
 * hotspotColor(3); // hot99, dark red
 * openCellColor(0, 10); // the ramp's dark teal start
 */
import { RATING_COLORS } from '../../../../geo/vocabulary.ts';
import { rampColor, type Rgba } from '../../lib/layers/palette.ts';
import { hexToRgba, residualHex, SPOT_CLASSES, SPOT_HEX } from '../../lib/planner/scales.ts';

/** Hazard severity 0 low … 3 critical. Critical is a vivid magenta: the vocabulary's dark purple
 * disappears on the wall's dark ground. */
export const SEVERITY_COLORS: readonly Rgba[] = [
  [241, 196, 15, 255],
  [240, 130, 40, 255],
  [255, 76, 60, 255],
  [255, 40, 160, 255],
];

/** Whistle state 0 awaiting report-in (amber), 1 report-in late (red), 2 reported (cyan). */
export const WHISTLE_STATE_COLORS: readonly Rgba[] = [
  [255, 183, 77, 230],
  [255, 72, 66, 255],
  [92, 200, 255, 150],
];

/** Today's patrol tracks. */
export const TRACK_COLOR: Rgba = [126, 224, 161, 200];

/** The focus ring (an alarm's place). */
export const FOCUS_COLOR: Rgba = [255, 255, 255, 255];

/** Replay kinds in REPLAY_KINDS order (server/contract/wall.ts; a test holds the lengths equal): received, closed, hazard, whistle, patrol. */
export const REPLAY_COLORS: readonly Rgba[] = [
  [255, 183, 77, 255],
  [126, 224, 161, 255],
  [255, 76, 60, 255],
  [190, 140, 255, 255],
  [92, 200, 255, 255],
];

/** The heat ramp: deep blue through teal and amber to red, opaque at the top. */
export const HEAT_RANGE: [number, number, number, number][] = [
  [20, 50, 110, 0],
  [25, 110, 160, 150],
  [40, 180, 170, 190],
  [240, 200, 60, 220],
  [250, 130, 40, 240],
  [235, 50, 40, 255],
];

const GREY: Rgba = [150, 150, 150, 120];

/** A compound's 红黄蓝 colour (0 red, 1 yellow, 2 blue) at the given alpha; grey otherwise. */
export function ratingColor(c: number, alpha: number): Rgba {
  const term = RATING_COLORS[c];
  return term
    ? [term.color[0], term.color[1], term.color[2], alpha]
    : [GREY[0], GREY[1], GREY[2], alpha];
}

/** Open tickets in a cell against the busiest cell: square-root scaled so few-ticket cells show. */
export function openCellColor(value: number, max: number): Rgba {
  const t = max > 0 ? Math.sqrt(Math.max(0, value) / max) : 0;
  return rampColor(t, 200);
}

/** A Gi* class (-3 cold 99 % … 0 none … 3 hot 99 %) on the planner's diverging red–blue scale. */
export function hotspotColor(value: number): Rgba {
  const v = Math.max(-3, Math.min(3, Math.round(Number.isFinite(value) ? value : 0)));
  const cls = SPOT_CLASSES[3 - v];
  // not significant: a faint veil, so the significant cells stand out
  return cls === 'none' ? [200, 206, 214, 40] : hexToRgba(SPOT_HEX[cls], 225);
}

/** A coverage residual on the planner's diverging scale; under-patrolled (≤ −1) nearly opaque. */
export function coverageColor(residual: number): Rgba {
  return hexToRgba(residualHex(residual), residual <= -1 ? 235 : 160);
}
