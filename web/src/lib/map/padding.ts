/**
 * Room to leave around an area when the map fits it, so that no floating panel (the left column,
 * the right column, the legend at the bottom) covers any of it. Measured from the panels as laid
 * out, because what they hold (and so their size) depends on who is signed in.
 *
 * @example
 * fitPadding({ width: 1920, height: 1080 }, { left: { left: 12, right: 312, top: 68, bottom: 1068 } });
 */
import type { PaddingOptions } from 'maplibre-gl';

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Insets {
  left?: Box | null;
  right?: Box | null;
  legend?: Box | null;
}

const MARGIN = 20;
const TOP_BAR = 84;

function shown(b: Box | null | undefined): b is Box {
  return !!b && b.right > b.left && b.bottom > b.top;
}

export function fitPadding(
  viewport: { width: number; height: number },
  insets: Insets,
): PaddingOptions {
  const { width, height } = viewport;
  const pad = { top: TOP_BAR, bottom: 40, left: 30, right: 30 };
  if (shown(insets.left)) pad.left = Math.max(pad.left, insets.left.right + MARGIN);
  if (shown(insets.right)) {
    // On a narrow screen the right column sits at the bottom instead of at the side.
    if (insets.right.left < width / 2)
      pad.bottom = Math.max(pad.bottom, height - insets.right.top + MARGIN / 2);
    else pad.right = Math.max(pad.right, width - insets.right.left + MARGIN);
  }
  if (shown(insets.legend))
    pad.bottom = Math.max(pad.bottom, height - insets.legend.top + MARGIN / 2);
  // Never squeeze the area below a third of the screen: then the panels may overlap its edge.
  const minW = width / 3;
  const minH = height / 3;
  if (width - pad.left - pad.right < minW) {
    const k = (width - minW) / (pad.left + pad.right);
    pad.left = Math.floor(pad.left * k);
    pad.right = Math.floor(pad.right * k);
  }
  if (height - pad.top - pad.bottom < minH) {
    pad.bottom = Math.max(0, Math.floor(height - minH - pad.top));
  }
  return pad;
}
