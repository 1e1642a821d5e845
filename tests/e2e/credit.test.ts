/**
 * 物业信用 in Chromium: the city opens the 红黑榜 of a month with a black list, drills from a
 * black-listed company to its factors and from its on-time factor to the tickets behind the score,
 * and opens one of them; the credit layer draws the managed compounds. Screenshots and axe at
 * each step.
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

async function cityCookie(): Promise<string> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'city', password: DEMO_PASSWORD }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function api<T>(path: string, cookie: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

const app = (page: Page, fn: string) =>
  page.evaluate(`(() => { const app = window.__minqing.app; return ${fn}; })()`);

describe('the 红黑榜', () => {
  it('the city drills from a black-listed company to the tickets behind its score', async () => {
    const cookie = await cityCookie();
    const periods = await api<{ published: string[] }>('/credit/periods', cookie);
    // The most recent published month with a black list.
    let month: string | null = null;
    let black: { companyId: number; name: string }[] = [];
    for (const p of periods.published) {
      const l = await api<{ black: { companyId: number; name: string }[] }>(
        `/credit/lists?period=${p}`,
        cookie,
      );
      if (l.black.length) {
        month = p;
        black = l.black;
        break;
      }
    }
    expect(month, 'a published month with a black list').not.toBeNull();

    const w = await openPage(browser, `${baseUrl}/?tab=credit`, 'zh-CN', {
      signInAs: 'city',
      viewport: { width: 1920, height: 1080 },
    });
    pages.push(w);
    const { page } = w;
    await settle(page);
    const panel = page.getByTestId('credit-panel');
    await panel.waitFor();
    await panel.getByLabel('月份').selectOption(month!);
    const table = panel.getByTestId('credit-black');
    await table.waitFor();
    await expect.poll(() => table.getByRole('button').count()).toBe(black.length);
    await settle(page);
    await screenshot(page, artifacts, 'credit-lists');
    expect(await axeViolations(page)).toEqual([]);

    await table.getByRole('button', { name: black[0]!.name }).click();
    await panel.getByRole('heading', { name: black[0]!.name }).waitFor();
    await panel.getByText('黑榜第', { exact: false }).first().waitFor();
    await panel.getByRole('button', { name: '派单按时办结率' }).click();
    const evidence = page.getByTestId('credit-evidence');
    await evidence.waitFor();
    const first = evidence.getByRole('button').first();
    await first.waitFor();
    const code = (await first.textContent())!.trim();
    await settle(page);
    await screenshot(page, artifacts, 'credit-company');
    expect(await axeViolations(page)).toEqual([]);

    await first.click();
    await expect.poll(() => app(page, 'app.detail.ticket?.code ?? null')).toBe(code);
    await settle(page);
    await screenshot(page, artifacts, 'credit-ticket');

    // The map layer: the managed compounds coloured by their company's grade.
    await page.locator('label:has([data-testid=layer-credit])').click();
    await expect
      .poll(() => app(page, "app.loaded('credit')?.compounds?.ids?.length ?? 0"))
      .toBeGreaterThan(100);
    await app(page, 'app.select(null)');
    await settle(page);
    await screenshot(page, artifacts, 'credit-layer');
    expect(w.errors).toEqual([]);
    expect(w.foreign()).toEqual([]);
  });

  it('a property company lands on its own page', async () => {
    const w = await openPage(browser, `${baseUrl}/?tab=credit`, 'zh-CN', { signInAs: 'property' });
    pages.push(w);
    await settle(w.page);
    const res = await w.page.context().request.get(`${baseUrl}/api/session`);
    const account = ((await res.json()) as { account: { scope: { name: string } } }).account;
    const panel = w.page.getByTestId('credit-panel');
    await panel.getByRole('heading', { name: account.scope.name }).waitFor();
    await panel.getByRole('button', { name: '派单按时办结率' }).click();
    await w.page.getByTestId('credit-evidence').waitFor();
    await settle(w.page);
    await screenshot(w.page, artifacts, 'credit-property');
    expect(await axeViolations(w.page)).toEqual([]);
  });

  it('passes axe at 390 and 3840 px', async () => {
    for (const [width, height] of [
      [390, 844],
      [3840, 2160],
    ] as const) {
      const w = await openPage(browser, `${baseUrl}/?tab=credit`, 'zh-CN', {
        signInAs: 'city',
        viewport: { width, height },
      });
      pages.push(w);
      await settle(w.page);
      await w.page
        .getByTestId('credit-black')
        .or(w.page.getByTestId('credit-red'))
        .first()
        .waitFor();
      await screenshot(w.page, artifacts, `credit-${width}`);
      expect(await axeViolations(w.page), `${width} px`).toEqual([]);
    }
  });
});
