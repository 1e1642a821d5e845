/**
 * The wall's map (web/src/wall/map/WallMap.svelte) in Chromium, on its harness page
 * (web/bench-wall.html) signed in as the city: each scene kind draws its layers in their colours
 * over the basemap and says which in `data-layers`; a focus flies the camera there and rings it,
 * and clearing it returns to the scene; a replay replaces the scene's layers. Screenshots in
 * test-artifacts/e2e/wall-map-<scene>.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SceneKind, WallHazards } from '../../server/contract/wall.ts';
import type {} from '../../web/src/wall/map/harness.ts';
import { decodeTracks } from '../../geo/twkb.ts';
import { launch, openPage, screenshot, type Watched } from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
let watched: Watched;
let page: Page;

type Box = { r: [number, number]; g: [number, number]; b: [number, number] };

/** Pixels of a PNG inside each colour box (inclusive channel ranges), and those off the basemap. */
async function classify(png: Buffer, boxes: Record<string, Box>) {
  const p = await browser.newPage();
  try {
    return await p.evaluate(
      async ({ b64, boxes }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        // the basemap: background, district fill, its outline and glow
        const base = [
          [7, 18, 31],
          [13, 33, 54],
          [43, 91, 134],
          [79, 143, 196],
          [5, 11, 20],
        ];
        const counts: Record<string, number> = { drawn: 0 };
        for (const name of Object.keys(boxes)) counts[name] = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          if (!base.some((c) => Math.abs(c[0] - r) + Math.abs(c[1] - g) + Math.abs(c[2] - b) < 40))
            counts.drawn++;
          for (const [name, x] of Object.entries(boxes))
            if (
              r >= x.r[0] &&
              r <= x.r[1] &&
              g >= x.g[0] &&
              g <= x.g[1] &&
              b >= x.b[0] &&
              b <= x.b[1]
            )
              counts[name]++;
        }
        return counts;
      },
      { b64: png.toString('base64'), boxes },
    );
  } finally {
    await p.close();
  }
}

// Colour families of the wall layers (web/src/wall/map/colors.ts), loose enough for blending.
const BOX = {
  hazardYellow: { r: [200, 255], g: [160, 220], b: [0, 70] },
  hazardMagenta: { r: [190, 255], g: [0, 90], b: [110, 200] },
  hazardRed: { r: [200, 255], g: [40, 110], b: [20, 90] },
  openTeal: { r: [15, 70], g: [60, 150], b: [90, 170] },
  trackGreen: { r: [80, 150], g: [160, 235], b: [110, 180] },
  hotRed: { r: [130, 200], g: [0, 50], b: [20, 60] },
  coverageNeutral: { r: [140, 240], g: [140, 240], b: [140, 240] },
  coverageUnder: { r: [170, 255], g: [70, 180], b: [0, 80] },
  whistle: { r: [200, 255], g: [50, 200], b: [40, 120] },
  whistleCyan: { r: [40, 110], g: [110, 190], b: [150, 255] },
  heatTeal: { r: [20, 90], g: [110, 200], b: [110, 190] },
  heatWarm: { r: [200, 255], g: [40, 210], b: [20, 90] },
  ratingRed: { r: [100, 230], g: [30, 75], b: [45, 90] },
  focusWhite: { r: [235, 255], g: [235, 255], b: [235, 255] },
  replayAny: { r: [80, 255], g: [70, 230], b: [40, 255] },
} satisfies Record<string, Box>;

const EXPECT: Record<SceneKind, { layers: string; colors: (keyof typeof BOX)[] }> = {
  city: { layers: 'ratings,open,whistles,hazards', colors: ['hazardYellow', 'openTeal'] },
  district: {
    layers: 'ratings,open,tracks,whistles,hazards',
    colors: ['hazardYellow', 'openTeal', 'trackGreen', 'ratingRed'],
  },
  hotspots: { layers: 'hotspots', colors: ['hotRed'] },
  whistles: { layers: 'ratings,whistles', colors: ['whistle'] },
  hazards: { layers: 'hazards', colors: ['hazardYellow', 'hazardRed', 'hazardMagenta'] },
  coverage: { layers: 'coverage,tracks', colors: ['coverageNeutral', 'coverageUnder'] },
  heat: { layers: 'heat', colors: ['heatTeal', 'heatWarm'] },
};

const attr = (name: string) => page.getByTestId('wall-map').getAttribute(name);
const camera = async () => (await attr('data-camera'))!.split(',').map(Number);

async function setScene(kind: SceneKind | null, area: number | null = null) {
  await page.evaluate(([k, a]) => window.__wallHarness.setScene(k, a), [kind, area] as const);
}

/** Until the scene's layers are drawn and the camera has stopped (fits take 2 s). */
async function settle(layers: string) {
  await expect.poll(() => attr('data-layers'), { timeout: 60_000 }).toBe(layers);
  let last = '';
  await expect
    .poll(
      async () => {
        const now = (await attr('data-camera')) ?? '';
        const still = now === last && now !== '';
        last = now;
        return still;
      },
      { timeout: 20_000, interval: 1500 },
    )
    .toBe(true);
  // the heat map recomputes its weights after a short debounce; give SwiftShader two frames more
  await page.waitForTimeout(1200);
}

beforeAll(async () => {
  browser = await launch();
  watched = await openPage(browser, `${baseUrl}/bench-wall.html?scene=city`, 'zh-CN', {
    signInAs: 'city',
    viewport: { width: 1280, height: 720 },
  });
  page = watched.page;
});
afterAll(async () => {
  await browser?.close();
});

