/**
 * 财务公开 in Chromium: the property company opens one of its compounds in the 财务公开 tab,
 * imports a month's ledger CSV with one bad row (refused, that row named, nothing written),
 * fixes the row, imports and publishes it; the public then reads the published ledger in the
 * panel and sees the compound's status on the disclosure layer. Screenshots at the desk size;
 * axe finds nothing serious at 390, 1920 and 3840 px.
 */
import type { Browser } from 'playwright-core';
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
  return { cookie, scopeId: account.scope.id };
}

async function api<T>(path: string, cookie?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: cookie ? { cookie } : {} });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Month {
  period: string;
  status: string | null;
  published: { id: number } | null;
  draft: { id: number } | null;
}

/** The expected console noise of a refused import: the browser logs the 400 itself. */
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/status of 400/.test(e) && !/Failed to load resource/.test(e));

function csvOf(month: string, bad: boolean) {
  return [
    '类别,对方单位,金额（元）,日期,备注',
    `物业费应收,全体业主,120000.00,${month}-01,当月应收`,
    `物业费实收,业主缴费,104500.00,${month}-25,`,
    `停车收益,车位承租业主,${bad ? '八千' : '8000'},${month}-26,地面停车位`,
    `保洁,兰州洁美保洁服务有限公司,26000,${month}-28,保洁外包服务费`,
    `安保,兰州金盾保安服务有限公司,28800,${month}-28,"秩序维护,夜间巡逻"`,
    `公共能耗,国网兰州供电公司,9300.40,${month}-22,公共照明及水泵电费`,
  ].join('\r\n');
}

describe('ledger import', () => {
  it('a company imports a CSV with one bad row (refused, row named), fixes it, publishes; the public sees it', async () => {
    const me = await session('property');
    // One of its compounds with a finished month not yet published (pending first: on time).
    const page0 = await api<{ compounds: { id: number }[] }>(
      `/credit/companies/${me.scopeId}`,
      me.cookie,
    );
    const currentMonth = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
    let target: { compound: number; month: Month } | null = null;
    for (const c of page0.compounds.slice(0, 40)) {
      const m = await api<{ months: Month[] }>(`/ledgers/compounds/${c.id}`, me.cookie);
      const open = m.months.filter(
        (x) => !x.published && !x.draft && x.period.slice(0, 7) < currentMonth,
      );
      const pick = open.find((x) => x.status === 'pending') ?? open[0];
      if (pick) {
        target = { compound: c.id, month: pick };
        break;
      }
    }
    expect(
      target,
      'a finished month of one of its compounds with nothing published',
    ).not.toBeNull();
    const { compound } = target!;
    const period = target!.month.period;
    const month = period.slice(0, 7);

    const w = await openPage(
      browser,
      `${baseUrl}/?area=${compound}&tab=ledgers&layers=areas,disclosure`,
      'zh-CN',
      { signInAs: 'property', viewport: DESK },
    );
    pages.push(w);
    const { page } = w;
    await settle(page);
    await page.waitForSelector('[data-testid="ledgers-months"]');
    await page.selectOption('[data-testid="ledgers-month"]', period);
    await page.waitForSelector(`[data-testid="ledgers-import"]:has-text("${month}")`);

    // A file with one bad amount on line 4: refused, that row named, nothing written.
    await page.setInputFiles('[data-testid="ledgers-file"]', {
      name: `ledger-${month}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvOf(month, true))]),
    });
    await page.click('[data-testid="ledgers-do-import"]');
    await page.waitForSelector('[data-testid="ledgers-rejected"]');
    const bad = await page.locator('[data-testid="ledgers-bad-row"]').allTextContents();
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^4/);
    expect(bad[0]).toContain('金额');
    const after = await api<{ months: Month[] }>(`/ledgers/compounds/${compound}`, me.cookie);
    expect(after.months.find((x) => x.period === period)!.draft).toBeNull();
    await page.locator('[data-testid="ledgers-rejected"]').scrollIntoViewIfNeeded();
    await settle(page);
    await screenshot(page, artifacts, 'ledgers-import-refused');
    expect(await axeViolations(page)).toEqual([]);

    // Fixed: imported as a draft (the flags computed), then published.
    await page.setInputFiles('[data-testid="ledgers-file"]', {
      name: `ledger-${month}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csvOf(month, false)),
    });
    await page.click('[data-testid="ledgers-do-import"]');
    await page.waitForSelector('[data-testid="ledger-draft"]');
    expect(await page.locator('[data-testid="ledgers-rejected"]').count()).toBe(0);
    await page.click('[data-testid="ledgers-publish"]');
    await page.waitForSelector('[data-testid="ledger-published"]');
    await page.waitForSelector('[data-testid="ledgers-done"]');
    const status = await page.textContent('[data-testid="ledgers-month-status"]');
    expect(['按期公开', '逾期公开']).toContain(status?.trim());
    await settle(page);
    await screenshot(page, artifacts, 'ledgers-published');
    expect(await axeViolations(page)).toEqual([]);
    expect(unexpected(w.errors)).toEqual([]);

    // The public: the panel shows the published ledger, the layer the compound's status.
    const pub = await openPage(
      browser,
      `${baseUrl}/?area=${compound}&tab=ledgers&layers=areas,disclosure`,
      'zh-CN',
      { viewport: DESK },
    );
    pages.push(pub);
    await settle(pub.page);
    await pub.page.waitForSelector('[data-testid="ledgers-months"]');
    await pub.page.selectOption('[data-testid="ledgers-month"]', period);
    const detail = `[data-testid="ledgers-month-detail"][aria-label="${month}"]`;
    await pub.page.waitForSelector(`${detail} [data-testid="ledger-published"]`);
    expect(
      await pub.page.locator(`${detail} [data-testid="ledger-published"] tbody tr`).count(),
    ).toBe(6);
    expect(await pub.page.locator('[data-testid="ledgers-import"]').count()).toBe(0);
    await pub.page.waitForFunction(
      ([id]) => {
        const d = (window as any).__minqing.app.mapData.disclosure;
        const i = d?.compounds?.ids?.indexOf(id) ?? -1;
        return i >= 0 && ['on_time', 'late'].includes(d.compounds.status[i]);
      },
      [compound] as const,
      { timeout: 60_000 },
    );
    await settle(pub.page);
    await screenshot(pub.page, artifacts, 'ledgers-public');
    expect(await axeViolations(pub.page)).toEqual([]);
    expect(pub.errors).toEqual([]);
  });

  for (const size of [
    { width: 390, height: 844 },
    { width: 3840, height: 2160 },
  ]) {
    it(`lays the 财务公开 tab out at ${size.width} px without serious accessibility findings`, async () => {
      const w = await openPage(
        browser,
        `${baseUrl}/?tab=ledgers&layers=areas,disclosure`,
        'zh-CN',
        {
          viewport: size,
        },
      );
      pages.push(w);
      await settle(w.page);
      await w.page.waitForSelector('[data-testid="ledgers-children"]');
      await screenshot(w.page, artifacts, `ledgers-public-${size.width}`);
      expect(await axeViolations(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);
    });
  }
});
