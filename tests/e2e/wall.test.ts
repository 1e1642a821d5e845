/**
 * The command-center wall (web/wall.html) in Chromium whose own zone is UTC: signed in as the
 * city, at 1920×1080 and 3840×2160 (and a tiled 7680×2160 canvas), its figures match
 * /api/wall/summary, its type is large enough to read across a room, its panels do not overlap,
 * its clock shows Beijing time; a failed refresh raises the stale warning and the next good one
 * clears it; without a session it says where to sign in.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WallSummary } from '../../server/contract/wall.ts';
import { axeViolations, launch, openPage, screenshot } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function openWall(size: { width: number; height: number }, signInAs?: string) {
  const watched = await openPage(browser, `${baseUrl}/wall`, 'zh-CN', {
    signInAs,
    timezoneId: 'UTC',
    viewport: size,
  });
  return watched;
}

async function summary(page: Page): Promise<WallSummary> {
  const res = await page.context().request.get(`${baseUrl}/api/wall/summary`);
  expect(res.status()).toBe(200);
  return (await res.json()) as WallSummary;
}

const text = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .innerText()
    .then((s) => s.trim());

const count = (n: number) => n.toLocaleString('zh-CN');
const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const score = (s: number | null) => (s === null ? '—' : s.toFixed(2));

/** Font sizes (px) of the KPI values and labels, and the panels' boxes. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const px = (sel: string) =>
      [...document.querySelectorAll(sel)].map((e) => parseFloat(getComputedStyle(e).fontSize));
    const boxes = [...document.querySelectorAll('[data-panel]')].map((e) => {
      const r = e.getBoundingClientRect();
      return {
        name: `${e.getAttribute('data-panel')}:${e.getAttribute('data-kpi') ?? ''}`,
        x: r.x,
        y: r.y,
        w: r.width,
        h: r.height,
        // content cut off inside a panel would be as unreadable as an overlap
        clipped: e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1,
      };
    });
    return {
      values: px('.kpi-value'),
      labels: px('.kpi-label'),
      boxes,
      scroll: {
        w: document.documentElement.scrollWidth,
        h: document.documentElement.scrollHeight,
      },
    };
  });
}

function overlaps(boxes: { name: string; x: number; y: number; w: number; h: number }[]) {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (dx > 0.5 && dy > 0.5) found.push(`${a.name} × ${b.name}`);
    }
  return found;
}

/** The clock's 'YYYY/MM/DD HH:mm:ss' read as Beijing time, as epoch ms. */
function clockInstant(shown: string): number {
  const m = /(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(shown);
  if (!m) throw new Error(`no clock in ${shown}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
}

describe('command-center wall', () => {
  for (const [width, height, minValue, minLabel] of [
    [1920, 1080, 40, 16],
    [3840, 2160, 80, 32],
    [7680, 2160, 80, 32],
  ] as const) {
    it(`reads from across the room at ${width}×${height}`, async () => {
      const { page, errors, foreign } = await openWall({ width, height }, 'city');
      await page.getByTestId('kpi-received').waitFor({ timeout: 60_000 });
      const s = await summary(page);

      expect(await text(page, 'kpi-received')).toBe(count(s.received.today));
      expect(await text(page, 'kpi-open')).toBe(count(s.city.open));
      expect(await text(page, 'kpi-overdue')).toBe(count(s.city.overdue));
      expect(await text(page, 'kpi-on-time')).toBe(rate(s.city.onTimeRate));
      expect(await text(page, 'kpi-satisfaction')).toBe(score(s.city.satisfaction));
      expect(await text(page, 'kpi-whistle-awaiting')).toBe(count(s.whistles.awaitingReport));
      expect(await text(page, 'kpi-whistle-late')).toBe(count(s.whistles.lateReportIns));
      expect(await text(page, 'kpi-hazard-overdue')).toBe(count(s.hazards.overdue));
      for (const sev of ['critical', 'high', 'medium', 'low'] as const)
        expect(await text(page, `hazard-${sev}`)).toBe(count(s.hazards.bySeverity[sev]));
      expect(await text(page, 'rating-red')).toBe(count(s.ratings.red));
      expect(await text(page, 'rating-yellow')).toBe(count(s.ratings.yellow));
      expect(await text(page, 'rating-blue')).toBe(count(s.ratings.blue));

      const avg = s.received.sameWeekdayAverage;
      const trendText = await text(page, 'trend');
      if (avg > 0) {
        const p = Math.round(((s.received.today - avg) / avg) * 100);
        expect(trendText).toContain(p > 0 ? `↑` : p < 0 ? '↓' : '→');
        if (p !== 0) expect(trendText).toContain(`${Math.abs(p)}%`);
      }

      // The district table: headers, then one row per district in the API's order.
      const headers = await page.locator('[data-testid=districts] thead th').allInnerTexts();
      expect(headers.map((h) => h.trim())).toEqual([
        '区',
        '受理',
        '待办',
        '超期',
        '按期率',
        '满意度',
      ]);
      const rows = await page
        .locator('[data-testid=districts] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())),
        );
      expect(rows).toEqual(
        s.districts.map((d) => [
          d.name,
          count(d.received),
          count(d.open),
          count(d.overdue),
          rate(d.onTimeRate),
          score(d.satisfaction),
        ]),
      );
      if (s.ratings.redList.length > 0) {
        const names = await page.locator('[data-testid=red-list] .rl-name').allInnerTexts();
        // The ten lowest scores: the map takes the middle of the wall.
        expect(names).toEqual(s.ratings.redList.slice(0, 10).map((c) => c.name));
      }
      const points = await page
        .locator('[data-testid=sparkline] polyline.line')
        .getAttribute('points');
      expect(points?.trim().split(' ')).toHaveLength(s.received.sparkline.length);

      const m = await measure(page);
      expect(m.values.length).toBe(8);
      for (const v of m.values) expect(v).toBeGreaterThanOrEqual(minValue);
      for (const l of m.labels) expect(l).toBeGreaterThanOrEqual(minLabel);
      expect(overlaps(m.boxes)).toEqual([]);
      expect(m.boxes.filter((b) => b.clipped).map((b) => b.name)).toEqual([]);
      for (const b of m.boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.x + b.w).toBeLessThanOrEqual(width + 0.5);
        expect(b.y + b.h).toBeLessThanOrEqual(height + 0.5);
      }
      expect(m.scroll).toEqual({ w: width, h: height });
      // The map's legend is as legible as the labels, and nothing over the map hides its centre.
      await page.getByTestId('legend').waitFor();
      const over = await page.evaluate(() => {
        const map = document.querySelector('[data-panel=map]')!.getBoundingClientRect();
        const [cx, cy] = [map.x + map.width / 2, map.y + map.height / 2];
        return {
          legend: [...document.querySelectorAll('.legend dt, .legend dd')].map((e) =>
            parseFloat(getComputedStyle(e).fontSize),
          ),
          onCentre: [...document.querySelectorAll('.legend, .scene-chip, .alarm-banner, .replay')]
            .filter((e) => {
              const r = e.getBoundingClientRect();
              return cx >= r.left && cx <= r.right && cy >= r.top && cy <= r.bottom;
            })
            .map((e) => e.className),
        };
      });
      expect(over.legend.length).toBeGreaterThan(0);
      for (const px of over.legend) expect(px).toBeGreaterThanOrEqual(minLabel);
      expect(over.onCentre).toEqual([]);

      // Beijing time, although the browser's own zone is UTC.
      const shown = await text(page, 'clock');
      expect(Math.abs(clockInstant(shown) - Date.now())).toBeLessThan(5000);
      const asOf = await text(page, 'as-of');
      const bj = new Date(Date.parse(s.asOf) + 8 * 3600_000).toISOString().slice(11, 19);
      expect(asOf).toMatch(/^数据截至 \d{2}:\d{2}:\d{2}$/);
      // The page's own answer may be a cache refresh older than the test's: same hour, at least.
      expect(asOf.slice(5, 7)).toBe(bj.slice(0, 2));
      await expect.poll(() => page.getByTestId('stale').count()).toBe(0);

      if (width !== 7680) await screenshot(page, artifacts, `wall-${width}`);
      else await screenshot(page, artifacts, 'wall-7680');
      expect(await axeViolations(page)).toEqual([]);
      expect(foreign()).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('warns when a refresh fails and clears the warning when one succeeds', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 }, 'city');
    await page.getByTestId('kpi-received').waitFor({ timeout: 60_000 });
    const before = await page.evaluate(() => location.href);
    await page.route('**/api/wall/summary', (route) => route.fulfill({ status: 503, body: '' }));
    await page.evaluate(() => (window as any).__minqingWall.refresh());
    await expect.poll(() => page.getByTestId('stale').count()).toBe(1);
    expect(await text(page, 'stale')).toContain('刷新失败');
    // The last good figures stay on the wall while it retries.
    await expect.poll(() => page.getByTestId('kpi-received').count()).toBe(1);
    await page.unroute('**/api/wall/summary');
    // The backoff retries by itself (2 s, then 4 s): no reload, no click.
    await expect.poll(() => page.getByTestId('stale').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.evaluate(() => location.href)).toBe(before);
    await page.context().close();
  });

  it('says where to sign in when there is no session', async () => {
    const { page, errors } = await openWall({ width: 1920, height: 1080 });
    await page.getByTestId('wall-auth').waitFor({ timeout: 30_000 });
    expect(await text(page, 'wall-auth')).toContain('全市指挥中心');
    expect(await page.locator('[data-testid=wall-auth] a').getAttribute('href')).toBe('/');
    const size = await page.evaluate(() =>
      parseFloat(getComputedStyle(document.querySelector('.auth h1')!).fontSize),
    );
    expect(size).toBeGreaterThanOrEqual(60);
    await screenshot(page, artifacts, 'wall-signed-out');
    expect(await axeViolations(page)).toEqual([]);
    // The 401 itself is the only console error a browser logs.
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([]);
    await page.context().close();
  });

  it('speaks English with ?lang=en', async () => {
    const { page } = await openPage(browser, `${baseUrl}/wall?lang=en`, 'zh-CN', {
      signInAs: 'district',
      timezoneId: 'UTC',
      viewport: { width: 1920, height: 1080 },
    });
    await page.getByTestId('kpi-received').waitFor({ timeout: 60_000 });
    expect(await page.locator('.kpi-label').first().innerText()).toBe('Received today');
    expect(await text(page, 'as-of')).toMatch(/^Data as of \d{2}:\d{2}:\d{2}$/);
    await page.context().close();
  });
});
