/**
 * The map as a PNG for reports: MapLibre's canvas (copied inside its render callback, while the
 * drawing buffer still holds the frame), deck.gl's overlay canvas on top (deck keeps its buffer),
 * then the title, the period, the legend and a scale bar drawn on a 2D canvas. Browser only.
 */
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { PlannerLegendBlock } from './legend.ts';

export interface ImageText {
  title: string;
  period: string;
  legend: PlannerLegendBlock[];
  font: string;
}

/** A round length for a scale bar no longer than `maxMetres`: 1, 2 or 5 × 10ⁿ metres. */
export function niceLength(maxMetres: number): number {
  if (!(maxMetres > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(maxMetres));
  for (const m of [5, 2, 1]) if (m * p <= maxMetres) return m * p;
  return p;
}

function metresBetween(a: { lng: number; lat: number }, b: { lng: number; lat: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

function copyMapFrame(map: MaplibreMap, ctx: CanvasRenderingContext2D): Promise<void> {
  return new Promise((resolve) => {
    map.once('render', () => {
      ctx.drawImage(map.getCanvas(), 0, 0, ctx.canvas.width, ctx.canvas.height);
      resolve();
    });
    map.triggerRepaint();
  });
}

function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // CJK text has no spaces: break anywhere, keeping Latin words whole where they fit
  for (const token of text.match(/[A-Za-z0-9.,:;%/()*α=<>+–-]+\s*|\s+|./gu) ?? []) {
    if (ctx.measureText(line + token).width > width && line) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function drawPanel(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  ctx.fillStyle = 'rgba(9, 22, 38, 0.9)';
  ctx.strokeStyle = 'rgba(70, 150, 220, 0.5)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 6);
  ctx.fill();
  ctx.stroke();
}

/** Lays out (measure) or draws the legend; returns its height. */
function legendBox(
  ctx: CanvasRenderingContext2D,
  blocks: PlannerLegendBlock[],
  x: number,
  y: number,
  width: number,
  font: string,
  draw: boolean,
): number {
  let cy = y + 12;
  for (const b of blocks) {
    ctx.font = `600 13px ${font}`;
    ctx.fillStyle = '#e3edf7';
    if (draw) ctx.fillText(b.title, x + 12, cy + 11);
    cy += 20;
    ctx.font = `12px ${font}`;
    for (const r of b.rows) {
      if (draw) {
        if (r.hollow) {
          ctx.strokeStyle = r.hex;
          ctx.lineWidth = 2;
          ctx.strokeRect(x + 13, cy + 2, 12, 12);
        } else {
          ctx.fillStyle = r.hex;
          ctx.fillRect(x + 12, cy + 1, 14, 14);
        }
        ctx.fillStyle = '#e3edf7';
        ctx.fillText(r.label, x + 34, cy + 12);
        if (r.count !== undefined) {
          ctx.fillStyle = '#8ea6bf';
          const n = String(r.count);
          ctx.fillText(n, x + width - 12 - ctx.measureText(n).width, cy + 12);
        }
      }
      cy += 18;
    }
    if (b.method) {
      ctx.font = `11px ${font}`;
      ctx.fillStyle = '#8ea6bf';
      for (const line of wrap(ctx, b.method, width - 24)) {
        if (draw) ctx.fillText(line, x + 12, cy + 11);
        cy += 15;
      }
    }
    cy += 8;
  }
  return cy - y + 4;
}

export async function mapImage(
  map: MaplibreMap,
  overlay: MapboxOverlay | null,
  text: ImageText,
): Promise<Blob> {
  const source = map.getCanvas();
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = '#07121f';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await copyMapFrame(map, ctx);
  const deckCanvas = overlay?.getCanvas();
  if (deckCanvas && deckCanvas.width > 0)
    ctx.drawImage(deckCanvas, 0, 0, canvas.width, canvas.height);

  // From here on in CSS pixels.
  const scale = canvas.width / source.clientWidth || 1;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  const w = source.clientWidth;
  const h = source.clientHeight;
  const font = text.font;
  ctx.textBaseline = 'alphabetic';

  // Title and period, top left.
  ctx.font = `700 20px ${font}`;
  const titleW = Math.max(ctx.measureText(text.title).width, 0);
  ctx.font = `13px ${font}`;
  const periodW = ctx.measureText(text.period).width;
  drawPanel(ctx, 12, 12, Math.max(titleW, periodW) + 28, 62);
  ctx.font = `700 20px ${font}`;
  ctx.fillStyle = '#ffffff';
  ctx.fillText(text.title, 26, 40);
  ctx.font = `13px ${font}`;
  ctx.fillStyle = '#8ea6bf';
  ctx.fillText(text.period, 26, 62);

  // Legend, bottom left.
  const lw = Math.min(340, w - 24);
  const lh = legendBox(ctx, text.legend, 12, 0, lw, font, false);
  const ly = Math.max(86, h - 12 - lh);
  drawPanel(ctx, 12, ly, lw, lh);
  legendBox(ctx, text.legend, 12, ly, lw, font, true);

  // Scale bar, bottom right.
  const y = h / 2;
  const metresPer100 = metresBetween(
    map.unproject([w / 2 - 50, y]),
    map.unproject([w / 2 + 50, y]),
  );
  const metres = niceLength((metresPer100 / 100) * 120);
  if (metres > 0) {
    const px = (metres / metresPer100) * 100;
    const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
    const x1 = w - 24 - px;
    drawPanel(ctx, x1 - 12, h - 52, px + 24, 40);
    ctx.strokeStyle = '#e3edf7';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x1, h - 24);
    ctx.lineTo(x1, h - 18);
    ctx.lineTo(x1 + px, h - 18);
    ctx.lineTo(x1 + px, h - 24);
    ctx.stroke();
    ctx.font = `12px ${font}`;
    ctx.fillStyle = '#e3edf7';
    ctx.fillText(label, x1 + px / 2 - ctx.measureText(label).width / 2, h - 29);
  }

  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'),
  );
}
