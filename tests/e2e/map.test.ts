import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { RATING_COLORS, TICKET_CATEGORIES } from '../../geo/vocabulary.ts';
import {
  axeViolations,
  countColors,
  DEMO_PASSWORD,
  launch,
  openPage,
  screenshot,
  settle,
  type Rgb,
  type Watched,
} from './browser.ts';

const baseUrl = inject('baseUrl');
const artifacts = inject('artifacts');

let browser: Browser;
const pages: Watched[] = [];

beforeAll(async () => {
  browser = await launch();
});
// SwiftShader draws every open map on the CPU: close each test's page when it is done.
afterEach(async () => {
  for (const w of pages) if (!w.page.isClosed()) await w.page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, signInAs?: string): Promise<Watched> {
  const w = await openPage(browser, `${baseUrl}${path}`, 'zh-CN', { signInAs });
  pages.push(w);
  await settle(w.page);
  return w;
}

async function openWith(
  path: string,
  options: Parameters<typeof openPage>[3] = {},
  lang = 'zh-CN',
): Promise<Watched> {
  const w = await openPage(browser, `${baseUrl}${path}`, lang, options);
  pages.push(w);
  await settle(w.page);
  return w;
}

const app = (page: Page, path: string) =>
  page.evaluate((p) => p.split('.').reduce((o: any, k) => o?.[k], (window as any).__minqing), path);

/** The screen box of an area's bbox, as the map projects it now. */
async function screenBox(page: Page, id: number) {
  return page.evaluate((id) => {
    const m = (window as any).__minqing;
    const d = m.app.areas.detail;
    if (d?.area.id !== id || !d.area.bbox) return null;
    const [w, s, e, n] = d.area.bbox;
    const a = m.map.project([w, n]);
    const b = m.map.project([e, s]);
    return { left: a.x, top: a.y, right: b.x, bottom: b.y };
  }, id);
}

/** What the map area shows without the floating panels on top of it. */
async function mapOnlyScreenshot(page: Page, name: string): Promise<Buffer> {
  const style = await page.addStyleTag({
    content:
      '.topbar, aside, .left, .right, .legend-slot, [data-testid=status-bar] { visibility: hidden !important; }',
  });
  const png = await screenshot(page, artifacts, name);
  await style.evaluate((el) => (el as HTMLElement).remove());
  return png;
}

/** A colour drawn with alpha over the basemap's district fill under the neutral area fill. */
function over(c: readonly number[], alpha: number): Rgb {
  const bg = [20, 47, 74];
  return [0, 1, 2].map((i) => Math.round(c[i] * alpha + bg[i] * (1 - alpha))) as unknown as Rgb;
}

interface Child {
  id: number;
  name: string;
  level: string;
  x: number;
  y: number;
}

/** A child area of the current selection whose label is on screen and picks as itself. */
async function clickableChild(page: Page): Promise<Child> {
  const child = await page.evaluate(() => {
    const m = (window as any).__minqing;
    const app = m.app;
    const features = app.areas.main?.features ?? [];
    const width = innerWidth;
    const height = innerHeight;
    for (const f of features) {
      const p = f.properties;
      if (!p.label || p.id === app.areas.selectedId) continue;
      const p0 = m.map.project(p.label);
      const pt = { x: Math.round(p0.x), y: Math.round(p0.y) };
      // clear of the floating panels
      if (pt.x < 330 || pt.x > width - 420 || pt.y < 80 || pt.y > height - 60) continue;
      const pick = m.overlay.pickObject({ x: pt.x, y: pt.y, radius: 0 });
      const id = pick?.object?.properties?.id ?? pick?.object?.id;
      if (id === p.id) return { id: p.id, name: p.name, level: p.level, x: pt.x, y: pt.y };
    }
    return null;
  });
  if (!child) throw new Error('no clickable child area on screen');
  return child;
}

async function waitForSelection(page: Page, id: number) {
  await page.waitForFunction(
    (id) => {
      const app = (window as any).__minqing.app;
      return app.areas.selectedId === id && app.areas.detail?.area.id === id && !app.areas.loading;
    },
    id,
    { timeout: 60_000 },
  );
  await settle(page);
}

describe('民情地图 in Chromium', () => {
  it('opens on the city: basemap from its own data, deck.gl layers drawn in the expected colours', async () => {
    const w = await open('/');
    const { page } = w;
    await screenshot(page, artifacts, '01-city');

    expect(await page.getByTestId('app-title').textContent()).toBe('民情地图');
    expect(await page.getByTestId('area-name').textContent()).toBe('兰州市');
    const state = await page.evaluate(async () => {
      const app = (window as any).__minqing.app;
      const ratings: Record<string, number> = {};
      // The map draws the compounds from vector tiles; count their colours from the API.
      const all = await (await fetch('/api/areas?level=compound&zoom=8')).json();
      for (const f of all.features)
        ratings[f.properties.rating] = (ratings[f.properties.rating] ?? 0) + 1;
      return {
        districts: app.areas.districts.features.map((f: any) => f.properties.name),
        ratings,
        tickets: app.tickets.points.data?.length ?? 0,
        style: (window as any).__minqing.map.getStyle().layers.map((l: any) => l.id),
        sources: Object.keys((window as any).__minqing.map.getStyle().sources),
      };
    });
    expect(state.districts).toHaveLength(5);
    expect(state.districts).toContain('城关区');
    expect(state.style).toContain('district-fill');
    // The basemap's areas come from the server's own vector tiles.
    expect(state.sources).toContain('area-tiles');
    expect(w.requests.some((u) => /\/tiles\/areas\/\d+\/\d+\/\d+\.mvt/.test(u))).toBe(true);
    // The public sees the published view: no ticket points, the layer locked with a hint.
    expect(state.tickets).toBe(0);
    expect(await page.getByTestId('layer-tickets').isDisabled()).toBe(true);
    expect(await page.getByTestId('layer-tickets-locked').textContent()).toContain('登录后可见');
    expect(await page.getByTestId('signin-open').isVisible()).toBe(true);
    expect(await page.getByTestId('kpi-open').textContent()).toMatch(/\d/);

    const png = await mapOnlyScreenshot(page, '01-city-map-only');
    const colors: Record<string, Rgb> = { basemap: [13, 33, 54] };
    for (const r of RATING_COLORS) colors[`rating-${r.key}`] = over(r.color, 235 / 255);
    const counts = await countColors(browser, png, colors, 16);
    console.log('city view pixel counts', counts, 'compounds by rating', state.ratings);
    expect(counts.basemap).toBeGreaterThan(500);
    for (const r of RATING_COLORS) {
      if ((state.ratings[r.key] ?? 0) >= 3)
        expect(counts[`rating-${r.key}`], r.key).toBeGreaterThan(5);
    }
  });

  it('outlines the finer areas from tiles as the map zooms in, before any drilling', async () => {
    const w = await open('/');
    const { page } = w;
    const rendered = async (zoom: number) => {
      await page.evaluate((z) => {
        const map = (window as any).__minqing.map;
        map.jumpTo({ center: [103.834, 36.061], zoom: z });
        return new Promise((r) => map.once('idle', r));
      }, zoom);
      return page.evaluate(() => {
        const map = (window as any).__minqing.map;
        const n = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
        return {
          district: n('district-outline'),
          subdistrict: n('subdistrict-outline'),
          community: n('community-outline'),
          grid: n('grid-outline'),
        };
      });
    };
    // Downtown 城关区: sub-districts at 10; communities and grids too at 14.
    const at10 = await rendered(10);
    expect(at10.district).toBeGreaterThan(0);
    expect(at10.subdistrict).toBeGreaterThan(0);
    expect(at10.grid).toBe(0);
    const at14 = await rendered(14);
    expect(at14.community).toBeGreaterThan(0);
    expect(at14.grid).toBeGreaterThan(0);
    await settle(page);
    await screenshot(page, artifacts, '01b-zoom-14-area-outlines');
    expect(w.errors).toEqual([]);
  });

  it('recolours tickets by category with the layer switch, and keeps it in the URL', async () => {
    const w = await open('/?layers=areas,tickets', 'city');
    const { page } = w;
    // Colours that no open status has, only categories: elder & child care, sanitation, legal aid.
    const only = ['elder_child_care', 'sanitation', 'legal_aid'];
    const colors = Object.fromEntries(
      TICKET_CATEGORIES.filter((c) => only.includes(c.key)).map((c) => [
        c.key,
        over(c.color, 230 / 255),
      ]),
    );
    const before = await countColors(
      browser,
      await mapOnlyScreenshot(page, '02-tickets-by-status'),
      colors,
      14,
    );
    await page.getByTestId('colorby-tickets-category').click();
    await page.waitForURL(/tickets:category/);
    await settle(page);
    const after = await countColors(
      browser,
      await mapOnlyScreenshot(page, '02-tickets-by-category'),
      colors,
      14,
    );
    console.log('category-only colours before/after', before, after);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(after)).toBeGreaterThan(sum(before) + 10);
  });

  it('drills from a district down to a compound, and the breadcrumb leads back', async () => {
    const w = await open('/?layers=areas,labels');
    const { page } = w;
    const trail: Child[] = [];
    for (const level of ['district', 'subdistrict', 'community', 'grid', 'compound']) {
      const child = await clickableChild(page);
      expect(child.level).toBe(level);
      await page.mouse.click(child.x, child.y);
      await waitForSelection(page, child.id);
      expect(await page.getByTestId('area-name').textContent()).toBe(child.name);
      expect(new URL(page.url()).searchParams.get('area')).toBe(String(child.id));
      trail.push(child);
    }
    await screenshot(page, artifacts, '03-compound');

    // The compound's KPIs and attributes
    for (const id of [
      'kpi-open',
      'kpi-overdue',
      'kpi-completion',
      'kpi-ontime',
      'kpi-satisfaction',
    ]) {
      await expect.poll(() => page.getByTestId(id).isVisible()).toBe(true);
    }
    expect(await page.getByTestId('kpi-completion').textContent()).toContain('一网通办办结率');
    expect(await page.getByTestId('kpi-completion').textContent()).toMatch(/\d+(\.\d)?%|—/);
    const profile = await page.getByTestId('compound-profile').textContent();
    expect(profile).toContain('建成年份');
    expect(profile).toMatch(/物业服务/);
    expect(profile).toMatch(/车位/);
    expect(await page.getByTestId('compound-year').textContent()).toMatch(/^(19|20)\d\d$/);

    const crumbs = await page
      .getByTestId('breadcrumb')
      .locator('button, .current')
      .allTextContents();
    expect(crumbs).toEqual(['兰州市', ...trail.map((c) => c.name)]);

    // Back up to the district through the breadcrumb
    await page.getByTestId('breadcrumb').getByRole('button', { name: trail[0].name }).click();
    await waitForSelection(page, trail[0].id);
    expect(await page.getByTestId('area-name').textContent()).toBe(trail[0].name);
    await screenshot(page, artifacts, '04-back-to-district');
  });

  it('switches the UI to English, and the link keeps the language', async () => {
    const w = await open('/');
    const { page } = w;
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('app-title').textContent()).toBe('Minqing Map');
    expect(await page.getByTestId('area-name').textContent()).toBe('Lanzhou');
    expect(await page.getByTestId('layers').textContent()).toContain('Tickets');
    // the public has the period only (ticket filters could change nothing it sees)
    expect(await page.getByTestId('filters').textContent()).toContain('7 days');
    // the legend starts folded on a laptop-sized screen
    if ((await page.getByTestId('legend-toggle').getAttribute('aria-expanded')) !== 'true') {
      await page.getByTestId('legend-toggle').click();
    }
    expect(await page.getByTestId('legend').textContent()).toContain('Red (intervene)');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.waitForURL(/lang=en/);
    await settle(page);
    await screenshot(page, artifacts, '05-english');

    await page.reload();
    await settle(page);
    expect(await page.getByTestId('kpi-open').textContent()).toContain('Open tickets');
  });

  it('filters tickets, shows tooltips and says when the server cut the list', async () => {
    const w = await open('/?layers=areas,compounds,tickets', 'city');
    const { page } = w;

    const filtered = page.waitForRequest((r) => /\/api\/tickets\?.*category=parking/.test(r.url()));
    await page.getByTestId('filter-category').locator('[data-key=parking]').click();
    await filtered;
    await page.waitForURL(/cat=parking/);
    await settle(page);
    const codes = await page.evaluate(() => {
      const d = (window as any).__minqing.app.tickets.points.data;
      return d ? Array.from(new Set(d.codes[0])) : [];
    });
    expect(codes.every((c) => c === 0)).toBe(true);

    // A time range reloads both the points and the panel's KPIs for that range
    const rangedTickets = page.waitForRequest((r) =>
      /\/api\/tickets\?.*from=\d{4}-\d\d-\d\d/.test(r.url()),
    );
    const rangedKpis = page.waitForRequest((r) =>
      /\/api\/areas\/city\?.*from=\d{4}-\d\d-\d\d/.test(r.url()),
    );
    await page.getByTestId('filters').getByRole('button', { name: '近30天' }).click();
    await Promise.all([rangedTickets, rangedKpis]);
    await page.waitForURL(/from=\d{4}-\d\d-\d\d/);
    await settle(page);

    // Hover a compound dot: the tooltip names it
    const target = await page.evaluate(async () => {
      const m = (window as any).__minqing;
      const onScreen = (pt: { x: number; y: number }) =>
        pt.x > 330 && pt.x < innerWidth - 420 && pt.y > 80 && pt.y < innerHeight - 60;
      // The dots come from vector tiles: their positions (label points) from the API.
      const all = await (await fetch('/api/areas?level=compound&zoom=8')).json();
      const dots = all.features.map((f: any) => {
        const c = { id: f.properties.id, name: f.properties.name };
        const p = m.map.project(f.properties.label);
        return { c, x: Math.round(p.x), y: Math.round(p.y) };
      });
      // A dot no other dot is near, so the mouse cannot land on a neighbour; picking is slow
      // on SwiftShader, so it only confirms the choice.
      for (const d of dots) {
        if (!onScreen(d)) continue;
        if (dots.some((o: any) => o !== d && Math.hypot(o.x - d.x, o.y - d.y) < 14)) continue;
        const pick = m.overlay.pickObject({ x: d.x, y: d.y, radius: 0 });
        if (pick?.layer?.id === 'compounds' && pick.object?.properties?.id === d.c.id) {
          return { x: d.x, y: d.y, name: d.c.name };
        }
      }
      return null;
    });
    expect(target).not.toBeNull();
    await page.mouse.move(target!.x, target!.y);
    await expect.poll(() => page.getByTestId('tooltip').textContent()).toContain(target!.name);
    await screenshot(page, artifacts, '06-tooltip');

    // Click a ticket: its card opens with its timeline
    // Tickets sit in compounds: switch the compound dots off so a ticket is on top.
    await page.locator('label:has([data-testid=layer-compounds])').click();
    await page.waitForURL(/-compounds/);
    await settle(page);
    const ticket = await page.evaluate(() => {
      const m = (window as any).__minqing;
      const d = m.app.tickets.points.data;
      const pos = d.attributes.getPosition.value;
      const pts: { x: number; y: number }[] = [];
      for (let i = 0; d && i < d.length; i++) {
        const p0 = m.map.project([pos[2 * i], pos[2 * i + 1]]);
        pts.push({ x: Math.round(p0.x), y: Math.round(p0.y) });
      }
      for (let i = 0; i < pts.length; i++) {
        const pt = pts[i];
        if (pt.x < 330 || pt.x > innerWidth - 420 || pt.y < 80 || pt.y > innerHeight - 60) continue;
        if (pts.some((o, j) => j !== i && Math.hypot(o.x - pt.x, o.y - pt.y) < 10)) continue;
        const pick = m.overlay.pickObject({ x: pt.x, y: pt.y, radius: 0 });
        if (pick?.layer?.id === 'tickets' && pick.index === i)
          return { x: pt.x, y: pt.y, id: d.ids[i] };
      }
      return null;
    });
    expect(ticket).not.toBeNull();
    await page.mouse.click(ticket!.x, ticket!.y);
    await expect.poll(() => page.getByTestId('ticket-card').isVisible()).toBe(true);
    const card = await page.getByTestId('ticket-card').textContent();
    expect(card).toContain('停车难');
    await screenshot(page, artifacts, '07-ticket');

    // A server-side cut shows in the status bar
    await page.route(/\/api\/tickets\?/, (route) =>
      route.continue({
        url: route
          .request()
          .url()
          .replace(/limit=\d+/, 'limit=5'),
      }),
    );
    await page.getByTestId('status-all').click();
    await expect
      .poll(() => page.getByTestId('truncated').isVisible(), { timeout: 30_000 })
      .toBe(true);
    await screenshot(page, artifacts, '08-truncated');
  });

  it('shows Beijing time on a machine set to UTC, and the public a period filter only', async () => {
    const { page } = await openWith('/', { timezoneId: 'UTC' });
    const clock = (await page.getByTestId('clock').textContent()) ?? '';
    const beijing = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const at = (ms: number) => beijing.format(ms);
    // the minute may tick between reading the page and here
    expect([at(Date.now()), at(Date.now() - 60_000)].some((hm) => clock.includes(hm))).toBe(true);
    // no ticket filters the public cannot use, the period stays (it changes the KPIs)
    await page.getByTestId('filters').waitFor();
    expect(await page.getByTestId('filter-category').count()).toBe(0);
    expect(await page.getByTestId('status-open').count()).toBe(0);
    expect(await page.getByTestId('filter-from').count()).toBe(1);
    const violations = await axeViolations(page);
    console.log('axe (public view):', violations);
    expect(violations).toEqual([]);
  });

  it('keeps a deep link through sign-in, with the area clear of the panels and the legend', async () => {
    // 七里河区, linked before signing in as a community of 城关区
    const w = await openWith('/', {}, 'zh-CN');
    const { page } = w;
    const target = (await page.evaluate(
      () =>
        (window as any).__minqing.app.areas.districts.features.find(
          (f: any) => f.properties.name === '七里河区',
        ).properties.id,
    )) as number;
    await page.goto(`${baseUrl}/?area=${target}`);
    await waitForSelection(page, target);
    await page.getByTestId('signin-open').click();
    await page.getByTestId('signin-username').fill('community');
    await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('account-name').waitFor();
    await settle(page);
    expect(await app(page, 'app.view.area')).toBe(target);
    expect(await app(page, 'app.areas.selectedId')).toBe(target);
    expect(page.url()).toContain(`area=${target}`);

    // the account's own area (no deep link): fitted clear of the legend
    await page.evaluate(() => (window as any).__minqing.app.select(null));
    await settle(page);
    const scope = (await app(page, 'app.session.account.scope')) as { id: number };
    await page.evaluate((id) => (window as any).__minqing.app.select(id), scope.id);
    await waitForSelection(page, scope.id);
    const box = (await screenBox(page, scope.id))!;
    const legend = (await page.locator('[data-inset=legend]').boundingBox())!;
    const left = (await page.locator('[data-inset=left]').boundingBox())!;
    expect(box.bottom).toBeLessThanOrEqual(legend.y + 2);
    expect(box.left).toBeGreaterThanOrEqual(left.x + left.width - 2);
    await screenshot(page, artifacts, '09-signed-in-area-clear-of-legend');

    // a ticket opened from the list flies in; closing it returns the map where it was
    await page.getByTestId('tab-tickets').click();
    const before = (await page.evaluate(() => {
      const m = (window as any).__minqing.map;
      return { zoom: m.getZoom(), center: m.getCenter().toArray() };
    })) as { zoom: number; center: [number, number] };
    await page.locator('[data-testid=ticket-list] tbody tr').first().click();
    await page.getByTestId('ticket-card').waitFor();
    await expect
      .poll(() => page.evaluate(() => (window as any).__minqing.map.getZoom()))
      .toBeGreaterThanOrEqual(15);
    await settle(page);
    await page.getByTestId('ticket-close').click();
    await expect
      .poll(() => page.evaluate(() => (window as any).__minqing.map.getZoom()))
      .toBeCloseTo(before.zoom, 1);
    // category names are whole, not cut to 老旧设…
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('td.col-category, [data-testid=top-categories] .row-name')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
  });

  for (const size of [
    { width: 1920, height: 1080 },
    { width: 390, height: 844 },
    { width: 3840, height: 2160 },
  ]) {
    it(`lays out at ${size.width} px with whole category names`, async () => {
      const { page } = await openWith('/?tab=tickets', { signInAs: 'city', viewport: size });
      await page.getByTestId('tab-overview').click();
      await settle(page);
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid=top-categories] .row-name')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      );
      expect(cut).toEqual([]);
      await screenshot(page, artifacts, `10-city-${size.width}`);
      await page.getByTestId('tab-tickets').click();
      await settle(page);
      const cutRows = await page.evaluate(() =>
        [...document.querySelectorAll('td.col-category')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      );
      expect(cutRows).toEqual([]);
      await screenshot(page, artifacts, `11-tickets-${size.width}`);
    });
  }

  it('asked no host but the local server', () => {
    const foreign = pages.flatMap((w) => w.foreign());
    expect(foreign).toEqual([]);
    const all = pages.flatMap((w) => w.requests);
    expect(all.some((u) => u.includes('/api/tickets?') && u.includes('format=binary'))).toBe(true);
    const errors = pages.flatMap((w) => w.errors);
    console.log(`requests: ${all.length}; console errors: ${errors.length}`, errors.slice(0, 5));
    expect(errors).toEqual([]);
  });
});
