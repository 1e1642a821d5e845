/**
 * Exports in Chromium: a community cadre filters the ticket list and clicks 导出 CSV; the
 * downloaded file has the BOM, Chinese headers and exactly the list's total of rows (every page,
 * not only the one shown). A planner exports the ticket layer from the layer panel as GeoJSON and
 * gets positions only. Screenshot of the list with its export links; axe finds nothing serious at
 * 390, 1920 and 3840 px.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../geo/csv.ts';
import { axeViolations, launch, openPage, screenshot, settle, type Watched } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');
const DESK = { width: 1920, height: 1080 };

let browser: Browser;
const pages: Watched[] = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const w of pages) if (!w.page.isClosed()) await w.page.context().close();
  await browser?.close();
});

/** Clicks a download link and returns the file the browser saved, with its suggested name. */
async function download(page: Page, testid: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByTestId(testid).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

describe('exports', () => {
  it('the ticket list’s CSV has every row of the filter, BOM and Chinese headers', async () => {
    const w = await openPage(browser, `${baseUrl}/?tab=tickets&status=all&cat=parking`, 'zh-CN', {
      signInAs: 'community',
      viewport: DESK,
    });
    pages.push(w);
    const { page } = w;
    await settle(page);
    expect(await page.getByTestId('ticket-category').inputValue()).toBe('parking');
    const total = Number(
      (await page.getByTestId('ticket-total').textContent())!.replace(/\D/g, ''),
    );
    expect(total).toBeGreaterThan(0);
    const href = await page.getByTestId('ticket-export-csv').getAttribute('href');
    expect(href).toMatch(/^\/api\/tickets\/list\?.*category=parking.*format=csv&lang=zh$/);
    expect(href).not.toMatch(/limit=|offset=/);

    const csv = await download(page, 'ticket-export-csv');
    // The server names the file (Content-Disposition): what, and the period in Beijing days.
    expect(csv.name).toMatch(/^minqing-tickets-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(csv.bytes.subarray(3).toString('utf8'));
    expect(header!.slice(0, 4)).toEqual(['编号', '工单号', '标题', '类别']);
    expect(rows).toHaveLength(total);
    for (const r of rows) expect(r[3]).toBe('停车难');

    const geo = await download(page, 'ticket-export-geojson');
    const fc = JSON.parse(geo.bytes.toString('utf8'));
    expect(fc.features).toHaveLength(total);
    expect(fc.features[0].geometry.type).toBe('Point');

    await page.getByTestId('ticket-export-csv').scrollIntoViewIfNeeded();
    await screenshot(page, artifacts, 'exports-ticket-list');
    for (const size of [{ width: 390, height: 844 }, DESK, { width: 3840, height: 2160 }]) {
      await page.setViewportSize(size);
      await settle(page);
      expect(await axeViolations(page), `axe at ${size.width}px`).toEqual([]);
    }
    expect(w.errors).toEqual([]);
  });

  it('a planner exports the ticket layer as GeoJSON: positions, no text', async () => {
    const w = await openPage(browser, `${baseUrl}/?layers=areas,tickets`, 'zh-CN', {
      signInAs: 'planner',
      viewport: DESK,
    });
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.getByTestId('layer-tickets-export-geojson').waitFor();
    const geo = await download(page, 'layer-tickets-export-geojson');
    expect(geo.name).toMatch(/^minqing-ticket-positions-[\d_-]+\.geojson$/);
    const fc = JSON.parse(geo.bytes.toString('utf8'));
    expect(fc.features.length).toBeGreaterThan(0);
    const keys = new Set<string>(
      fc.features.flatMap((f: { properties: object }) => Object.keys(f.properties)),
    );
    expect([...keys].sort()).toEqual(
      ['category', 'dueAt', 'id', 'overdue', 'receivedAt', 'status'].sort(),
    );
    await page.getByTestId('layers').scrollIntoViewIfNeeded();
    await screenshot(page, artifacts, 'exports-planner-layers');
    expect(w.errors).toEqual([]);
  });
});
