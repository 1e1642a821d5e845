/**
 * Area names drawn by deck.gl's TextLayer. It builds its glyph atlas in the browser from the
 * machine's fonts, so unlike MapLibre symbol layers it needs no glyph server.
 */
import { TextLayer } from '@deck.gl/layers';
import type { AreaCollection, LonLat } from '../types.ts';
import { defineLayer, type LayerConfig } from './define.ts';
import { FONT_STACK, THEME } from './palette.ts';
import { describeLabel } from '../map/hover.ts';

export interface Label {
  id: number;
  position: LonLat;
  text: string;
  /** emphasised: the city's districts or the selected area */
  major: boolean;
  /** who wins where labels collide: bigger areas first */
  priority: number;
}

export const LABEL_SIZE = { major: 16, minor: 12 };

function bboxArea(coords: unknown): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    } else for (const cc of c as unknown[]) visit(cc);
  };
  visit(coords);
  return maxX > minX ? (maxX - minX) * (maxY - minY) : 0;
}

export function areaLabels(fc: AreaCollection | null, selectedId: number | null = null): Label[] {
  const out: Label[] = [];
  for (const f of fc?.features ?? []) {
    const p = f.properties;
    if (!p.label) continue;
    const major = p.level === 'district' || p.id === selectedId;
    out.push({
      id: p.id,
      position: p.label,
      text: p.name,
      major,
      priority: (major ? 1e6 : 0) + (f.geometry ? bboxArea(f.geometry.coordinates) : 0),
    });
  }
  return out;
}

/** Web-Mercator world pixels at a zoom (MapLibre's 512-pixel tiles). */
export function worldPixels([lon, lat]: LonLat, zoom: number): [number, number] {
  const scale = 512 * 2 ** zoom;
  const sin = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
  return [
    ((lon + 180) / 360) * scale,
    (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  ];
}

/**
 * Drops the labels that would overlap a more important one at this zoom, so dense areas stay
 * readable. Greedy by priority; boxes are estimated from the text (CJK glyphs are about 1 em
 * wide, Latin about 0.6 em).
 */
export function declutterLabels(labels: Label[], zoom: number, gap = 4): Label[] {
  const boxes: [number, number, number, number][] = [];
  const kept: Label[] = [];
  const sorted = [...labels].sort((a, b) => b.priority - a.priority);
  for (const l of sorted) {
    const size = l.major ? LABEL_SIZE.major : LABEL_SIZE.minor;
    let em = 0;
    for (const ch of l.text) em += ch.charCodeAt(0) > 0x2e80 ? 1 : 0.6;
    const [x, y] = worldPixels(l.position, zoom);
    const hw = (em * size) / 2 + gap;
    const hh = (size * 1.2) / 2 + gap;
    const box: [number, number, number, number] = [x - hw, y - hh, x + hw, y + hh];
    if (boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) {
      continue;
    }
    boxes.push(box);
    kept.push(l);
  }
  // Keep the input order so deck.gl sees a stable list when nothing changed.
  const keep = new Set(kept);
  return labels.filter((l) => keep.has(l));
}

export function buildLabelsLayer(config: LayerConfig<'none'>, data: Label[]): TextLayer<Label> {
  return new TextLayer<Label>({
    id: 'labels',
    data,
    visible: config.visible,
    // pickable, so a name clicks through to its area instead of to a point under its letters
    pickable: true,
    characterSet: 'auto',
    fontFamily: FONT_STACK,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
    outlineWidth: 3,
    outlineColor: THEME.labelOutline,
    getPosition: (d) => d.position,
    getText: (d) => d.text,
    getSize: (d) => (d.major ? LABEL_SIZE.major : LABEL_SIZE.minor),
    sizeUnits: 'pixels',
    getColor: THEME.label,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}

export const labelsLayer = defineLayer({
  id: 'labels',
  defaults: { kind: 'text', visible: true, colorBy: ['none'] },
  capability: null,
  data: (s): Label[] => s.labels,
  build: buildLabelsLayer,
  tooltip: { labels: describeLabel },
  // A name is its area: clicking it drills in, whatever point lies under the letters.
  picks: {
    labels: {
      click: (p) => {
        const id = (p.object as { id?: unknown } | null)?.id;
        return typeof id === 'number' ? { kind: 'area', id } : null;
      },
    },
  },
});
