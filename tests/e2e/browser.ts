import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // No GPU here: WebGL runs on SwiftShader, which newer Chromium only allows when asked.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface Watched {
  page: Page;
  /** Every http(s)/ws(s) URL the page asked for. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests whose host is not the local server. */
  foreign(): string[];
}

export const DEMO_PASSWORD = 'Minqing@2026';

/**
 * A page that records every request and error, sized like a laptop to keep SwiftShader quick.
 * `signInAs` signs the page's browser context in through the API before the page opens.
 */
export async function openPage(
  browser: Browser,
  url: string,
  lang = 'zh-CN',
  options: {
    signInAs?: string;
    /** the browser's own zone: the page must show Beijing time whatever it is */
    timezoneId?: string;
    viewport?: { width: number; height: number };
  } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: lang,
    timezoneId: options.timezoneId ?? 'Asia/Shanghai',
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
  if (options.signInAs) {
    const res = await context.request.post(new URL('/api/session', url).toString(), {
      data: { username: options.signInAs, password: DEMO_PASSWORD },
    });
    if (!res.ok()) throw new Error(`sign-in as ${options.signInAs}: ${res.status()}`);
  }
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return {
    page,
    requests,
    errors,
    foreign: () => requests.filter((u) => new URL(u).hostname !== '127.0.0.1'),
  };
}

/** Serious and critical accessibility violations on the page, as `rule: target` lines (axe-core). */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  // Evaluated through the DevTools protocol, not as an inline <script>: the app's
  // Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
  await page.evaluate(source);
  const result = (await page.evaluate(async () => {
    const axe = (window as any).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  })) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** WCAG 2 A/AA violations inside `selector` (a dialog, a panel), at most five nodes each. */
export async function axeWithin(page: Page, selector: string) {
  const source = readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') refuses inline scripts.
  await page.evaluate(source);
  return page.evaluate(async (sel) => {
    const axe = (window as any).axe;
    const r = await axe.run(sel, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v: any) => ({
      id: v.id,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5),
    })) as { id: string; nodes: string[] }[];
  }, selector);
}

/** Waits until the map has loaded, no data is loading and MapLibre has gone idle. */
export async function settle(page: Page, timeout = 120_000) {
  await page.waitForFunction(
    () => {
      const m = (window as unknown as { __minqing?: { ready: Promise<void> } }).__minqing;
      return m?.ready ? m.ready.then(() => true) : false;
    },
    undefined,
    { timeout },
  );
  await page.waitForFunction(
    () => {
      const m = (
        window as unknown as {
          __minqing: { settled: boolean; map: { loaded(): boolean; isMoving(): boolean } };
        }
      ).__minqing;
      return m.settled && m.map.loaded() && !m.map.isMoving();
    },
    undefined,
    { timeout, polling: 200 },
  );
  // Let MapLibre and deck.gl draw the frame that shows the settled state.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (
          window as unknown as {
            __minqing: { map: { once(e: string, f: () => void): void; triggerRepaint(): void } };
          }
        ).__minqing.map;
        map.once('idle', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
        map.triggerRepaint();
      }),
  );
}

export async function screenshot(page: Page, dir: string, name: string): Promise<Buffer> {
  mkdirSync(dir, { recursive: true });
  return page.screenshot({ path: join(dir, `${name}.png`) });
}

export type Rgb = readonly [number, number, number];

/**
 * Counts the pixels of a PNG within `tolerance` of each colour (per channel), decoding the PNG
 * with the browser's own decoder in a blank page.
 */
export async function countColors(
  browser: Browser,
  png: Buffer,
  colors: Record<string, Rgb>,
  tolerance = 24,
): Promise<Record<string, number>> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ b64, colors, tolerance }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        const counts: Record<string, number> = {};
        const entries = Object.entries(colors);
        for (const [name] of entries) counts[name] = 0;
        for (let i = 0; i < data.length; i += 4) {
          for (const [name, c] of entries) {
            if (
              Math.abs(data[i] - c[0]) <= tolerance &&
              Math.abs(data[i + 1] - c[1]) <= tolerance &&
              Math.abs(data[i + 2] - c[2]) <= tolerance
            ) {
              counts[name]++;
            }
          }
        }
        return counts;
      },
      { b64: png.toString('base64'), colors, tolerance },
    );
  } finally {
    await page.close();
  }
}
