/**
 * 四方联席会议 in Chromium: the community records an owner's proposal for one of its compounds
 * through the 议事协商 panel, the party organisation accepts it, a joint meeting (1+3+N) decides
 * it and the result is published; then a fresh browser context without a session sees the result
 * in the panel and on the proposal layer, without the proposer. Screenshots at each stage; axe
 * finds nothing serious at 390, 1920 and 3840 px.
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
const PHONE = { width: 390, height: 844 };
const WALL = { width: 3840, height: 2160 };

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

async function api<T>(path: string, cookie?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: cookie ? { cookie } : {} });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const stage = (page: Page) => page.textContent('[data-testid="deliberation-stage"]');

describe('deliberation', () => {
  it('an owner proposal goes through review, meeting and publication and shows on the public map', async () => {
    const me = await session('community');
    const cov = await api<{ children: { id: number; level: string }[] }>(
      `/party/coverage?area=${me.areaId}`,
      me.cookie,
    );
    const compoundId = cov.children.find((c) => c.level === 'compound')!.id;
    const title = `加装电梯议题${Date.now() % 100000}`;

    const w = await openPage(
      browser,
      `${baseUrl}/?area=${compoundId}&tab=deliberation&layers=areas,deliberation`,
      'zh-CN',
      { signInAs: 'community', viewport: DESK },
    );
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.waitForSelector('[data-testid="deliberation-new"]');
    const form = page.locator('[data-testid="deliberation-new"]');
    await form.locator('select').first().selectOption('elevator');
    await form.locator('input[name="title"]').fill(title);
    await form.locator('textarea[name="body"]').fill('3号楼老人多，建议加装电梯');
    await form.locator('input[name="proposerName"]').fill('王秀兰');
    await form.locator('input[name="proposerPhone"]').fill('13987654321');
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('[data-testid="deliberation-proposal"]');
    expect(await stage(page)).toContain('业主建议');
    expect(await page.textContent('[data-testid="deliberation-proposer"]')).toContain('王秀兰');
    await settle(page);
    await screenshot(page, artifacts, 'deliberation-submitted');
    expect(await axeViolations(page)).toEqual([]);

    // 党组织审议
    await page.click('[data-testid="deliberation-accept"]');
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="deliberation-stage"]')
        ?.textContent?.includes('待联席商议'),
    );
    // 联席商议: the 1+3+N at the table, minutes, decision, who and by when.
    const meeting = page.locator('[data-testid="deliberation-meeting"]');
    await meeting.locator('input[name="attendee-party"]').fill('社区党委书记 李明');
    await meeting.locator('input[name="attendee-committee"]').fill('业委会主任 赵强');
    await meeting.locator('input[name="attendee-company"]').fill('物业项目经理 陈芳');
    await meeting.locator('input[name="attendee-department"]').fill('街道城建办 刘伟');
    await meeting
      .locator('textarea[name="minutes"]')
      .fill('各方同意启动加装电梯，费用按楼层分摊。');
    await meeting.locator('input[name="decision"]').fill('启动3号楼加装电梯，征求全体业主意见');
    await meeting.locator('input[name="actionOwner"]').fill('街道城建办');
    await page.click('[data-testid="deliberation-decide"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="deliberation-stage"]')?.textContent?.includes('已议定'),
    );
    await settle(page);
    await screenshot(page, artifacts, 'deliberation-decided');

    // 结果公开
    await page.locator('textarea[name="result"]').fill('3号楼加装电梯方案已公示，业主同意率92%。');
    await page.click('[data-testid="deliberation-publish"]');
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="deliberation-stage"]')
        ?.textContent?.includes('结果公开'),
    );
    const steps = await page
      .locator('[data-testid="deliberation-timeline"] li b')
      .allTextContents();
    expect(steps).toEqual(['登记建议', '党组织审议通过', '联席会议议定', '结果公开']);
    await settle(page);
    await screenshot(page, artifacts, 'deliberation-published');
    expect(await axeViolations(page)).toEqual([]);

    // The three lists: a finished project shows its tickets before and after.
    const done = await api<{ items: { id: number }[] }>(
      `/deliberation/projects?area=${me.areaId}&status=done&limit=1`,
      me.cookie,
    );
    await page.click('[data-testid="deliberation-view-lists"]');
    await page.waitForSelector('[data-testid="deliberation-projects"] tbody tr');
    await settle(page);
    await screenshot(page, artifacts, 'deliberation-lists');
    expect(await axeViolations(page)).toEqual([]);
    if (done.items.length > 0) {
      await page.evaluate(() =>
        document
          .querySelector<HTMLButtonElement>('[data-testid="deliberation-projects"] tbody tr button')
          ?.click(),
      );
      await page.waitForSelector('[data-testid="deliberation-project"]');
      await settle(page);
      await screenshot(page, artifacts, 'deliberation-project');
      expect(await axeViolations(page)).toEqual([]);
    }

    // A fresh context without a session: the result in the panel and on the proposal layer.
    for (const [viewport, name] of [
      [PHONE, 'deliberation-public-390'],
      [DESK, 'deliberation-public-1920'],
      [WALL, 'deliberation-public-3840'],
    ] as const) {
      const pub = await openPage(
        browser,
        `${baseUrl}/?area=${compoundId}&tab=deliberation&layers=areas,deliberation`,
        'zh-CN',
        { viewport },
      );
      pages.push(pub);
      const p = pub.page;
      await settle(p);
      await p.waitForSelector(`[data-testid="deliberation-item"]:has-text("${title}")`);
      await p.waitForFunction(
        (id) =>
          !!(window as any).__minqing.app.mapData.deliberation?.features?.some(
            (f: any) =>
              f.properties.published > 0 && (f.id === id || f.properties.level !== 'compound'),
          ),
        compoundId,
      );
      const data = await p.evaluate(() => (window as any).__minqing.app.mapData.deliberation);
      expect(data.published).toBe(true);
      expect(data.features.every((f: any) => f.properties.total === f.properties.published)).toBe(
        true,
      );
      if (viewport === DESK) {
        await p.click(`[data-testid="deliberation-item"]:has-text("${title}")`);
        await p.waitForSelector('[data-testid="deliberation-result"]');
        expect(await p.textContent('[data-testid="deliberation-proposal"]')).not.toContain(
          '王秀兰',
        );
      }
      await settle(p);
      await screenshot(p, artifacts, name);
      expect(await axeViolations(p), name).toEqual([]);
      await p.context().close();
    }
  });
});
