/**
 * 大屏授权 in Chromium: the city opens 大屏管理 → 大屏授权 from its account menu and issues a key;
 * the link is shown once. A fresh browser with no account opens the link and the wall shows its
 * figures (the key leaves the address bar); the city revokes the key after a confirmation and
 * the wall's next refresh is refused. The dialog passes axe (WCAG 2 A and AA).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openPage, screenshot, settle, type Watched, axeWithin } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');
const NAME = `E2E 大屏 ${Date.now().toString(36).slice(-5)}`;

let browser: Browser;
let admin: Watched;
let wall: Watched | undefined;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const w of [admin, wall]) if (w && !w.page.isClosed()) await w.page.context().close();
  await browser?.close();
});

const row = (page: Page) =>
  page.locator('[data-testid="display-row"]').filter({ hasText: NAME }).first();

describe('display keys for the wall (大屏授权)', () => {
  let link = '';

  it('the city issues a key from 大屏管理 and sees its link once', async () => {
    admin = await openPage(browser, `${baseUrl}/`, 'zh-CN', { signInAs: 'city' });
    const { page } = admin;
    await settle(page);
    await page.getByTestId('account-info').click();
    await page.getByTestId('wall-admin-open').click();
    await page.getByTestId('wall-admin').waitFor();
    await page.getByTestId('wall-admin-tab-displays').click();
    await page.getByTestId('wall-displays').waitFor();
    // The form says what is wrong before the server is asked.
    await page.getByTestId('display-issue').click();
    expect(await page.getByTestId('display-field-error').textContent()).toContain('大屏名称');
    await page.getByTestId('display-name').fill(NAME);
    await page.getByTestId('display-days').fill('30');
    expect(await page.getByTestId('display-playlist').locator('option').first().textContent()).toBe(
      '默认轮播',
    );
    await page.getByTestId('display-issue').click();
    await page.getByTestId('display-issued').waitFor();
    link = await page.getByTestId('display-link').inputValue();
    expect(link).toMatch(new RegExp(`^${baseUrl}/wall#key=[A-Za-z0-9_-]{43}$`));
    expect(await page.getByTestId('display-once').textContent()).toContain('只显示这一次');
    await expect.poll(() => row(page).getAttribute('data-status')).toBe('active');
    expect(await row(page).textContent()).toContain('从未使用');
    expect(await axeWithin(page, '[data-testid="wall-admin"]')).toEqual([]);
    await screenshot(page, artifacts, 'wall-admin-displays');
    // Dismissed, the link is gone for good: the list never holds it.
    await page.getByTestId('display-issued-close').click();
    expect(await page.getByTestId('display-issued').count()).toBe(0);
    expect(await page.getByTestId('wall-admin').textContent()).not.toContain(link.split('=')[1]!);
  });

  it('a browser with no account opens the link and the wall shows its figures', async () => {
    wall = await openPage(browser, link, 'zh-CN', {
      timezoneId: 'UTC',
      viewport: { width: 960, height: 540 },
    });
    const { page } = wall;
    const key = link.split('#key=')[1]!;
    // The page trades the key for its cookie and takes it out of the address bar.
    await page.getByTestId('kpi-open').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${baseUrl}/wall.html`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.content()).not.toContain(key);
    expect((await page.getByTestId('kpi-open').innerText()).trim()).toMatch(/^[\d,]+$/);
    // The cookie is the wall's only credential, and it reads nothing but the wall.
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toEqual(['mq_display']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api' });
    const reads = await page.evaluate(() =>
      Promise.all(
        ['/api/tickets', '/api/hazards', '/api/accounts', '/api/displays', '/api/wall/viewer'].map(
          (u) => fetch(u).then((r) => [u, r.status] as const),
        ),
      ),
    );
    for (const [url, status] of reads)
      expect(url === '/api/wall/viewer' ? [200] : [401, 403], `${url}: ${status}`).toContain(
        status,
      );
  });

  it('the city revokes the key after confirming, and the wall is refused at its next refresh', async () => {
    const { page } = admin;
    await row(page).getByTestId('display-revoke').click();
    expect(await row(page).textContent()).toContain('数秒内停止显示');
    await row(page).getByTestId('display-revoke-confirm').click();
    await expect.poll(() => row(page).getAttribute('data-status')).toBe('revoked');
    expect(await page.getByTestId('display-message').textContent()).toContain(NAME);
    expect(await row(page).textContent()).toMatch(/已撤销/);

    const w = wall!.page;
    // Not awaited: on a CPU-rendered map the page may be slow to answer, the refresh is not.
    await w.evaluate(() => {
      void (
        window as unknown as { __minqingWall: { refresh(): Promise<void> } }
      ).__minqingWall.refresh();
    });
    await w.getByTestId('wall-auth').waitFor({ timeout: 30_000 });
    expect(await w.getByTestId('kpi-open').count()).toBe(0);
    await screenshot(w, artifacts, 'wall-admin-displays-revoked-wall');
  });
});
