/**
 * 红黄蓝 explained and followed up, in Chromium: a supervisor opens a red compound of its area in
 * the 三色评估 tab, reads the indicator table, drills into an indicator's tickets and opens one,
 * then creates a 包抓落实 plan; the area summary above it lists the red compounds with their plans.
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

let browser: Browser;
const pages: Watched[] = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const w of pages) if (!w.page.isClosed()) await w.page.context().close();
  await browser?.close();
});

async function cookieOf(username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function api<T>(method: string, path: string, cookie: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface RedRow {
  compoundId: number;
  name: string;
  plan: { id: number; status: string } | null;
}

/**
 * A supervisor with a red compound in its area (the community, else the levels above), and that
 * compound freed of any open plan so that a new one can be made.
 */
async function redCompoundOfASupervisor() {
  for (const user of ['community', 'subdistrict', 'district']) {
    const cookie = await cookieOf(user);
    const s = await api<{ redList: RedRow[] }>('GET', '/ratings/summary', cookie);
    // One with tickets to drill into: the worst first.
    for (const r of s.redList) {
      const ex = await api<{ context: { tickets: number }; redRecently: boolean }>(
        'GET',
        `/ratings/compounds/${r.compoundId}`,
        cookie,
      );
      if (ex.context.tickets === 0) continue;
      if (r.plan?.status === 'open')
        await api('POST', `/ratings/followups/${r.plan.id}/close`, cookie, {
          status: 'cancelled',
          outcome: '浏览器测试：重新制定方案',
        });
      return { user, compound: r };
    }
  }
  throw new Error('no supervisor has a red compound with tickets');
}

async function shot(page: Page, name: string) {
  await settle(page);
  await screenshot(page, artifacts, name);
}

describe('红黄蓝 explained and followed up', () => {
  let w: Watched;
  let target: { user: string; compound: RedRow };

  it('shows a supervisor the summary of its area with the red list and plan status', async () => {
    target = await redCompoundOfASupervisor();
    w = await openPage(browser, `${baseUrl}/?tab=ratings`, 'zh-CN', { signInAs: target.user });
    pages.push(w);
    const { page } = w;
    await settle(page);
    await expect.poll(() => page.getByTestId('ratings-summary').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('red-compound').count()).toBeGreaterThan(0);
    await shot(page, 'ratings-summary');
    expect(await axeViolations(page)).toEqual([]);
    // The follow-up layer rings the red compounds by their plan's state.
    await page.getByTestId('layer-followups').check({ force: true });
    await expect
      .poll(() =>
        page.evaluate(
          () => (window as any).__minqing.app.loaded('followups')?.compounds.ids.length ?? -1,
        ),
      )
      .toBeGreaterThan(0);
    await shot(page, 'ratings-layer');
    await page.getByTestId('layer-followups').uncheck({ force: true });
  });

  it('explains a red compound: colour, indicators with weights and deductions, 12 months', async () => {
    const { page } = w;
    await page.goto(`${baseUrl}/?area=${target.compound.compoundId}&tab=ratings`);
    await settle(page);
    const head = page.getByTestId('ratings-compound');
    await expect.poll(() => head.textContent()).toContain(target.compound.name);
    await expect.poll(() => head.textContent()).toContain('红色');
    const rows = page.getByTestId('ratings-indicators').locator('tbody tr');
    expect(await rows.count()).toBe(8);
    await expect
      .poll(() => page.getByTestId('ratings-history').locator('button').count())
      .toBeGreaterThan(1);
    await shot(page, 'ratings-compound');
  });

  it('drills into an indicator’s tickets and opens one', async () => {
    const { page } = w;
    await page.getByTestId('drill-loadVsCity').click();
    const ev = page.getByTestId('ratings-evidence');
    await expect.poll(() => ev.getByTestId('evidence-ticket').count()).toBeGreaterThan(0);
    await ev.getByTestId('evidence-ticket').first().click();
    await expect.poll(() => page.getByTestId('ticket-card').isVisible()).toBe(true);
    await shot(page, 'ratings-evidence');
  });

  it('creates a follow-up plan for the red compound', async () => {
    const { page, errors } = w;
    await page.getByTestId('followup-new').click();
    await page.getByTestId('cadre-name').fill('王建华');
    await page.getByTestId('followup-plan').fill('成立整改专班，限期办结超期诉求，排查整治隐患');
    await page.getByTestId('followup-steps').fill('摸排问题建立台账\n召开四方联席会议\n回访群众');
    await page.getByTestId('followup-create').click();
    const block = page.getByTestId('followups');
    await expect.poll(() => block.textContent()).toContain('王建华');
    await expect.poll(() => block.textContent()).toContain('0/3');
    // The new plan's first step, ticked.
    const first = block.locator('input[type="checkbox"]').first();
    await first.check();
    await expect.poll(() => block.textContent()).toContain('1/3');
    await shot(page, 'ratings-followup');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  for (const size of [
    { width: 390, height: 844 },
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
  ]) {
    it(`passes axe at ${size.width} px with the compound explained`, async () => {
      const v = await openPage(
        browser,
        `${baseUrl}/?area=${target.compound.compoundId}&tab=ratings&lang=en`,
        'en-US',
        { signInAs: target.user, viewport: size },
      );
      pages.push(v);
      await settle(v.page);
      await expect.poll(() => v.page.getByTestId('ratings-compound').count()).toBe(1);
      await shot(v.page, `ratings-${size.width}`);
      expect(await axeViolations(v.page)).toEqual([]);
      await v.page.context().close();
    });
  }
});
