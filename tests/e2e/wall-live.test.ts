/**
 * The wall as it runs for weeks, in Chromium whose own zone is UTC: it tours a playlist's scenes
 * by itself and a reload returns to the same scene; a new 重大 hazard flies the map there within
 * seconds; a day of city-scale events through its live stream leaves its heap flat; and a server
 * that stops shows the stale warning within 30 s and, restarted, clears it without a reload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlarmList, Playlist, WallHazards } from '../../server/contract/wall.ts';
import { axeViolations, launch, openPage, screenshot } from './browser.ts';
import { freePort, ROOT, startServer, type RunningServer } from './server.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const FULL_HD = { width: 1920, height: 1080 };
const UHD = { width: 3840, height: 2160 };

async function openWall(url: string, size = FULL_HD, signInAs = 'city') {
  const watched = await openPage(browser, url, 'zh-CN', {
    signInAs,
    timezoneId: 'UTC',
    viewport: size,
  });
  await watched.page.getByTestId('kpi-received').waitFor({ timeout: 60_000 });
  return watched;
}

/** Acknowledges every open alarm, as the city. */
async function ackOpenAlarms() {
  const { page: desk } = await openPage(browser, `${baseUrl}/`, 'zh-CN', { signInAs: 'city' });
  const api = desk.context().request;
  const open = (await (await api.get(`${baseUrl}/api/wall/alarms?hours=48`)).json()) as AlarmList;
  for (const a of open.items.filter((x) => x.acknowledgedAt === null))
    await api.post(`${baseUrl}/api/wall/alarms/${a.id}/ack`);
  await desk.context().close();
}

const sceneOf = (page: Page) => page.getByTestId('scene').getAttribute('data-scene');

describe('the tour', () => {
  for (const size of [FULL_HD, UHD])
    it(`advances through a playlist by itself, and a reload returns to the same scene, at ${size.width}×${size.height}`, async () => {
      // A playlist of its own with short dwells, so that the shared default is left alone.
      const { page } = await openPage(browser, `${baseUrl}/`, 'zh-CN', { signInAs: 'city' });
      const res = await page.context().request.post(`${baseUrl}/api/wall/playlists`, {
        data: {
          name: `e2e 轮播 ${Date.now()}`,
          scenes: [
            { id: 'city', kind: 'city', areaId: null, dwellSeconds: 5, title: null },
            { id: 'hazards', kind: 'hazards', areaId: null, dwellSeconds: 5, title: null },
            { id: 'whistles', kind: 'whistles', areaId: null, dwellSeconds: 60, title: null },
          ],
        },
      });
      expect(res.status()).toBe(201);
      const playlist = (await res.json()) as Playlist;
      // Alarms other tests or the deadline sweep raised would hold the tour: acknowledged first.
      await ackOpenAlarms();

      const { page: wall, errors } = await openWall(
        `${baseUrl}/wall?playlist=${playlist.id}`,
        size,
      );
      await expect.poll(() => sceneOf(wall)).toBe('city');
      expect(await wall.getByTestId('scene').innerText()).toContain('全市总览');
      await expect.poll(() => sceneOf(wall), { timeout: 12_000 }).toBe('hazards');
      await expect.poll(() => sceneOf(wall), { timeout: 12_000 }).toBe('whistles');
      // The map follows the tour.
      await expect
        .poll(() => wall.getByTestId('wall-map').getAttribute('data-scene'), { timeout: 15_000 })
        .toBe('whistles');
      await screenshot(wall, artifacts, `wall-tour-${size.width}`);
      await wall.reload({ waitUntil: 'domcontentloaded' });
      await wall.getByTestId('kpi-received').waitFor({ timeout: 60_000 });
      await expect.poll(() => sceneOf(wall)).toBe('whistles');
      expect(await axeViolations(wall)).toEqual([]);
      expect(errors).toEqual([]);
      await wall.context().close();
      // Later tests tour the default again.
      const gone = await page
        .context()
        .request.delete(`${baseUrl}/api/wall/playlists/${playlist.id}`);
      expect(gone.status()).toBe(204);
      await page.context().close();
    });
});