describe('wall map', () => {
  let district = 0;

  it('frames the city and draws every scene kind in its layers’ colours', async () => {
    // Today's tracks (Beijing): just after midnight there are few or none yet to see.
    const tracks = decodeTracks(
      await (await page.context().request.get(`${baseUrl}/api/wall/layers/tracks.bin`)).body(),
    );
    const tracksToSee = tracks.positions.length / 2 >= 2000;
    const res = await page.context().request.get(`${baseUrl}/api/areas?level=district&zoom=9`);
    const districts = (await res.json()) as {
      features: { id: number; geometry: { coordinates: unknown } }[];
    };
    const first = districts.features[0]!;
    district = first.id;
    const xs: number[] = [];
    const ys: number[] = [];
    const visit = (c: unknown): void => {
      if (typeof (c as number[])[0] === 'number') {
        xs.push((c as number[])[0]!);
        ys.push((c as number[])[1]!);
      } else for (const cc of c as unknown[]) visit(cc);
    };
    visit(first.geometry.coordinates);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];

    let cityZoom = 0;
    for (const kind of Object.keys(EXPECT) as SceneKind[]) {
      await setScene(kind, kind === 'district' ? district : null);
      const { layers, colors } = EXPECT[kind];
      await settle(layers);
      expect(await attr('data-scene')).toBe(kind === 'district' ? `district:${district}` : kind);
      const [lon, lat, zoom] = await camera();
      if (kind === 'city') cityZoom = zoom!;
      if (kind === 'district') {
        // framed on its district: closer than the city, centred inside the district's box
        expect(zoom).toBeGreaterThan(cityZoom);
        expect(lon).toBeGreaterThan(box[0]!);
        expect(lon).toBeLessThan(box[2]!);
        expect(lat).toBeGreaterThan(box[1]!);
        expect(lat).toBeLessThan(box[3]!);
      } else expect(zoom).toBeCloseTo(cityZoom, 1);

      const png = await screenshot(page, artifacts, `wall-map-${kind}`);
      const counts = await classify(png, BOX);
      const found = Object.fromEntries(colors.map((c) => [c, counts[c]]));
      for (const c of colors) {
        if (c === 'trackGreen' && !tracksToSee) continue;
        expect(counts[c], `${kind}: ${c} in ${JSON.stringify(found)}`).toBeGreaterThan(15);
      }
      expect(counts.drawn, kind).toBeGreaterThan(300);
    }
    // the heat scene holds only the heat: none of the hazards' colours
    const heatPng = await screenshot(page, artifacts, 'wall-map-heat');
    expect((await classify(heatPng, BOX)).hazardMagenta).toBeLessThan(15);
    expect(watched.errors).toEqual([]);
    expect(watched.foreign()).toEqual([]);
  });

  it('flies to a focus within 5 s, rings it, and returns to the scene after', async () => {
    await setScene('hazards');
    await settle('hazards');
    const hz = (await (
      await page.context().request.get(`${baseUrl}/api/wall/layers/hazards`)
    ).json()) as WallHazards;
    const i = Math.max(0, hz.severity.indexOf(3));
    const position: [number, number] = [hz.lon[i]!, hz.lat[i]!];
    const before = await attr('data-camera');

    const t0 = Date.now();
    await page.evaluate(
      (p) => window.__wallHarness.setFocus({ position: p, kind: 'hazard_major', key: '1' }),
      position,
    );
    expect(await attr('data-focus')).toBe('hazard_major:1');
    await expect
      .poll(
        async () => {
          const [lon, lat, zoom] = await camera();
          return (
            Math.abs(lon! - position[0]) < 0.002 &&
            Math.abs(lat! - position[1]) < 0.002 &&
            zoom! > 14.5
          );
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await attr('data-camera')).not.toBe(before);
    expect(await attr('data-layers')).toBe('hazards,focus');
    await page.waitForTimeout(300);
    const png = await screenshot(page, artifacts, 'wall-map-focus');
    expect((await classify(png, BOX)).focusWhite).toBeGreaterThan(30);

    await page.evaluate(() => window.__wallHarness.setFocus(null));
    await expect.poll(() => attr('data-focus')).toBe(null);
    await expect
      .poll(async () => (await camera())[2]! < 12, { timeout: 5_000, interval: 200 })
      .toBe(true);
    expect(await attr('data-layers')).toBe('hazards');
  });

  it('shows only the replay points when given a replay', async () => {
    await setScene('city');
    await settle('ratings,open,whistles,hazards');
    await page.evaluate(() => {
      const n = 400;
      const lon = new Float32Array(n);
      const lat = new Float32Array(n);
      const kind = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        lon[i] = 103.7 + (i % 20) * 0.01;
        lat[i] = 36.0 + Math.floor(i / 20) * 0.006;
        kind[i] = i % 5;
      }
      window.__wallHarness.setReplay({ points: { lon, lat, kind }, fresh: 40 });
    });
    await expect.poll(() => attr('data-layers')).toBe('replay');
    await page.waitForTimeout(1500);
    const png = await screenshot(page, artifacts, 'wall-map-replay');
    const counts = await classify(png, BOX);
    expect(counts.replayAny).toBeGreaterThan(200);
    // the scene's hazards are gone
    expect(counts.hazardMagenta).toBeLessThan(15);
    await page.evaluate(() => window.__wallHarness.setReplay(null));
    await expect.poll(() => attr('data-layers')).toBe('ratings,open,whistles,hazards');
    expect(watched.errors).toEqual([]);
  });
});
