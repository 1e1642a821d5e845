/**
 * 接口密钥 in Chromium: the city opens 接口密钥 from its account menu, issues a read key for the
 * planner, sees it once with the GDAL/QGIS connection strings and copies it; the copied key reads
 * /ogc as the planner (tickets listed, no text); the city revokes it after a confirmation and the
 * key is refused within seconds. The page passes axe at 390, 1920 and 3840 px.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeWithin, launch, openPage, screenshot, settle, type Watched } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');
const NAME = `E2E QGIS ${Date.now().toString(36).slice(-5)}`;

let browser: Browser;
let admin: Watched;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  if (admin && !admin.page.isClosed()) await admin.page.context().close();
  await browser?.close();
});

const row = (page: Page) =>
  page.locator('[data-testid="api-key-row"]').filter({ hasText: NAME }).first();

const ogc = (path: string, key: string) =>
  fetch(`${baseUrl}/ogc${path}`, { headers: { 'X-API-Key': key } });

describe('API keys (接口密钥)', () => {
  let key = '';

  it('the city issues a key for the planner, sees it once with connection strings, copies it', async () => {
    admin = await openPage(browser, `${baseUrl}/`, 'zh-CN', {
      signInAs: 'city',
      viewport: { width: 1920, height: 1080 },
    });
    const { page } = admin;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: baseUrl,
    });
    await settle(page);
    await page.getByTestId('account-info').click();
    await page.getByTestId('api-keys-open').click();
    await page.getByTestId('api-keys').waitFor();
    // The form says what is wrong before the server is asked.
    await page.getByTestId('api-key-issue').click();
    expect(await page.getByTestId('api-key-field-error').textContent()).toContain('名称');
    await page.getByTestId('api-key-name').fill(NAME);
    await page.getByTestId('api-key-account').fill('planner');
    await page.getByTestId('api-key-days').fill('30');
    expect(await page.getByTestId('api-key-scope-read').isChecked()).toBe(true);
    await page.getByTestId('api-key-issue').click();
    await page.getByTestId('api-key-issued').waitFor();
    key = await page.getByTestId('api-key-value').inputValue();
    expect(key).toMatch(/^mq_[\w-]{43}$/);
    expect(await page.getByTestId('api-key-once').textContent()).toContain('只显示这一次');
    expect(await page.getByTestId('api-key-connect-gdal').inputValue()).toBe(
      `ogrinfo -ro -so OAPIF:${baseUrl}/ogc --config GDAL_HTTP_HEADERS "X-API-Key: ${key}"`,
    );
    expect(await page.getByTestId('api-key-connect-qgis').inputValue()).toBe(
      `${baseUrl}/ogc?api_key=${key}`,
    );
    await page.getByTestId('api-key-copy').click();
    await page.getByTestId('api-key-copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await expect.poll(() => row(page).getAttribute('data-status')).toBe('active');
    const text = await row(page).textContent();
    expect(text).toContain('planner');
    expect(text).toContain(key.slice(0, 8));
    expect(text).toContain('从未使用');
    await screenshot(page, artifacts, 'api-keys-issued');
    for (const width of [390, 1920, 3840]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1080 });
      // The dialog itself (WCAG 2 A and AA): the map behind the backdrop is the map tests' to judge.
      expect(await axeWithin(page, '[data-testid="api-keys"]'), `${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    // Dismissed, the key is gone for good: the list never holds it.
    await page.getByTestId('api-key-issued-close').click();
    expect(await page.getByTestId('api-key-issued').count()).toBe(0);
    expect(await page.getByTestId('api-keys').textContent()).not.toContain(key);
  });

  it('the copied key reads /ogc as the planner: tickets listed, positions only', async () => {
    const list = (await (await ogc('/collections', key)).json()) as {
      collections: { id: string }[];
    };
    expect(list.collections.map((c) => c.id)).toEqual(
      expect.arrayContaining(['compounds', 'tickets', 'hazards']),
    );
    const res = await ogc('/collections/tickets/items?limit=5', key);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const fc = (await res.json()) as { features: { properties: Record<string, unknown> }[] };
    expect(fc.features.length).toBe(5);
    for (const f of fc.features) expect(f.properties).not.toHaveProperty('title');
    // Without the key the public sees no tickets.
    const pub = (await (await fetch(`${baseUrl}/ogc/collections`)).json()) as {
      collections: { id: string }[];
    };
    expect(pub.collections.map((c) => c.id)).not.toContain('tickets');
  });

  it('a web map on another origin reads with the key, and never as the signed-in city', async () => {
    // Another site's page (its own port, so its own origin, no CSP of ours), opened in the browser
    // where the city is signed in: CORS lets the key's reads through (with a preflight for
    // X-API-Key), and a read that sends the city's cookies is refused by the browser itself.
    const site = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>GIS</title>'),
    );
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    const elsewhere = await admin.page.context().newPage();
    try {
      await elsewhere.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      const seen = await elsewhere.evaluate(
        async ({ baseUrl, key }) => {
          const r = await fetch(`${baseUrl}/ogc/collections/tickets/items?limit=2`, {
            headers: { 'X-API-Key': key },
          });
          const tile = await fetch(`${baseUrl}/tiles/compounds.json`);
          const asCity = await fetch(`${baseUrl}/ogc/collections/tickets/items?limit=1`, {
            credentials: 'include',
          }).then(
            () => 'read',
            () => 'refused',
          );
          return {
            status: r.status,
            features: ((await r.json()) as { features: unknown[] }).features.length,
            tilejson: ((await tile.json()) as { tilejson: string }).tilejson,
            asCity,
          };
        },
        { baseUrl, key },
      );
      expect(seen).toEqual({ status: 200, features: 2, tilejson: '3.0.0', asCity: 'refused' });
    } finally {
      await elsewhere.close();
      site.close();
    }
  });

  it('the city revokes the key after confirming; it is refused within seconds', async () => {
    const { page } = admin;
    // The list now says when it was last used.
    await page.getByTestId('api-keys-close').click();
    await page.getByTestId('account-info').click();
    await page.getByTestId('api-keys-open').click();
    await expect.poll(() => row(page).getAttribute('data-status')).toBe('active');
    expect(await row(page).textContent()).not.toContain('从未使用');
    await row(page).getByTestId('api-key-revoke').click();
    expect(await row(page).textContent()).toContain('数秒内无法访问');
    await row(page).getByTestId('api-key-revoke-confirm').click();
    await expect.poll(() => row(page).getAttribute('data-status')).toBe('revoked');
    expect(await page.getByTestId('api-key-message').textContent()).toContain(NAME);
    await expect
      .poll(async () => (await ogc('/collections', key)).status, { timeout: 5_000 })
      .toBe(401);
    await screenshot(page, artifacts, 'api-keys-revoked');
  });
});
