/**
 * First load of the dashboard: every request of a cold page load of `/` in Chromium (no cache,
 * a fresh profile), in bytes decoded (raw) and on the wire (transfer size: compressed bodies and
 * headers), by kind. Run against a server that serves the build:
 *
 *   npm run build && npm run serve            # or any running server
 *   npx tsx scripts/first-load.ts [http://127.0.0.1:8080/]
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium. Prints a table and one JSON line.
 */
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
const ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // no GPU here: WebGL on SwiftShader, so the map draws and asks for what it needs
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

interface Row {
  url: string;
  kind: string;
  raw: number;
  wire: number;
  encoding: string;
}

function kindOf(u: string, type: string): string {
  const path = new URL(u).pathname;
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.startsWith('/api/')) return 'api';
  if (/\.(woff2?|ttf|otf|pbf)$/.test(path)) return 'font';
  if (/\.(png|jpe?g|webp|svg|ico)$/.test(path)) return 'image';
  return type === 'Document' ? 'html' : type.toLowerCase();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ARGS,
});
try {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const rows = new Map<string, Row>();
  cdp.on('Network.responseReceived', (e) => {
    rows.set(e.requestId, {
      url: e.response.url,
      kind: kindOf(e.response.url, e.type),
      raw: 0,
      wire: 0,
      encoding: String(
        e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '',
      ),
    });
  });
  cdp.on('Network.dataReceived', (e) => {
    const r = rows.get(e.requestId);
    if (r) r.raw += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = rows.get(e.requestId);
    if (r) r.wire = e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  // the app's own readiness: the map has loaded and drawn, the first data has arrived
  await page.waitForFunction(
    () => (window as unknown as { __minqing?: { settled: boolean } }).__minqing?.settled === true,
    undefined,
    { timeout: 120_000, polling: 200 },
  );
  await page.waitForTimeout(1000);

  const all = [...rows.values()].filter((r) => r.url.startsWith('http'));
  const byKind = new Map<string, { n: number; raw: number; wire: number }>();
  for (const r of all) {
    const k = byKind.get(r.kind) ?? { n: 0, raw: 0, wire: 0 };
    k.n++;
    k.raw += r.raw;
    k.wire += r.wire;
    byKind.set(r.kind, k);
  }
  const mb = (n: number) => (n / 1e6).toFixed(2).padStart(7);
  console.log(`first load of ${url} (${all.length} requests)`);
  console.log('kind      n   raw MB  wire MB');
  const total = { n: 0, raw: 0, wire: 0 };
  for (const [kind, k] of [...byKind].sort((a, b) => b[1].raw - a[1].raw)) {
    console.log(`${kind.padEnd(7)} ${String(k.n).padStart(3)}  ${mb(k.raw)}  ${mb(k.wire)}`);
    total.n += k.n;
    total.raw += k.raw;
    total.wire += k.wire;
  }
  console.log(
    `${'total'.padEnd(7)} ${String(total.n).padStart(3)}  ${mb(total.raw)}  ${mb(total.wire)}`,
  );
  for (const r of all.filter((r) => r.kind === 'js').sort((a, b) => b.raw - a.raw)) {
    console.log(
      `  ${new URL(r.url).pathname}  ${mb(r.raw)} raw  ${mb(r.wire)} wire  ${r.encoding || 'identity'}`,
    );
  }
  console.log(
    JSON.stringify({ url, requests: all.length, byKind: Object.fromEntries(byKind), total }),
  );
} finally {
  await browser.close();
}
