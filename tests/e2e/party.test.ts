/**
 * 党建引领 in Chromium: the community account opens the 党建 tab with the party coverage layer,
 * filters its gap list to buildings without a 党员中心户, opens one such compound from the list,
 * chooses a steward for an uncovered building, and the panel and the coverage layer both count
 * one more covered building. Screenshots at the desk size; axe finds nothing serious.
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
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { account } = (await res.json()) as { account: { scope: { id: number } } };
  return { cookie, areaId: account.scope.id };
}

async function api<T>(path: string, cookie: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** What the party layer holds for an area id (null: not loaded or not there). */
function layerFeature(page: Page, id: number) {
  return page.evaluate((id) => {
    const data = (window as any).__minqing.app.mapData.party;
    const f = data?.features?.find(
      (x: any) => x.properties.kind === 'area' && x.properties.id === id,
    );
    return f ? (f.properties as { buildingsWithSteward: number; openGaps: number }) : null;
  }, id);
}

describe('party gaps', () => {
  it('a community assigns a 党员中心户 to an uncovered building; panel and layer follow', async () => {
    const me = await session('community');
    // A compound of the community with a building that has no steward and a candidate for it.
    const gaps = await api<{ items: { compoundId: number; buildingId: number }[] }>(
      `/party/gaps?area=${me.areaId}&kind=no_building_steward&limit=200`,
      me.cookie,
    );
    let target: { compoundId: number; buildingId: number } | null = null;
    for (const g of gaps.items) {
      const tree = await api<{ candidates: unknown[] }>(
        `/party/tree?area=${g.compoundId}`,
        me.cookie,
      );
      if (tree.candidates.length > 0) {
        target = g;
        break;
      }
    }
    expect(target, 'an uncovered building with candidates in the community').not.toBeNull();
    const { compoundId, buildingId } = target!;

    const w = await openPage(
      browser,
      `${baseUrl}/?area=${me.areaId}&tab=party&layers=areas,party`,
      'zh-CN',
      { signInAs: 'community', viewport: DESK },
    );
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.waitForSelector('[data-testid="party-ranking"]');
    await page.selectOption('[data-testid="party-gap-kind"]', 'no_building_steward');
    await page.waitForSelector(`[data-testid="party-gap"][data-kind="no_building_steward"]`);
    await settle(page);
    await screenshot(page, artifacts, 'party-community-gaps');
    expect(await axeViolations(page)).toEqual([]);

    // Assign the first task of the list to someone (the form's due date defaults to a month on).
    const first = page.locator('[data-testid="party-gap"]').first();
    const firstId = await first.getAttribute('data-gap-id');
    await first.locator('[data-testid="party-assign"]').click();
    await first.locator('[data-testid="party-assignee"]').fill('李建华');
    await first.locator('button[type="submit"]').click();
    await page.waitForSelector(
      `[data-testid="party-gap"][data-gap-id="${firstId}"]:has-text("李建华")`,
    );

    // Open the compound from the map's data path (the ranking's drill does the same).
    await page.evaluate((id) => (window as any).__minqing.app.select(id), compoundId);
    const row = `[data-testid="party-building"][data-building-id="${buildingId}"]`;
    await page.waitForSelector(`${row}[data-covered="false"]`);
    await settle(page);
    await page.waitForFunction(
      (id) =>
        !!(window as any).__minqing.app.mapData.party?.features?.some(
          (x: any) => x.properties.kind === 'area' && x.properties.id === id,
        ),
      compoundId,
    );
    const before = await layerFeature(page, compoundId);
    expect(before).not.toBeNull();
    const shareBefore = await page.textContent('[data-testid="party-steward-share"]');
    await screenshot(page, artifacts, 'party-compound-before');

    const select = page.locator(`${row} [data-testid="party-steward-choice"]`);
    const firstCandidate = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(firstCandidate!);
    await page.click(`${row} [data-testid="party-steward-set"]`);
    await page.waitForSelector(`${row}[data-covered="true"]`);
    await page.waitForFunction(
      ([id, n]) => {
        const f = (window as any).__minqing.app.mapData.party?.features?.find(
          (x: any) => x.properties.kind === 'area' && x.properties.id === id,
        );
        return f && f.properties.buildingsWithSteward === n;
      },
      [compoundId, before!.buildingsWithSteward + 1] as const,
    );
    const after = await layerFeature(page, compoundId);
    expect(after!.buildingsWithSteward).toBe(before!.buildingsWithSteward + 1);
    expect(after!.openGaps).toBe(before!.openGaps - 1);
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="party-steward-share"]')?.textContent !== prev,
      shareBefore,
    );
    await settle(page);
    await screenshot(page, artifacts, 'party-compound-after');
    expect(await axeViolations(page)).toEqual([]);

    // The server agrees: the building's gap task closed as filled.
    const open = await api<{ items: { buildingId: number }[] }>(
      `/party/gaps?area=${compoundId}&kind=no_building_steward`,
      me.cookie,
    );
    expect(open.items.some((g) => g.buildingId === buildingId)).toBe(false);
    expect(w.errors).toEqual([]);
  });

  for (const size of [
    { width: 390, height: 844 },
    { width: 3840, height: 2160 },
  ]) {
    it(`lays the 党建 tab out at ${size.width} px without serious accessibility findings`, async () => {
      const me = await session('community');
      const w = await openPage(
        browser,
        `${baseUrl}/?area=${me.areaId}&tab=party&layers=areas,party`,
        'zh-CN',
        { signInAs: 'community', viewport: size },
      );
      pages.push(w);
      await settle(w.page);
      await w.page.waitForSelector('[data-testid="party-gaps"]');
      await screenshot(w.page, artifacts, `party-community-${size.width}`);
      expect(await axeViolations(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);
    });
  }
});
