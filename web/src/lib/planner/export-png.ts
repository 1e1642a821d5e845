/**
 * Saves the map with its legend, title, period and scale bar as a PNG (map-image.ts draws it).
 */
import { FONT_STACK } from '../layers/palette.ts';
import type { AppState } from '../state/app.svelte.ts';
import { exportFilename, saveBlob } from './api.ts';
import { plannerLegend } from './legend.ts';
import { mapImage } from './map-image.ts';

/** The period as the title says it. */
export function periodText(app: AppState): string {
  const f = app.view.filters;
  if (!f.from && !f.to) return app.t('planner.periodDefault');
  return app.t('planner.period', { from: f.from || '…', to: f.to || app.t('planner.now') });
}

export async function exportPng(app: AppState): Promise<void> {
  const map = app.map.map;
  if (!map) return;
  const p = app.planner;
  const legend = plannerLegend(
    {
      config: p.config,
      hotspots: p.hotspots.data,
      emerging: p.emerging.data,
      compare: p.compare.data,
      coverage: p.coverage.data,
      areaMap: p.areaMap.data,
      lang: app.view.lang,
      facts: p.config.facts ? (p.facts.data?.items ?? null) : null,
    },
    app.t,
  );
  const view = app.t(`planner.view.${p.config.view}`);
  const blob = await mapImage(map, app.map.overlay, {
    title: `${app.t('planner.png.title')} · ${view}`,
    period: periodText(app),
    legend,
    font: FONT_STACK,
  });
  const f = app.view.filters;
  const name = exportFilename(
    p.config.view,
    [`res${p.config.res}`, p.config.view === 'hotspots' && p.config.colorBy],
    { from: f.from, to: f.to },
    'png',
  );
  saveBlob(blob, name);
}
