/**
 * The mobile intake page (web/mobile.html) on a phone-sized Chromium: a sentinel signs in, picks
 * a place inside its community on the map, fills the report, sees the duplicate check and
 * submits over a network that loses the first answer and then fails once more with a 503. The
 * retries carry the same Idempotency-Key and the server ends up with exactly one ticket.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, screenshot } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');
const PASSWORD = 'Minqing@2026';

let browser: Browser;
let context: BrowserContext | null = null;

beforeAll(async () => {
  browser = await launch();
});
afterEach(async () => {
  await context?.close();
  context = null;
});
afterAll(async () => {
  await browser?.close();
});

interface Phone {
  page: Page;
  requests: string[];
  errors: string[];
  foreign(): string[];
}

/** A 390×844 phone (an iPhone 12-14 class screen) with touch, recording requests and errors. */
async function openPhone(path: string): Promise<Phone> {
  context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (req) => {
    const u = req.url();
    if (/^(https?|wss?):/.test(u)) requests.push(u);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
  const origin = new URL(baseUrl).origin;
  return {
    page,
    requests,
    errors,
    foreign: () => requests.filter((u) => new URL(u).origin !== origin),
  };
}

async function signIn(page: Page, username: string) {
  await page.getByTestId('sign-in').waitFor();
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.tap('[data-testid=sign-in] button[type=submit]');
  await page.getByTestId('intake').waitFor();
}

/** Waits for the picking map to load its style and data and go idle. */
async function mapIdle(page: Page) {
  await page.waitForFunction(
    () => (window as any).__minqingMobile?.ready.then(() => true) ?? false,
    undefined,
    { timeout: 120_000 },
  );
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (window as any).__minqingMobile.map;
        map.once('idle', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
        map.triggerRepaint();
      }),
  );
}

/** A compound of the account's area on screen: its name and a page point inside it. */
async function compoundOnScreen(page: Page) {
  const found = await page.evaluate(async () => {
    const map = (window as any).__minqingMobile.map;
    const data = await map.getSource('compounds').getData();
    const rect = map.getContainer().getBoundingClientRect();
    for (const f of data.features) {
      const label = f.properties.label as [number, number] | null;
      // only the account's own compounds: a point next door is refused (tested below)
      if (!label || !f.properties.inScope) continue;
      const p = map.project(label);
      // clear of the zoom buttons (top right) and the edges
      if (p.x < 20 || p.x > rect.width - 60 || p.y < 20 || p.y > rect.height - 20) continue;
      const hit = map.queryRenderedFeatures([p.x, p.y], { layers: ['compound-fill'] });
      if (hit[0]?.id !== f.properties.id) continue;
      return { name: f.properties.name as string, x: p.x, y: p.y };
    }
    return null;
  });
  expect(found, 'a compound of the community visible on the map').not.toBeNull();
  return found!;
}

/** The account's tickets as the API lists them. */
async function myTickets(page: Page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/tickets/list?limit=500');
    return (await r.json()) as {
      total: number;
      items: { id: number; code: string; title: string }[];
    };
  });
}

