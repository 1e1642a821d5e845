/**
 * Colours of the map: the vocabularies' own colours as RGBA lookup tables indexed by wire code,
 * plus the dashboard's theme. Shared by the layers and the legend so they never disagree.
 */
import {
  HAZARD_SEVERITIES,
  HAZARD_TYPES,
  RATING_COLORS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type Term,
} from '../../../../geo/vocabulary.ts';

export type Rgba = [number, number, number, number];

export const THEME = {
  background: '#07121f',
  districtFill: '#0d2136',
  districtOutline: '#2b5b86',
  cityOutline: '#4f8fc4',
  areaLine: [110, 170, 225, 200] as Rgba,
  contextLine: [90, 130, 170, 140] as Rgba,
  selectedLine: [0, 229, 255, 255] as Rgba,
  neutralFill: [60, 120, 180, 40] as Rgba,
  unratedFill: [120, 135, 150, 60] as Rgba,
  label: [226, 236, 246, 255] as Rgba,
  labelOutline: [5, 14, 26, 255] as Rgba,
  overdueRing: [255, 255, 255, 230] as Rgba,
  pointOutline: [7, 18, 31, 200] as Rgba,
  unknown: [150, 150, 150, 200] as Rgba,
};

export function rgba(term: Term<string>, alpha = 255): Rgba {
  return [term.color[0], term.color[1], term.color[2], alpha];
}

/** Lookup table: wire code → colour; codes past the list map to grey. */
export function lookup(list: readonly Term<string>[], alpha = 255): Rgba[] {
  return list.map((t) => rgba(t, alpha));
}

export const TICKET_PALETTES = {
  status: { column: 1, terms: TICKET_STATUSES, colors: lookup(TICKET_STATUSES, 230) },
  category: { column: 0, terms: TICKET_CATEGORIES, colors: lookup(TICKET_CATEGORIES, 230) },
  channel: { column: 2, terms: TICKET_CHANNELS, colors: lookup(TICKET_CHANNELS, 230) },
} as const;

export const HAZARD_PALETTES = {
  severity: { column: 1, terms: HAZARD_SEVERITIES, colors: lookup(HAZARD_SEVERITIES, 255) },
  type: { column: 0, terms: HAZARD_TYPES, colors: lookup(HAZARD_TYPES, 255) },
} as const;

const RATING_BY_KEY = new Map(RATING_COLORS.map((t) => [t.key as string, t]));

export function ratingColor(rating: string | null | undefined, alpha = 255): Rgba | null {
  const term = rating ? RATING_BY_KEY.get(rating) : undefined;
  return term ? rgba(term, alpha) : null;
}

/** Sequential ramp (dark teal → amber → red) for counts such as open tickets, t in 0..1. */
export function rampColor(t: number, alpha = 150): Rgba {
  const stops: [number, number, number][] = [
    [22, 62, 96],
    [38, 120, 150],
    [240, 180, 40],
    [225, 70, 50],
  ];
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
    alpha,
  ];
}

export function cssColor(c: readonly number[]): string {
  return `rgb(${c[0]} ${c[1]} ${c[2]})`;
}

/** Fonts for deck.gl's TextLayer and the UI: whatever CJK face the machine has, no web fonts. */
export const FONT_STACK =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif';
