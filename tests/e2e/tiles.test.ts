/**
 * The PMTiles basemap in Chromium: a server started with BASEMAP_PMTILES (an archive made from
 * the shared server's own area tiles) has the desktop map read it through the `pmtiles` protocol
 * with range requests, under the district outlines, and the compounds from vector tiles on top.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAreasPmtiles } from '../../scripts/make-basemap-pmtiles.ts';
import { launch, openPage, screenshot, settle } from './browser.ts';
import { freePort, ROOT, startServer, type RunningServer } from './server.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(resolve(ROOT, '.cache/e2e-tiles-'));
  // The archive from the shared server's tiles (zooms 5-11 over Lanzhou: a few hundred tiles).
  const bytes = await buildAreasPmtiles(
    { request: (u: string) => fetch(`${baseUrl}${u}`) },
    { minzoom: 5, maxzoom: 11 },
  );
  const file = resolve(dir, 'lanzhou.pmtiles');
  writeFileSync(file, bytes);
  process.env.BASEMAP_PMTILES = file;
  try {
    server = await startServer({
      port: await freePort(),
      dataDir: resolve(dir, 'data'),
      logFile: resolve(artifacts, 'tiles-server.log'),
      timeoutMs: 300_000,
    });
  } finally {
    delete process.env.BASEMAP_PMTILES;
  }
  browser = await launch();
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the PMTiles basemap', () => {
  it('draws the archive under the district outlines, read with range requests', async () => {
    const w = await openPage(browser, `${server.baseUrl}/`);
    const { page } = w;
    await settle(page);
    await page.waitForFunction(
      () => {
        const map = (window as any).__minqing.map;
        return !!map.getSource('basemap-pmtiles') && map.isSourceLoaded('basemap-pmtiles');
      },
      undefined,
      { timeout: 60_000 },
    );
    await settle(page);
    const state = await page.evaluate(() => {
      const map = (window as any).__minqing.map;
      const ids: string[] = map.getStyle().layers.map((l: { id: string }) => l.id);
      return {
        ids,
        rendered: map.queryRenderedFeatures({ layers: ['basemap-district'] }).length,
      };
    });
    // Under the project's own outlines, which stay.
    expect(state.ids.indexOf('basemap-district')).toBeGreaterThan(-1);
    expect(state.ids.indexOf('basemap-district')).toBeLessThan(state.ids.indexOf('district-fill'));
    expect(state.rendered).toBeGreaterThan(0);
    const pm = w.requests.filter((u) => u.includes('/tiles/basemap/lanzhou.pmtiles'));
    expect(pm.length).toBeGreaterThan(0);
    expect(w.requests.some((u) => /\/tiles\/compounds\/\d+\/\d+\/\d+\.mvt/.test(u))).toBe(true);
    expect(w.foreign()).toEqual([]);
    expect(w.errors).toEqual([]);
    await screenshot(page, artifacts, 'tiles-pmtiles-basemap');
    await page.context().close();
  }, 180_000);
});