describe('alarms', () => {
  for (const size of [FULL_HD, UHD])
    it(`flies the map to a new 重大 hazard within seconds, shows its banner and who acknowledged it, at ${size.width}×${size.height}`, async () => {
      // Alarms other tests or the deadline sweep raised are acknowledged first: this one flies alone.
      await ackOpenAlarms();

      const { page: wall, errors } = await openWall(`${baseUrl}/wall?tour=off`, size);
      await wall.getByTestId('wall-map').waitFor();
      // The stream is open before the hazard is reported (the live status clears).
      await expect
        .poll(() => wall.evaluate(() => (window as any).__minqingStream.status))
        .toBe('open');

      const api = wall.context().request;
      const layer = (await (
        await api.get(`${baseUrl}/api/wall/layers/hazards`)
      ).json()) as WallHazards;
      expect(layer.lon.length).toBeGreaterThan(0);
      const position = [layer.lon[0]!, layer.lat[0]!];
      const created = await api.post(`${baseUrl}/api/hazards`, {
        data: { type: 'gas', severity: 'critical', description: 'e2e 燃气泄漏', position },
      });
      expect(created.status()).toBe(201);
      const t0 = Date.now();

      const banner = wall.getByTestId('alarm-banner');
      await banner.waitFor({ timeout: 10_000 });
      expect(await banner.innerText()).toContain('重大隐患');
      const map = wall.getByTestId('wall-map');
      await expect.poll(() => map.getAttribute('data-focus'), { timeout: 10_000 }).toBeTruthy();
      // The camera arrives at the hazard, zoomed in.
      await expect
        .poll(
          async () => {
            const [lon, lat, zoom] = ((await map.getAttribute('data-camera')) ?? '')
              .split(',')
              .map(Number);
            return (
              Math.abs(lon! - position[0]!) < 0.01 &&
              Math.abs(lat! - position[1]!) < 0.01 &&
              zoom! > 13
            );
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      expect(Date.now() - t0).toBeLessThan(15_000);
      await screenshot(wall, artifacts, `wall-alarm-${size.width}`);
      expect(await wall.getByTestId('alarm-list').innerText()).toContain('重大隐患');
      // A supervisor acknowledges it in the workspace: the wall says who, at once.
      const id = await banner.getAttribute('data-alarm');
      const ack = await api.post(`${baseUrl}/api/wall/alarms/${id}/ack`);
      expect(ack.status()).toBe(200);
      await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toContain('确认');
      expect(errors).toEqual([]);
      await wall.context().close();
    });
});

describe('a day of events', () => {
  it('leaves the heap flat', async () => {
    const { page: wall, errors } = await openWall(`${baseUrl}/wall?tour=off`, FULL_HD);
    await wall.getByTestId('wall-map').waitFor();
    const cdp = await wall.context().newCDPSession(wall);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    /**
     * Feeds `n` events through the stream's own receive path, as a city of several million sends
     * them in a day (tickets, hazards, whistles, patrol moves, alarms and acknowledgements), and
     * lets the page run its tour and alarm clock as if hours passed.
     */
    const feed = (n: number, offset: number) =>
      wall.evaluate(
        async ([n, offset]) => {
          const w = window as any;
          const stream = w.__minqingStream;
          const show = w.__minqingShow;
          const kinds = ['ticket', 'ticket', 'patrol', 'patrol', 'patrol', 'hazard', 'whistle'];
          const t0 = Date.now();
          for (let i = 0; i < n; i++) {
            const id = offset + i;
            stream.receive(
              'tick',
              JSON.stringify({
                kind: kinds[id % kinds.length],
                op: id % 3 ? 'updated' : 'created',
                status: 'accepted',
                category: 'parking',
                district: { id: 1 + (id % 5), name: '城关区' },
                position: [103.8 + (id % 100) / 1000, 36.05],
                at: new Date(t0 + i).toISOString(),
              }),
            );
            if (id % 500 === 0) {
              const alarm = {
                id: 1_000_000 + id,
                kind: 'whistle_late',
                district: { id: 1, name: '城关区' },
                place: `小区${id}`,
                category: null,
                severity: null,
                position: [103.8, 36.05],
                raisedAt: new Date().toISOString(),
                acknowledgedAt: null,
                acknowledgedBy: null,
              };
              stream.receive('alarm', JSON.stringify(alarm));
              stream.receive(
                'ack',
                JSON.stringify({
                  ...alarm,
                  acknowledgedAt: new Date().toISOString(),
                  acknowledgedBy: '测试（全市）',
                }),
              );
              show.tick(Date.now() + (id / 500) * 30_000);
            }
            if (id % 2000 === 0) await new Promise((r) => setTimeout(r, 0));
          }
        },
        [n, offset] as const,
      );

    // Warm-up: the ticker, the alarm list and the queue fill to their bounds.
    await feed(20_000, 0);
    await wall.waitForTimeout(1000);
    const before = await heap();
    // A day: some 5,000 tickets, 200 hazards, 100 whistles and 150,000 patrol moves in a city of
    // several million, with an alarm every 500 events.
    await feed(200_000, 20_000);
    await wall.waitForTimeout(1000);
    const after = await heap();
    const growth = (after - before) / before;
    console.log(
      `wall heap: ${(before / 1048576).toFixed(1)} MiB → ${(after / 1048576).toFixed(1)} MiB ` +
        `(${(growth * 100).toFixed(1)} %) over 200,000 events`,
    );
    expect(growth).toBeLessThanOrEqual(0.1);
    expect(await wall.locator('[data-testid=ticker] li').count()).toBeLessThanOrEqual(12);
    expect(errors).toEqual([]);
    await wall.context().close();
  });
});

describe('a server that stops and starts again', () => {
  let server: RunningServer;
  let dataDir: string;
  let port: number;
  const logFile = resolve(artifacts, 'server-restart.log');

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(resolve(ROOT, '.cache/e2e-restart-'));
    server = await startServer({ port, dataDir, logFile });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the stale warning within 30 s and clears it, without a reload, once back', async () => {
    const { page: wall } = await openWall(`${server.baseUrl}/wall?tour=off`, FULL_HD);
    await expect
      .poll(() => wall.evaluate(() => (window as any).__minqingStream.status))
      .toBe('open');
    const href = await wall.evaluate(() => location.href);
    // A marker that a reload would lose.
    await wall.evaluate(() => ((window as any).__sameDocument = true));

    await server.stop('SIGKILL');
    const stoppedAt = Date.now();
    await wall.getByTestId('stale').waitFor({ timeout: 30_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    await screenshot(wall, artifacts, 'wall-stale-1920');

    server = await startServer({ port, dataDir, logFile, append: true });
    await expect.poll(() => wall.getByTestId('stale').count(), { timeout: 45_000 }).toBe(0);
    await expect
      .poll(() => wall.evaluate(() => (window as any).__minqingStream.status))
      .toBe('open');
    expect(await wall.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await wall.evaluate(() => location.href)).toBe(href);
    await wall.context().close();
  });
});
