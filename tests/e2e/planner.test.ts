import { readFileSync } from 'node:fs';
import { cellToLatLng } from 'h3-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  axeViolations,
  countColors,
  launch,
  openPage,
  screenshot,
  settle,
  type Rgb,
  type Watched,
} from './browser.ts';
import { RATIO_HEX, RESIDUAL_HEX, SEQ_HEX } from '../../web/src/lib/planner/scales.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
const pages: Watched[] = [];

beforeAll(async () => {
  browser = await launch();
});
afterEach(async () => {
  for (const w of pages) if (!w.page.isClosed()) await w.page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

async function openPlanner(
  query = '',
  viewport = { width: 1920, height: 1080 },
  lang = 'zh-CN',
): Promise<Watched> {
  const w = await openPage(browser, `${baseUrl}/?mode=planner${query}`, lang, {
    signInAs: 'planner',
    viewport,
  });
  pages.push(w);
  await settle(w.page);
  await hexesDrawn(w.page);
  return w;
}

const app = (page: Page, path: string) =>
  page.evaluate((p) => p.split('.').reduce((o: any, k) => o?.[k], (window as any).__minqing), path);

/** The hex layer has its cells and the frame showing them is drawn. */
async function hexesDrawn(page: Page) {
  await page.waitForFunction(
    () => {
      const m = (window as any).__minqing;
      return (m.app.planner.hexData?.cells.length ?? 0) > 0 && m.settled;
    },
    undefined,
    { timeout: 60_000, polling: 200 },
  );
  await settle(page);
}

/** The map alone, without the floating panels. */
async function mapOnly(page: Page, name: string): Promise<Buffer> {
  const style = await page.addStyleTag({
    content:
      '.topbar, aside, .p-left, .p-right, .p-time, .p-legend, [data-testid=status-bar] { visibility: hidden !important; }',
  });
  const png = await screenshot(page, artifacts, name);
  await style.evaluate((el) => (el as HTMLElement).remove());
  return png;
}

const hex = (s: string): Rgb => {
  const n = parseInt(s.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
/** A class colour drawn at the hex layer's alpha (215) over the dark basemap. */
function over(c: Rgb, alpha = 215 / 255): Rgb {
  const bg = [16, 38, 60];
  return [0, 1, 2].map((i) => Math.round(c[i] * alpha + bg[i] * (1 - alpha))) as unknown as Rgb;
}

const CLASS_HEX = {
  hot99: '#b2182b',
  hot95: '#ef8a62',
  hot90: '#fddbc7',
  cold90: '#d1e5f0',
  cold95: '#67a9cf',
  cold99: '#2166ac',
};

/** A cell of the shown hotspots whose centre is on the open map (not under a panel). */
async function visibleCell(
  page: Page,
  prefer: string[],
): Promise<{ h3: string; x: number; y: number }> {
  const cells = (await app(page, 'app.planner.hotspots.data.cells')) as {
    h3: string;
    class: string;
  }[];
  const ordered = [
    ...cells.filter((c) => prefer.includes(c.class)),
    ...cells.filter((c) => !prefer.includes(c.class)),
  ];
  const centres = ordered.map((c) => ({ h3: c.h3, ll: cellToLatLng(c.h3) }));
  const found = await page.evaluate((centres) => {
    const m = (window as any).__minqing;
    const blockers = [
      ...document.querySelectorAll('.topbar, .p-left, .p-right, .p-time, .p-legend'),
    ].map((el) => el.getBoundingClientRect());
    for (const c of centres) {
      const p = m.map.project([c.ll[1], c.ll[0]]);
      if (p.x < 20 || p.y < 20 || p.x > innerWidth - 20 || p.y > innerHeight - 20) continue;
      if (
        blockers.some(
          (b) => p.x >= b.left - 8 && p.x <= b.right + 8 && p.y >= b.top - 8 && p.y <= b.bottom + 8,
        )
      )
        continue;
      const picked = m.overlay.pickObject({ x: p.x, y: p.y, radius: 0, layerIds: ['cells'] });
      if (picked?.object?.h3 === c.h3) return { h3: c.h3, x: p.x, y: p.y };
    }
    return null;
  }, centres);
  if (!found) throw new Error('no cell on the open map');
  return found;
}

describe('planner workbench (规划研判)', () => {
  it('draws the hot-spot cells in their class colours, with a legend that counts them', async () => {
    const { page, errors } = await openPlanner();
    const png = await mapOnly(page, 'planner-map-only');
    const counts = await countColors(
      browser,
      png,
      Object.fromEntries(Object.entries(CLASS_HEX).map(([k, v]) => [k, over(hex(v))])),
      14,
    );
    const hot = counts.hot99 + counts.hot95 + counts.hot90;
    expect(counts.hot99, JSON.stringify(counts)).toBeGreaterThan(20);
    expect(hot, JSON.stringify(counts)).toBeGreaterThan(100);
    // The legend states the method and a count per class.
    const legend = page.getByTestId('planner-legend-cells');
    await expect.poll(() => legend.textContent()).toContain('Getis-Ord Gi*');
    const text = (await legend.textContent()) ?? '';
    expect(text).toContain('Benjamini–Hochberg');
    expect(text).toContain('热点 · 99% 置信');
    expect(errors).toEqual([]);
  });

  it('opens a cell on click: its panel, its figures and its tickets on the map', async () => {
    const { page } = await openPlanner();
    const cell = await visibleCell(page, ['hot99', 'hot95']);
    await page.mouse.click(cell.x, cell.y);
    await expect.poll(() => app(page, 'app.planner.config.cell')).toBe(cell.h3);
    const panel = page.getByTestId('planner-cell');
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain(cell.h3);
    await expect
      .poll(() => page.getByTestId('cell-count').textContent(), { timeout: 30_000 })
      .toMatch(/\d/);
    await expect.poll(() => page.getByTestId('cell-class').textContent()).toContain('热点');
    expect(await page.getByTestId('cell-sparkline').count()).toBe(1);
    const tickets = (await app(page, 'app.planner.cell.data.tickets')) as unknown[];
    expect(tickets.length).toBeGreaterThan(0);
    // the tickets behind the cell are drawn as points
    const drawn = await page.evaluate(() => {
      const m = (window as any).__minqing;
      const layer = m.overlay._deck.props.layers.flat(9).find((l: any) => l?.id === 'cell-tickets');
      return layer ? { visible: layer.props.visible, n: layer.props.data.length } : null;
    });
    expect(drawn).toEqual({ visible: true, n: tickets.length });
    // and the URL keeps the open cell
    expect(new URL(page.url()).searchParams.get('cell')).toBe(cell.h3);
    await settle(page);
    await screenshot(page, artifacts, 'planner-cell-1920');
  });

  it('plays the last twelve months: the period moves on and the cells reload', async () => {
    const { page } = await openPlanner();
    const periodText = () => page.getByTestId('planner-period').textContent();
    const before = await periodText();
    await page.selectOption('select[title="播放速度"]', '2');
    await page.getByTestId('planner-play').click();
    const months = (await app(page, 'app.planner.months')) as string[];
    await expect
      .poll(() => app(page, 'app.view.filters.from'), { timeout: 30_000 })
      .toBe(months[0]);
    const first = await periodText();
    expect(first).not.toBe(before);
    const firstPeriod = await app(page, 'app.planner.hotspots.data.period.from');
    await expect
      .poll(() => app(page, 'app.view.filters.from'), { timeout: 60_000 })
      .toBe(months[1]);
    await expect
      .poll(() => app(page, 'app.planner.hotspots.data.period.from'), { timeout: 60_000 })
      .not.toBe(firstPeriod);
    expect(await periodText()).not.toBe(first);
    await page.getByTestId('planner-play').click();
    expect(await app(page, 'app.planner.playing')).toBe(false);
    // the KPIs and charts follow the period too
    await expect
      .poll(() => app(page, 'app.planner.periodSeries.data.buckets.length'), { timeout: 30_000 })
      .toBe(1);

    // the brush by keyboard: Shift+→ moves the period's start by a month
    const from = (await app(page, 'app.view.filters.from')) as string;
    await page.getByTestId('brush-to').focus();
    await page.keyboard.press('End');
    await page.getByTestId('brush-from').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => app(page, 'app.view.filters.from')).not.toBe(from);
    expect(await app(page, 'app.view.filters.to')).toBe('');
  });

  it('downloads the cells as CSV (BOM, header, rows) and the map as a PNG with its legend', async () => {
    const { page } = await openPlanner();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-cells-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^minqing-hotspots-.*\.csv$/);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0].split(',')).toContain('h3');
    const cells = (await app(page, 'app.planner.hotspots.data.cells')) as unknown[];
    expect(lines.length - 1).toBe(cells.length);

    const [png] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-png').click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    await png.saveAs(`${artifacts}/planner-export.png`);
    const image = readFileSync((await png.path())!);
    const stats = await pngStats(browser, image, Object.values(CLASS_HEX).slice(0, 3).map(hex));
    // not blank: the city, its cells and the legend cover a good part of the picture
    expect(stats.nonBackground).toBeGreaterThan(0.05);
    // the legend (bottom left) carries the class colours at full strength
    expect(
      stats.legendHits.every((n) => n > 20),
      JSON.stringify(stats),
    ).toBe(true);
    expect(stats.width).toBe(1920);
  });

  it('shows emerging hot spots, a comparison table, compound facts and the renovation candidates', async () => {
    const { page, errors } = await openPlanner('&pv=emerging&facts=parking&old=1');
    await expect
      .poll(() => page.getByTestId('planner-legend-cells').textContent(), { timeout: 30_000 })
      .toMatch(/热点趋势（近 12 个月）/);
    await expect
      .poll(() => page.getByTestId('planner-legend-facts').textContent())
      .toMatch(/停车缺口/);
    const facts = (await app(page, 'app.planner.facts.data.items')) as { yearBuilt: number }[];
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.every((f) => f.yearBuilt < 2001)).toBe(true);
    await settle(page);
    await screenshot(page, artifacts, 'planner-emerging-facts');

    // the comparison: this quarter against the same days last year, as cells and as a table
    await page.getByTestId('planner-view-compare').click();
    await page.getByTestId('planner-tab-compare').click();
    await expect
      .poll(() => page.getByTestId('compare-table').locator('tbody tr').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const q = new URL(page.url()).searchParams;
    expect(q.get('pv')).toBe('compare');
    await hexesDrawn(page);
    await screenshot(page, artifacts, 'planner-compare');

    // renovation candidates: every factor visible, sortable, a row flies to the compound
    await page.getByTestId('planner-tab-renovation').click();
    const table = page.getByTestId('renovation-table');
    await expect
      .poll(() => table.locator('tbody tr').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const header = (await table.locator('thead').textContent()) ?? '';
    for (const col of ['得分', '建成', '管道', '屋面', '电梯候选', '设施诉求', '隐患', '重复诉求'])
      expect(header).toContain(col);
    await page.getByTestId('sort-year').click();
    const years = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(years.map(Number)).toEqual([...years.map(Number)].sort((a, b) => b - a));
    await table.locator('tbody tr').first().locator('button').click();
    await expect.poll(() => app(page, 'app.planner.focus')).not.toBeNull();
    await settle(page);
    await screenshot(page, artifacts, 'planner-renovation');
    expect(errors).toEqual([]);
  });

  it('selects a drawn polygon: vertices by click, Enter to finish, its statistics', async () => {
    const { page } = await openPlanner();
    await page.getByTestId('planner-draw').click();
    expect(await page.getByTestId('draw-banner').isVisible()).toBe(true);
    // a square around the first hot cell on the open map
    const cell = await visibleCell(page, ['hot99']);
    for (const [dx, dy] of [
      [-60, -60],
      [60, -60],
      [60, 60],
      [-60, 60],
    ])
      await page.mouse.click(cell.x + dx, cell.y + dy);
    expect(((await app(page, 'app.planner.draft')) as unknown[]).length).toBe(4);
    await page.keyboard.press('Enter');
    await expect.poll(() => app(page, 'app.planner.config.polygon.length')).toBe(4);
    const panel = page.getByTestId('planner-cell');
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain('框选区域');
    await expect
      .poll(() => page.getByTestId('cell-count').textContent(), { timeout: 30_000 })
      .toMatch(/[1-9]/);
    expect(new URL(page.url()).searchParams.get('poly')?.split(';')).toHaveLength(4);
    await settle(page);
    await screenshot(page, artifacts, 'planner-selection');
    // its tickets as a CSV file (the selection is a POST: the file comes from its answer)
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-selection-csv').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^minqing-selection-.*\.csv$/);
    const csv = readFileSync((await file.path())!).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\n')[0]).toContain('category');
    // Esc while drawing cancels the new drawing, the finished selection stays
    await page.getByTestId('planner-draw').click();
    await page.mouse.click(cell.x, cell.y);
    await page.keyboard.press('Escape');
    expect(await app(page, 'app.planner.drawing')).toBe(false);
    expect(await app(page, 'app.planner.config.polygon.length')).toBe(4);
  });

  it('extrudes the cells in 3D on a tilted map, coloured by rate, in English', async () => {
    const { page, errors } = await openPlanner('&p3d=1&pc=rate&res=7&lang=en', undefined, 'en-US');
    await expect
      .poll(() => page.evaluate(() => (window as any).__minqing.map.getPitch()), {
        timeout: 15_000,
      })
      .toBeGreaterThan(30);
    const extruded = await page.evaluate(() => {
      const m = (window as any).__minqing;
      return m.overlay._deck.props.layers.flat(9).find((l: any) => l?.id === 'cells')?.props
        .extruded;
    });
    expect(extruded).toBe(true);
    const legend = (await page.getByTestId('planner-legend-cells').textContent()) ?? '';
    expect(legend).toContain('Per 100 households');
    expect(legend).toContain('Quantile classes');
    expect(legend).toMatch(/\d+(\.\d)? – \d+/);
    await settle(page);
    await screenshot(page, artifacts, 'planner-3d-en');
    expect(errors).toEqual([]);
  });

  it('shows patrol coverage against risk per grid: residual colours, a ranked table, its CSV', async () => {
    const { page, errors } = await openPlanner('&pv=coverage&ptab=coverage');
    const rows = (await app(page, 'app.planner.coverage.data.rows')) as {
      key: string;
      residual: number;
      underPatrolled: boolean;
    }[];
    expect(rows.length).toBeGreaterThan(3);
    // the map: grids filled by their residual bin, under-patrolled ones solid
    const png = await mapOnly(page, 'planner-coverage-map-only');
    const colors: Record<string, Rgb> = {};
    RESIDUAL_HEX.forEach((h, i) => {
      colors[`solid${i}`] = over(hex(h), 235 / 255);
      colors[`light${i}`] = over(hex(h), 150 / 255);
    });
    const counts = await countColors(browser, png, colors, 14);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(counts)).toBeGreaterThan(2000);
    const drawnBins = RESIDUAL_HEX.filter((_, i) => counts[`solid${i}`] + counts[`light${i}`] > 50);
    expect(drawnBins.length, JSON.stringify(counts)).toBeGreaterThanOrEqual(2);
    if (rows.some((r) => r.underPatrolled))
      expect(counts.solid0 + counts.solid1, JSON.stringify(counts)).toBeGreaterThan(50);

    // the legend: numbers per bin and the method in words
    const legend = (await page.getByTestId('planner-legend-cells').textContent()) ?? '';
    expect(legend).toContain('皮尔逊残差');
    expect(legend).toContain('风险 = 工单数 + 3 × 隐患数');
    expect(legend).toContain('中位数');
    expect(legend).toContain('−4 – −2');

    // the table, most under-patrolled first: its first row has the lowest residual
    const table = page.getByTestId('coverage-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(rows.length);
    const header = (await table.locator('thead').textContent()) ?? '';
    for (const col of ['名次', '巡查', '时长', '工单', '隐患', '风险', '期望', '残差', '巡查不足'])
      expect(header).toContain(col);
    const residuals = (await table.locator('tbody tr td:nth-child(5)').allTextContents()).map(
      Number,
    );
    expect(residuals[0]).toBe(Math.min(...residuals));
    expect(residuals[0]).toBeCloseTo(Math.min(...rows.map((r) => r.residual)), 2);
    // a row flies to its grid
    await table.locator('tbody tr').first().locator('button').click();
    await expect.poll(() => app(page, 'app.planner.focus')).not.toBeNull();
    await settle(page);
    await screenshot(page, artifacts, 'planner-coverage-1920');
    expect(await axeViolations(page)).toEqual([]);

    // the CSV: the same rows in the same order
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-coverage-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^minqing-coverage-grids.*\.csv$/);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    const head = lines[0].split(',');
    expect(head).toEqual(expect.arrayContaining(['rank', 'key', 'patrols', 'risk', 'residual']));
    expect(lines.length - 1).toBe(rows.length);
    const key = head.indexOf('key');
    expect(lines[1].split(',')[key]).toBe(rows[0].key);
    expect(new URL(page.url()).searchParams.get('pv')).toBe('coverage');
    expect(errors).toEqual([]);
  });

  it('shows patrol coverage per H3 cell on a phone, without a serious accessibility finding', async () => {
    const { page, errors } = await openPlanner(
      '&pv=coverage&ptab=coverage&cov=h3&lang=en',
      { width: 390, height: 844 },
      'en-US',
    );
    const d = (await app(page, 'app.planner.coverage.data')) as { by: string; rows: unknown[] };
    expect(d.by).toBe('h3');
    expect(d.rows.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('planner-side').textContent()).toContain('Check-ins');
    await screenshot(page, artifacts, 'planner-coverage-390');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('colours a comparison by area on the map', async () => {
    const { page, errors } = await openPlanner('&pv=compare&by=area&ptab=compare');
    const rows = (await app(page, 'app.planner.compare.data.rows')) as { key: string }[];
    expect(rows.length).toBeGreaterThan(1);
    const png = await mapOnly(page, 'planner-compare-areas-map-only');
    const colors: Record<string, Rgb> = {};
    RATIO_HEX.forEach((h, i) => {
      colors[`sig${i}`] = over(hex(h), 230 / 255);
      colors[`faint${i}`] = over(hex(h), 70 / 255);
    });
    const counts = await countColors(browser, png, colors, 10);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(counts)).toBeGreaterThan(5000);
    const legend = (await page.getByTestId('planner-legend-cells').textContent()) ?? '';
    expect(legend).toContain(`${rows.length} 个区域`);
    await screenshot(page, artifacts, 'planner-compare-areas-1920');
    expect(errors).toEqual([]);
  });

  it('maps hot spots by area: a choropleth of the subdistricts, a legend in numbers, its CSV', async () => {
    const { page, errors } = await openPlanner('&hu=subdistrict&pc=count');
    const rows = (await app(page, 'app.planner.areaMap.data.rows')) as {
      id: number;
      name: string;
      count: number;
    }[];
    expect(rows.length).toBeGreaterThan(3);
    // the map: areas filled with the sequential bin colours
    const png = await mapOnly(page, 'planner-areas-map-only');
    const colors: Record<string, Rgb> = {};
    SEQ_HEX.forEach((h, i) => (colors[`bin${i}`] = over(hex(h), 210 / 255)));
    const counts = await countColors(browser, png, colors, 12);
    const drawn = SEQ_HEX.filter((_, i) => counts[`bin${i}`] > 200);
    expect(drawn.length, JSON.stringify(counts)).toBeGreaterThanOrEqual(3);

    // the legend: bin edges as numbers, the unit, the number of areas
    const legend = (await page.getByTestId('planner-legend-cells').textContent()) ?? '';
    expect(legend).toContain('街道');
    expect(legend).toMatch(/\d+ – \d+/);
    expect(legend).toContain('单位：件');
    expect(legend).toContain(`${rows.length} 个区域`);
    // the hot-spot class is for cells only: disabled, with a word why
    await expect
      .poll(() => page.getByTestId('planner-class-note').textContent())
      .toContain('六边形');
    expect(
      await page.getByTestId('planner-color').locator('option[value=class]').isDisabled(),
    ).toBe(true);

    // hovering an area names it with its figures; the side panel counts the areas
    const spot = await page.evaluate(() => {
      const m = (window as any).__minqing;
      const blockers = [
        ...document.querySelectorAll('.topbar, .p-left, .p-right, .p-time, .p-legend'),
      ].map((el) => el.getBoundingClientRect());
      for (let y = 120; y < innerHeight - 120; y += 40)
        for (let x = 360; x < innerWidth - 460; x += 40) {
          if (blockers.some((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom))
            continue;
          const picked = m.overlay.pickObject({ x, y, radius: 0, layerIds: ['cells'] });
          if (picked?.object?.title) return { x, y, name: picked.object.title as string };
        }
      return null;
    });
    expect(spot).not.toBeNull();
    await page.mouse.move(spot!.x, spot!.y);
    await expect.poll(() => page.getByTestId('tooltip').textContent()).toContain(spot!.name);
    const tip = (await page.getByTestId('tooltip').textContent()) ?? '';
    expect(tip).toMatch(/工单 \d+ 件/);
    expect(tip).toMatch(/住户 \d+ 户/);
    expect(tip).toContain('每百户');
    await page.mouse.move(5, 500);
    expect(await page.getByTestId('kpi-areas').textContent()).toBe(String(rows.length));

    // the unit round-trips in the URL; switching it from the controls asks for another level
    expect(new URL(page.url()).searchParams.get('hu')).toBe('subdistrict');
    await screenshot(page, artifacts, 'planner-areas-1920');
    expect(await axeViolations(page)).toEqual([]);

    // the CSV: the same query with format=csv, one row per area
    const href = await page.getByTestId('export-cells-csv').getAttribute('href');
    expect(href).toMatch(/\/api\/analytics\/areas\?.*level=subdistrict.*format=csv/);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-cells-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^minqing-areas-subdistrict.*\.csv$/);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0].split(',')).toEqual(
      expect.arrayContaining(['id', 'name', 'count', 'households', 'rate_per_100_households']),
    );
    expect(lines.length - 1).toBe(rows.length);
    expect(await page.getByTestId('export-cells-geojson').getAttribute('href')).toMatch(
      /format=geojson/,
    );

    // the PNG carries the legend: its bin colours at full strength in the bottom left
    const [image] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-png').click(),
    ]);
    await image.saveAs(`${artifacts}/planner-areas-export.png`);
    const stats = await pngStats(
      browser,
      readFileSync((await image.path())!),
      [SEQ_HEX[0], SEQ_HEX[SEQ_HEX.length - 1]].map(hex),
    );
    expect(
      stats.legendHits.every((n) => n > 20),
      JSON.stringify(stats),
    ).toBe(true);

    // by rate, then communities: the choropleth follows
    await page.getByTestId('planner-color').selectOption('rate');
    await page.getByTestId('planner-unit').selectOption('community');
    await expect
      .poll(() => app(page, 'app.planner.areaMap.data.rows.0.level'), { timeout: 30_000 })
      .toBe('community');
    await expect
      .poll(() => page.getByTestId('planner-legend-cells').textContent())
      .toContain('单位：件/百户');
    expect(new URL(page.url()).searchParams.get('hu')).toBe('community');
    expect(errors).toEqual([]);
  });

  it('fits a phone, a desk and a wall, in both languages, with no serious accessibility finding', async () => {
    const desk = await openPlanner();
    await screenshot(desk.page, artifacts, 'planner-1920');
    expect(await axeViolations(desk.page)).toEqual([]);
    await desk.page.context().close();

    const phone = await openPlanner('', { width: 390, height: 844 });
    await screenshot(phone.page, artifacts, 'planner-390');
    expect(await axeViolations(phone.page)).toEqual([]);
    await phone.page.context().close();

    const wall = await openPlanner('&lang=en', { width: 3840, height: 2160 }, 'en-US');
    await expect
      .poll(() => wall.page.getByTestId('planner-legend').textContent())
      .toContain('Hot spot');
    await screenshot(wall.page, artifacts, 'planner-3840');
    expect(await axeViolations(wall.page)).toEqual([]);
  });
});

/** Share of pixels that are not the background, and legend-swatch colour hits in the bottom left. */
async function pngStats(browser: Browser, png: Buffer, legendColors: Rgb[]) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ b64, legendColors }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        let non = 0;
        const hits = legendColors.map(() => 0);
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            const r = data[i];
            const g = data[i + 1];
            const b = data[i + 2];
            if (Math.abs(r - 7) + Math.abs(g - 18) + Math.abs(b - 31) > 12) non++;
            if (x < 360 && y > height * 0.3)
              legendColors.forEach((c, k) => {
                if (Math.abs(r - c[0]) <= 3 && Math.abs(g - c[1]) <= 3 && Math.abs(b - c[2]) <= 3)
                  hits[k]++;
              });
          }
        return { nonBackground: non / (width * height), legendHits: hits, width };
      },
      { b64: png.toString('base64'), legendColors },
    );
  } finally {
    await page.close();
  }
}
