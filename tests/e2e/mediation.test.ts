/**
 * 调解与服务 in Chromium: the public sees the service points layer; a mediator opens the tab with
 * the k-anonymous case layer (no drawn place under k, checked on the layer's data), opens one of
 * its open cases, sees its parties and moves it one step through the form; an official sees the
 * same case without its parties. Screenshots at 390, 1920 and 3840 px; axe finds nothing serious.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  axeViolations,
  DEMO_PASSWORD,
  launch,
  openPage,
  screenshot,
  settle,
  type Watched,
} from './browser.ts';

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

async function session(username: string) {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}

async function api<T>(path: string, cookie?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: cookie ? { cookie } : {} });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const layerData = (page: Page, id: string) =>
  page.evaluate((id) => (window as any).__minqing.app.mapData[id] ?? null, id);

describe('mediation and service points', () => {
  it('draws the service points for the public', async () => {
    const w = await openPage(browser, `${baseUrl}/?layers=areas,services`, 'zh-CN', {
      viewport: DESK,
    });
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.waitForFunction(
      () => ((window as any).__minqing.app.mapData.services?.features?.length ?? 0) > 0,
      undefined,
      { timeout: 60_000 },
    );
    const data = await layerData(page, 'services');
    const kinds = new Set(data.features.map((f: any) => f.properties.kind));
    expect(kinds.has('party_service')).toBe(true);
    expect(kinds.has('mediation_room')).toBe(true);
    await settle(page);
    await screenshot(page, artifacts, 'mediation-public-service-points');
    expect(await axeViolations(page)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('a mediator sees no place under k and moves one of its cases a step', async () => {
    const me = await session('mediator');
    // A fresh case of its own, in a compound where it has worked before: the newest of the list.
    const mine = await api<{ items: { compoundId: number }[] }>(
      '/mediation/cases?mine=true&limit=1',
      me.cookie,
    );
    const res = await fetch(`${baseUrl}/api/mediation/cases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', cookie: me.cookie },
      body: JSON.stringify({
        kind: 'dispute',
        category: 'leak',
        compoundId: mine.items[0]!.compoundId,
        summary: '楼上漏水致楼下墙面受损',
        parties: [
          { side: 'applicant', name: '赵一', phone: '13700000001' },
          { side: 'respondent', name: '钱二', phone: '13700000002' },
        ],
      }),
    });
    expect(res.status).toBe(201);
    const target = (await res.json()) as { id: number; code: string };
    const before = await api<{ status: string; nextSteps: string[]; outcomes: string[] }>(
      `/mediation/cases/${target.id}`,
      me.cookie,
    );
    const step = before.nextSteps.find((s) => s !== 'transferred' && s !== 'terminated')!;

    const w = await openPage(browser, `${baseUrl}/?tab=mediation&layers=areas,mediation`, 'zh-CN', {
      signInAs: 'mediator',
      viewport: DESK,
    });
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.waitForSelector('[data-testid="mediation-figures"]');
    await page.waitForFunction(() => !!(window as any).__minqing.app.mapData.mediation, undefined, {
      timeout: 60_000,
    });
    const map = await layerData(page, 'mediation');
    expect(map.k).toBe(5);
    expect(map.features.length).toBeGreaterThan(0);
    for (const f of map.features) expect(f.properties.count).toBeGreaterThanOrEqual(5);
    if (map.rest !== null) expect(map.rest === 0 || map.rest >= 5).toBe(true);
    await page.check('[data-testid="mediation-mine"]');
    await page.waitForSelector(`[data-testid="mediation-case-link"]:has-text("${target.code}")`);
    await settle(page);
    await screenshot(page, artifacts, 'mediation-mediator-list');
    expect(await axeViolations(page)).toEqual([]);

    await page.click(`[data-testid="mediation-case-link"]:has-text("${target.code}")`);
    await page.waitForSelector('[data-testid="mediation-parties"]');
    await page.selectOption('[data-testid="mediation-step"]', step);
    if (step === 'closed') {
      const outcome = before.outcomes.includes('success') ? 'success' : before.outcomes[0]!;
      await page.selectOption('[data-testid="mediation-outcome"]', outcome);
      if (outcome === 'success')
        await page.fill('[data-testid="mediation-agreement"]', '双方达成协议，按期履行');
    }
    const stepsBefore = (
      await api<{ steps: unknown[] }>(`/mediation/cases/${target.id}`, me.cookie)
    ).steps.length;
    await page.fill('[data-testid="mediation-note"]', '浏览器测试办理');
    await page.click('[data-testid="mediation-submit"]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="mediation-steps"] li').length === n,
      stepsBefore + 1,
    );
    const after = await api<{ status: string }>(`/mediation/cases/${target.id}`, me.cookie);
    expect(after.status).toBe(step);
    await settle(page);
    await screenshot(page, artifacts, 'mediation-mediator-case');
    expect(await axeViolations(page)).toEqual([]);
    expect(w.errors).toEqual([]);

    // An official reads the case without its parties.
    const city = await openPage(
      browser,
      `${baseUrl}/?tab=mediation&layers=areas,mediation`,
      'zh-CN',
      {
        signInAs: 'city',
        viewport: DESK,
      },
    );
    pages.push(city);
    await settle(city.page);
    await city.page.waitForSelector('[data-testid="mediation-cases"]');
    await city.page.click('[data-testid="mediation-case-link"] >> nth=0');
    await city.page.waitForSelector('[data-testid="mediation-parties-hidden"]');
    expect(await city.page.locator('[data-testid="mediation-parties"]').count()).toBe(0);
    expect(city.errors).toEqual([]);
  });

  for (const size of [
    { width: 390, height: 844 },
    { width: 3840, height: 2160 },
  ]) {
    it(`lays the 调解与服务 tab out at ${size.width} px without serious accessibility findings`, async () => {
      const w = await openPage(
        browser,
        `${baseUrl}/?tab=mediation&layers=areas,mediation,services`,
        'zh-CN',
        { signInAs: 'mediator-director', viewport: size },
      );
      pages.push(w);
      await settle(w.page);
      await w.page.waitForSelector('[data-testid="mediation-cases"]');
      await screenshot(w.page, artifacts, `mediation-director-${size.width}`);
      expect(await axeViolations(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);
    });
  }
});
