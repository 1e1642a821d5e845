/**
 * Account management in Chromium: the sign-in dialog of the embedded demo offers the demo
 * accounts; the city opens 账号管理 from its account menu and creates an account for a community;
 * signed in as that account, the workspace shows that community and only its tickets; the account
 * changes its own password. The dialogs pass axe (WCAG 2 A and AA).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEMO_PASSWORD,
  launch,
  openPage,
  screenshot,
  settle,
  type Watched,
  axeWithin,
} from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');
const tag = Date.now().toString(36).slice(-6);
const USERNAME = `e2e-sq-${tag}`;
const PASSWORD = 'Lanzhou-Yellow-River-1';
const NEW_PASSWORD = 'Baita-Shan-Park-22';

let browser: Browser;
let w: Watched;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  if (w && !w.page.isClosed()) await w.page.context().close();
  await browser?.close();
});

async function api<T>(path: string, cookie?: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api${path}`, { headers: cookie ? { cookie } : {} });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function session(username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username}: ${res.status}`);
  return {
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!,
    account: ((await res.json()) as { account: any }).account,
  };
}

const app = (page: Page, fn: string) =>
  page.evaluate(`(() => { const app = window.__minqing.app; return ${fn}; })()`);

async function signInThroughDialog(page: Page, username: string, password: string) {
  await page.getByTestId('signin-open').click();
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-name').waitFor();
}

describe('account management', () => {
  let community: { id: number; name: string };

  it('offers the demo accounts on the sign-in dialog of the embedded demo', async () => {
    community = (await session('community', DEMO_PASSWORD)).account.scope;
    w = await openPage(browser, `${baseUrl}/`);
    const { page } = w;
    await settle(page);
    await page.getByTestId('signin-open').click();
    const notice = page.getByTestId('signin-demo');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /演示账号（仅内置演示库）：city、district.*Minqing@2026/,
    );
    expect(await axeWithin(page, '[data-testid="signin-dialog"]')).toEqual([]);
    await screenshot(page, artifacts, 'a01-signin-demo-notice');
    await page.keyboard.press('Escape');
  });

  it('the city creates an account for a community from its account menu', async () => {
    const { page } = w;
    await signInThroughDialog(page, 'city', DEMO_PASSWORD);
    await settle(page);
    await page.getByTestId('account-info').click();
    await page.getByTestId('account-admin-open').click();
    const dialog = page.getByTestId('account-admin');
    await dialog.waitFor();
    await expect.poll(() => page.getByTestId('account-row').count()).toBeGreaterThan(10);
    const demoRow = page.locator('[data-testid="account-row"][data-username="community"]');
    expect(await demoRow.textContent()).toContain('演示');

    await page.getByTestId('account-new').click();
    await page.getByTestId('account-username').fill(USERNAME);
    await page.getByTestId('account-display-name').fill(`${community.name} 测试书记`);
    await page.getByTestId('account-role-select').selectOption('community');
    await page.getByTestId('area-search').fill(community.name);
    const option = page.locator(`[data-testid="area-option"][data-id="${community.id}"]`);
    await option.click();
    await expect
      .poll(() => page.getByTestId('area-chosen').getAttribute('data-id'))
      .toBe(String(community.id));
    // The form says why a weak password cannot be used before the server is asked.
    await page.getByTestId('account-password').fill('short');
    expect(await page.getByTestId('account-create').isDisabled()).toBe(true);
    await page.getByTestId('account-password').fill(PASSWORD);
    expect(await axeWithin(page, '[data-testid="account-admin"]')).toEqual([]);
    await screenshot(page, artifacts, 'a02-city-new-account-form');
    await page.getByTestId('account-create').click();

    await expect.poll(() => page.getByTestId('account-message').textContent()).toContain(USERNAME);
    const row = page.locator(`[data-testid="account-row"][data-username="${USERNAME}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(community.name);
    await screenshot(page, artifacts, 'a03-city-account-created');

    // The audit log has it, by the city, filed under the community.
    const city = await session('city', DEMO_PASSWORD);
    const audit = await api<{ items: { action: string; actor: string }[] }>(
      `/audit?entity=account&action=account.create&area=${community.id}&limit=5`,
      city.cookie,
    );
    expect(audit.items[0]).toMatchObject({ action: 'account.create', actor: 'city' });

    await page.getByTestId('account-admin-close').click();
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-open').waitFor();
  });

  it('signed in as the new account, the workspace shows only its community', async () => {
    const { page } = w;
    await signInThroughDialog(page, USERNAME, PASSWORD);
    expect(await page.getByTestId('account-role').textContent()).toBe('社区');
    expect(await page.getByTestId('account-scope').textContent()).toBe(community.name);
    await page.waitForFunction(
      (id) => (window as any).__minqing.app.areas.selectedId === id,
      community.id,
    );
    await settle(page);
    expect(await page.getByTestId('breadcrumb').textContent()).toContain(community.name);
    // The ticket list (the tab opened on sign-in) holds the community's tickets only.
    await expect
      .poll(() => app(page, 'app.tickets.list.data?.items.length ?? 0'))
      .toBeGreaterThan(0);
    const rows = (await app(page, 'app.tickets.list.data.items.map((r) => r.gridId)')) as number[];
    const grids = await api<{ features: { properties: { id: number } }[] }>(
      `/areas?parent=${community.id}`,
    );
    const ours = new Set(grids.features.map((f) => f.properties.id));
    expect(rows.length).toBeGreaterThan(0);
    for (const grid of rows) expect(ours.has(grid)).toBe(true);
    expect(await page.getByTestId('ticket-row').count()).toBe(rows.length);
    // Nothing outside the community, whatever is asked for.
    const mine = await session(USERNAME, PASSWORD);
    const all = await api<{ total: number; items: { gridId: number }[] }>(
      '/tickets/list?limit=500',
      mine.cookie,
    );
    expect(all.items.every((r) => ours.has(r.gridId))).toBe(true);
    await screenshot(page, artifacts, 'a04-new-community-account-workspace');
  });

  it('the account changes its own password', async () => {
    const { page } = w;
    await page.getByTestId('account-info').click();
    // A community manages its gridworkers and sentinels: the menu offers 账号管理 too.
    expect(await page.getByTestId('account-admin-open').isVisible()).toBe(true);
    await page.getByTestId('account-change-password').click();
    await page.getByTestId('password-current').fill(PASSWORD);
    await page.getByTestId('password-new').fill(NEW_PASSWORD);
    await page.getByTestId('password-again').fill(NEW_PASSWORD);
    expect(await axeWithin(page, '[data-testid="password-dialog"]')).toEqual([]);
    await screenshot(page, artifacts, 'a05-change-own-password');
    await page.getByTestId('password-submit').click();
    await expect
      .poll(() => page.getByTestId('account-notice').textContent())
      .toContain('密码已修改');
    // Still signed in here; the new password works for a new sign-in.
    expect(await page.getByTestId('account-name').isVisible()).toBe(true);
    await session(USERNAME, NEW_PASSWORD);
  });

  it('logged no console error and asked no host but the local server', () => {
    expect(w.foreign()).toEqual([]);
    expect(w.errors).toEqual([]);
  });
});