/** A tiny valid PNG, so the photo field has real bytes to hash. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('mobile intake page', () => {
  it('a sentinel reports an appeal; lost answers are retried with one key and make one ticket', async () => {
    const phone = await openPhone('/mobile.html');
    const { page } = phone;
    await signIn(page, 'sentinel');
    await expect(page.getByTestId('account').textContent()).resolves.toContain('兼职网格员');
    await mapIdle(page);

    // Tap inside a compound: the marker lands there and the page names the compound.
    const target = await compoundOnScreen(page);
    await page.getByTestId('pick-map').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('pick-map').boundingBox())!;
    await page.touchscreen.tap(box.x + target.x, box.y + target.y);
    await expect.poll(() => page.getByTestId('place').textContent()).toContain(target.name);
    await expect(page.getByTestId('pick-marker').isVisible()).resolves.toBe(true);
    await mapIdle(page);
    await screenshot(page, artifacts, 'mobile-1-place');

    // The rest of the form; a unique title finds the ticket again through the API.
    const title = `楼道堆物占用停车位 e2e-${Date.now()}`;
    await page.tap('[data-category=parking]');
    await expect(
      page.locator('[data-category=parking]').getAttribute('aria-checked'),
    ).resolves.toBe('true');
    await page.fill('[data-testid=title]', title);
    await page.fill('[data-testid=description]', '小区东门车位被杂物长期占用，居民夜间无处停车。');
    await page.setInputFiles('[data-testid=photo-file]', {
      name: 'IMG_0001.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await expect
      .poll(() => page.inputValue('[data-testid=photo-ref]'))
      .toMatch(/^IMG_0001\.png · \d+ B · (sha256|fnv1a):[0-9a-f]{8}$/);
    await page.fill('input[name=residentName]', '张建国');
    await page.fill('input[name=residentPhone]', '13800001234');

    // Nothing wider than the phone: no sideways scrolling.
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).resolves.toBe(true);

    // A reload keeps the draft (and its Idempotency-Key) on the phone.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.getByTestId('draft-restored').waitFor();
    await expect(page.inputValue('[data-testid=title]')).resolves.toBe(title);
    await expect.poll(() => page.getByTestId('place').textContent()).toContain(target.name);
    await mapIdle(page);

    // The duplicate check comes before anything is sent.
    await page.tap('[data-testid=next]');
    await page.getByTestId('duplicates').waitFor();
    await page.waitForSelector(
      '[data-testid=duplicates-none], [data-testid=duplicates-found], [data-testid=duplicates-failed]',
    );
    await expect(page.locator('[data-testid=duplicates-failed]').count()).resolves.toBe(0);
    await screenshot(page, artifacts, 'mobile-2-duplicates');

    const before = await myTickets(page);

    // The network: the first POST reaches the server but its answer is lost; the second gets a
    // 503 from a proxy; the third goes through.
    const posts: { key: string | null; outcome: string }[] = [];
    await page.route('**/api/tickets', async (route) => {
      const req: Request = route.request();
      if (req.method() !== 'POST') return route.continue();
      const key = (await req.allHeaders())['idempotency-key'] ?? null;
      expect(req.headers()['content-type']).toContain('application/json');
      if (posts.length === 0) {
        const res = await route.fetch();
        posts.push({ key, outcome: `sent, answer ${res.status()} lost` });
        return route.abort('connectionreset');
      }
      if (posts.length === 1) {
        posts.push({ key, outcome: '503' });
        return route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'upstream busy' } }),
        });
      }
      posts.push({ key, outcome: 'through' });
      return route.continue();
    });

    await page.tap('[data-testid=submit]');
    await page.getByTestId('sending').waitFor();
    await page.getByTestId('sending-waiting').waitFor();
    await screenshot(page, artifacts, 'mobile-3-retrying');
    await page.getByTestId('result').waitFor({ timeout: 30_000 });

    expect(posts.map((p) => p.outcome)).toEqual(['sent, answer 201 lost', '503', 'through']);
    expect(posts[0]!.key).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(new Set(posts.map((p) => p.key)).size).toBe(1);
    await page.getByTestId('replayed').waitFor();

    // What the user sees: the code, the compound and grid, to whom it was routed.
    const code = (await page.getByTestId('result-code').textContent())!.trim();
    expect(code).toMatch(/^T\d{8}\d+$/);
    await expect(page.getByTestId('result-place').textContent()).resolves.toContain(target.name);
    await expect(page.getByTestId('result-responder').textContent()).resolves.not.toBe('—');

    // Exactly one ticket, and it is in "my reports" with its status.
    const after = await myTickets(page);
    expect(after.total).toBe(before.total + 1);
    expect(after.items.filter((t) => t.title === title).map((t) => t.code)).toEqual([code]);
    await page.locator(`[data-testid=my-report][data-code="${code}"]`).waitFor();
    await expect(
      page.locator(`[data-testid=my-report][data-code="${code}"] .status`).textContent(),
    ).resolves.toBe('已受理');
    await screenshot(page, artifacts, 'mobile-4-done');
    await page.getByTestId('my-reports').scrollIntoViewIfNeeded();
    await screenshot(page, artifacts, 'mobile-5-my-reports');

    // A new report starts clean, with a new key.
    await page.tap('[data-testid=another]');
    await expect(page.inputValue('[data-testid=title]')).resolves.toBe('');

    // Only the deliberately broken request may have complained.
    const unexpected = phone.errors.filter((e) => !/ERR_CONNECTION_RESET|503/.test(e));
    expect(unexpected).toEqual([]);
    expect(phone.foreign()).toEqual([]);
  });

  it('shows the API’s refusal next to the form and switches to English', async () => {
    const phone = await openPhone('/mobile.html');
    const { page } = phone;
    await signIn(page, 'gridworker');
    await mapIdle(page);

    await page.tap('[data-testid=switch-lang]');
    await expect(page.getByTestId('next').textContent()).resolves.toContain('Check duplicates');
    await expect(page.locator('[data-category=noise]').textContent()).resolves.toBe('Noise');

    // A point well outside the gridworker's grid: the page warns, the server refuses.
    await page.getByTestId('pick-map').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('pick-map').boundingBox())!;
    await page.evaluate(() => (window as any).__minqingMobile.map.zoomTo(12, { duration: 0 }));
    await mapIdle(page);
    await page.touchscreen.tap(box.x + 30, box.y + box.height - 30);
    await page.getByTestId('outside').waitFor();
    await page.tap('[data-category=noise]');
    await page.fill('[data-testid=title]', 'Loud music at night');
    await page.tap('[data-testid=next]');
    await page.getByTestId('duplicates').waitFor();
    await page.waitForSelector('[data-testid=submit]:not([disabled])');
    await page.tap('[data-testid=submit]');
    const error = page.getByTestId('api-error');
    await error.waitFor();
    expect(['forbidden', 'bad_request']).toContain(await error.getAttribute('data-code'));
    await expect(error.textContent()).resolves.toMatch(/outside|not inside/);
    // The form is editable again for a better point.
    await expect(page.locator('[data-testid=title]').isEditable()).resolves.toBe(true);
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, artifacts, 'mobile-6-refused-en');

    expect(phone.errors.filter((e) => !/40[03]/.test(e))).toEqual([]);
    expect(phone.foreign()).toEqual([]);
  });
});
