/**
 * The wall map's render benchmark, in headless Chromium (SwiftShader: WebGL on the CPU, so the
 * figures are those of a software renderer, and compare inputs and scenes rather than promise a
 * wall's frame rate) at a reduced size, on the harness page web/bench-wall.html:
 *
 * (a) decode + deck.gl layer update (+ the first draw) of 100 k, 500 k and 1 M points, per 100 k,
 *     for the heat map and a scatterplot, with binary attributes against one JS object per point
 *     with accessor functions, in the same run;
 * (b) frame time (median and p95 over 60 frames: build the frame's layers, MapLibre and deck.gl
 *     draw synchronously, GPU finished) of each scene kind on the seeded city, and of a 1 M-point
 *     heat scene, binary against objects.
 *
 * Run: `npx tsx scripts/bench-wall-render.ts` (builds the web app when dist/ lacks the harness,
 * `--build` always; starts the server on a kept PGlite folder, .cache/bench-wall-render, seeded
 * on first use; BENCH_BASE_URL=http://127.0.0.1:8787 uses a running server instead;
 * `--size=1920x1080`, `--frames=60`, `--reps=3`, `--frames-only`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launch, openPage } from '../tests/e2e/browser.ts';
import { freePort, ROOT, startServer, type RunningServer } from '../tests/e2e/server.ts';
import { SCENE_KINDS, type SceneKind } from '../server/contract/wall.ts';
import type {} from '../web/src/wall/map/harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const [width, height] = arg('size', '960x540').split('x').map(Number) as [number, number];
const FRAMES = Number(arg('frames', '60'));
const REPS = Number(arg('reps', '3'));
const SIZES = [100_000, 500_000, 1_000_000];

type Timing = { decode: number; update: number; draw: number; total: number };
interface Bench {
  update(n: number, kind: 'heat' | 'scatter', input: 'binary' | 'objects'): Timing;
  frames(count: number, own?: boolean): number[];
  resume(): void;
}
declare global {
  interface Window {
    __wallBench: Bench;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]!;
};
const ms = (n: number, w = 8) => n.toFixed(1).padStart(w);

async function server(): Promise<{ baseUrl: string; running: RunningServer | null }> {
  if (process.env.BENCH_BASE_URL)
    return { baseUrl: process.env.BENCH_BASE_URL.replace(/\/$/, ''), running: null };
  if (args.includes('--build') || !existsSync(resolve(ROOT, 'dist/bench-wall.html'))) {
    console.log('building the web app…');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const dataDir = resolve(ROOT, '.cache/bench-wall-render');
  mkdirSync(dataDir, { recursive: true });
  console.log('starting the server (the first start seeds the demo city, ~40 s)…');
  const running = await startServer({
    port: await freePort(),
    dataDir,
    logFile: resolve(ROOT, '.cache/bench-wall-render.log'),
    timeoutMs: 600_000,
  });
  return { baseUrl: running.baseUrl, running };
}

async function waitForScene(page: Page, layers: string) {
  const map = page.getByTestId('wall-map');
  const until = Date.now() + 60_000;
  while ((await map.getAttribute('data-layers')) !== layers) {
    if (Date.now() > until) throw new Error(`scene never showed ${layers}`);
    await page.waitForTimeout(200);
  }
  // the camera's fit (2 s) and the heat map's debounce
  let last = '';
  for (;;) {
    await page.waitForTimeout(1000);
    const now = (await map.getAttribute('data-camera')) ?? '';
    if (now && now === last) break;
    last = now;
  }
  await page.waitForTimeout(800);
}

const SCENE_LAYERS: Record<SceneKind, string> = {
  city: 'ratings,open,whistles,hazards',
  district: 'ratings,open,tracks,whistles,hazards',
  hotspots: 'hotspots',
  whistles: 'ratings,whistles',
  hazards: 'hazards',
  coverage: 'coverage,tracks',
  heat: 'heat',
};

async function main() {
  const { baseUrl, running } = await server();
  const browser = await launch();
  try {
    const { page, errors } = await openPage(
      browser,
      `${baseUrl}/bench-wall.html?scene=city`,
      'zh-CN',
      {
        signInAs: 'city',
        viewport: { width, height },
      },
    );
    await waitForScene(page, SCENE_LAYERS.city);
    const version = browser.version();
    console.log(
      `\nwall map render — Chromium ${version} (SwiftShader), ${width}×${height}, ${REPS} runs (median)\n`,
    );

    // (a) decode + update: the CPU's part, where binary input saves the per-point work; the
    // first draw beside it (uploading and, for the heat map, rendering the points into its
    // weight texture: on SwiftShader the GPU's part, the same for both inputs)
    console.log('(a) decode + layer update, and the first draw after it, ms');
    console.log(
      `${'layer'.padEnd(8)}${'points'.padStart(10)}  ${'input'.padEnd(8)}${'decode'.padStart(9)}${'update'.padStart(9)}${'dec+upd'.padStart(9)}${'/100 k'.padStart(9)}${'1st draw'.padStart(10)}`,
    );
    // `--frames-only` skips (a)
    for (const kind of args.includes('--frames-only') ? [] : (['heat', 'scatter'] as const)) {
      // compile the layer's shaders first (seconds on SwiftShader), untimed
      await page.evaluate((k) => window.__wallBench.update(10_000, k, 'binary'), kind);
      for (const n of SIZES)
        for (const input of ['binary', 'objects'] as const) {
          const runs: Timing[] = [];
          for (let r = 0; r < REPS; r++)
            runs.push(
              await page.evaluate(([n, k, i]) => window.__wallBench.update(n, k, i), [
                n,
                kind,
                input,
              ] as const),
            );
          const m = (f: (t: Timing) => number) => median(runs.map(f));
          const cpu = m((t) => t.decode + t.update);
          console.log(
            `${kind.padEnd(8)}${n.toLocaleString('en').padStart(10)}  ${input.padEnd(8)}` +
              `${ms(
                m((t) => t.decode),
                9,
              )}${ms(
                m((t) => t.update),
                9,
              )}${ms(cpu, 9)}` +
              `${ms(cpu / (n / 100_000), 9)}${ms(
                m((t) => t.draw),
                10,
              )}`,
          );
        }
    }

    // (b) frames of the 1 M-point heat scene, binary then objects (the layer of the last update)
    console.log(`\n(b) frame time over ${FRAMES} frames, ms`);
    console.log(`${'scene'.padEnd(28)}${'median'.padStart(9)}${'p95'.padStart(9)}`);
    for (const input of ['binary', 'objects'] as const) {
      await page.evaluate((i) => window.__wallBench.update(1_000_000, 'heat', i), input);
      await page.waitForTimeout(600);
      const times = await page.evaluate((f) => window.__wallBench.frames(f, false), FRAMES);
      console.log(
        `${`heat 1 M points (${input})`.padEnd(28)}${ms(median(times), 9)}${ms(p95(times), 9)}`,
      );
    }
    await page.evaluate(() => window.__wallBench.resume());

    // (b) every scene kind on the seeded city
    const res = await page.context().request.get(`${baseUrl}/api/areas?level=district&zoom=9`);
    const district = ((await res.json()) as { features: { id: number }[] }).features[0]!.id;
    for (const kind of SCENE_KINDS) {
      await page.evaluate(([k, a]) => window.__wallHarness.setScene(k, a), [
        kind,
        kind === 'district' ? district : null,
      ] as const);
      await waitForScene(page, SCENE_LAYERS[kind]);
      const times = await page.evaluate((f) => window.__wallBench.frames(f, true), FRAMES);
      console.log(
        `${`${kind} (seeded city)`.padEnd(28)}${ms(median(times), 9)}${ms(p95(times), 9)}`,
      );
    }
    if (errors.length) console.log(`\nconsole errors: ${errors.join(' | ')}`);
  } finally {
    await browser.close();
    await running?.stop();
  }
}

await main();
