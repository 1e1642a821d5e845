import { ScatterplotLayer } from '@deck.gl/layers';
import { describe, expect, it } from 'vitest';
import { defineLayer, type LayerSources } from '../../web/src/lib/layers/define.ts';
import { buildLayers as buildByData, type MapData } from '../../web/src/lib/layers/index.ts';
import {
  LAYERS,
  buildLayers,
  clickAction,
  describePick,
  isClickable,
  layerData,
  legendEntries,
  panelItems,
  type AnyLayer,
} from '../../web/src/lib/layers/registry.ts';
import { fitPadding } from '../../web/src/lib/map/padding.ts';
import { api } from '../../web/src/lib/api.ts';
import { defaultFilters, defaultLayers, LAYER_ORDER } from '../../web/src/lib/view-config.ts';

const points = (ids: number[]) => ({
  length: ids.length,
  attributes: { getPosition: { value: new Float32Array(ids.length * 2), size: 2 } },
  ids: Uint32Array.from(ids),
  codes: [
    new Uint8Array(ids.length),
    new Uint8Array(ids.length),
    new Uint8Array(ids.length),
    new Uint8Array(ids.length),
  ],
});

const data: MapData = {
  areas: { main: null, context: null, selectedId: null },
  compounds: null,
  tickets: points([41]),
  hazards: points([7]),
  labels: [],
};
const dataOf = (id: string) => data[id] ?? null;

const access = (...can: string[]) => ({ can: (c: string) => can.includes(c) });
const supervisor = access(
  'points.read',
  'tickets.read',
  'hazards.read',
  'tickets.dispatch',
  'patrols.read',
  'whistles.read',
);
const planner = access('points.read');
const publicView = access();

describe('layer registry', () => {
  it('has an entry for every configurable layer and builds them in its order', () => {
    expect(
      LAYERS.filter((l) => !('hidden' in l && l.hidden))
        .map((l) => l.id)
        .sort(),
    ).toEqual([...LAYER_ORDER].sort());
    const ids = buildByData(defaultLayers(), data).map((l) => l.id);
    expect(ids.indexOf('patrols-checkins')).toBeLessThan(ids.indexOf('compounds'));
    expect(ids.indexOf('labels')).toBeGreaterThan(ids.indexOf('tickets'));
  });

  it('opens points only for accounts that may, and says 点击查看 only to them', () => {
    const pick = { layerId: 'tickets', index: 0, object: null };
    expect(clickAction(LAYERS, pick, dataOf, supervisor)).toEqual({ kind: 'ticket', id: 41 });
    expect(clickAction(LAYERS, pick, dataOf, planner)).toBeNull();
    expect(isClickable(LAYERS, 'tickets', planner)).toBe(false);
    expect(isClickable(LAYERS, 'hazards', planner)).toBe(false);
    const hint = (a: typeof planner) =>
      describePick(LAYERS, pick, dataOf, 'zh', isClickable(LAYERS, 'tickets', a))?.hint;
    expect(hint(supervisor)).toBe('点击查看');
    expect(hint(planner)).toBeUndefined();
    // areas stay clickable for everyone
    expect(isClickable(LAYERS, 'compounds', planner)).toBe(true);
  });

  it('sends a click on a name or a check-in to its compound, not into the void', () => {
    const label = { layerId: 'labels', index: 0, object: { id: 536, text: '龙源小区' } };
    expect(clickAction(LAYERS, label, dataOf, planner)).toEqual({ kind: 'area', id: 536 });
    const checkin = {
      layerId: 'patrols-checkins',
      index: 0,
      object: { properties: { kind: 'checkin', compoundId: 536, compoundName: '龙源小区' } },
    };
    expect(clickAction(LAYERS, checkin, dataOf, supervisor)).toEqual({ kind: 'area', id: 536 });
    expect(isClickable(LAYERS, 'patrols', supervisor)).toBe(false);
  });

  it('reads who may see a layer from capabilities: the public sees private layers locked', () => {
    const sources = { patrols: { day: 'today' } } as LayerSources;
    const items = (a: typeof planner, signedIn: boolean) =>
      panelItems(LAYERS, { ...a, signedIn }, sources, 'zh');
    const pub = items(publicView, false);
    expect(pub.find((i) => i.id === 'tickets')).toMatchObject({ locked: true, name: '诉求工单' });
    expect(pub.find((i) => i.id === 'areas')).toMatchObject({ locked: false });
    // a planner reads the points (points.read) but no whistles: that row is left out
    const plan = items(planner, true);
    expect(plan.find((i) => i.id === 'tickets')).toMatchObject({ locked: false, readable: true });
    expect(plan.some((i) => i.id === 'whistles')).toBe(false);
    // the legend lists only what the account may read
    const legend = (a: typeof planner) =>
      legendEntries(LAYERS, defaultLayers(), a, { lang: 'zh', filter: defaultFilters() }).map(
        (b) => b.key,
      );
    expect(legend(publicView)).toEqual(['rating']);
    expect(legend(supervisor)).toContain('whistles');
  });
});

/** A layer as the next issues add them: one module (this object) and one line in the list. */
const hexLayer = defineLayer({
  id: 'hex',
  defaults: { kind: 'hex', visible: true, colorBy: ['count', 'overdue'] },
  capability: ['tickets.read'],
  messages: {
    zh: { 'layer.hex': '六边形聚合', 'legend.hex': '每格工单数' },
    en: { 'layer.hex': 'Hexagon bins', 'legend.hex': 'Tickets per cell' },
  },
  load: {
    fetch: async (q) => ({ cells: [{ position: [103.8, 36.05], count: 3 }], bbox: q.bbox }),
  },
  build: (config, d) =>
    new ScatterplotLayer({
      id: 'hex',
      data: d?.cells ?? [],
      visible: config.visible,
      pickable: true,
      getPosition: (c: { position: [number, number] }) => c.position,
      updateTriggers: { getFillColor: [config.colorBy] },
    }),
  legend: (config, ctx) => [
    {
      key: 'hex',
      title: `${ctx.t('layer.hex')} · ${ctx.t('legend.hex')}`,
      items: [{ label: config.colorBy, color: '#f00', shape: 'square' }],
    },
  ],
  tooltip: {
    hex: (pick, d) => ({
      title: `${d?.cells[pick.index]?.count ?? 0}`,
      lines: [],
      hint: '点击查看',
    }),
  },
  picks: { hex: { click: () => ({ kind: 'area', id: 1 }), needs: ['tickets.read'] } },
});

describe('adding a layer', () => {
  const defs: readonly AnyLayer[] = [...LAYERS, hexLayer];
  const configs = {
    ...defaultLayers(),
    hex: { id: 'hex', kind: 'hex' as const, visible: true, colorBy: 'count' },
  };

  it('is one module and one registry line: the panel, legend, map and tooltip all show it', async () => {
    // its data: what its own loader brings for the map filter and the viewport (LayerDataState
    // calls it while the layer is on and readable; the app reads it back through `loaded`)
    const brought = await hexLayer.load!.fetch(
      {
        api,
        filter: defaultFilters(),
        area: null,
        bbox: [103, 36, 104, 37],
        zoom: 12,
        config: configs.hex as never,
      },
      new AbortController().signal,
    );
    const sources = {
      ...({ patrols: { day: 'today' } } as LayerSources),
      loaded: (id: string) => (id === 'hex' ? brought : null),
    };
    const all = layerData(
      defs.filter((d) => d.id === 'hex'),
      sources,
    );
    expect(all.hex).toMatchObject({ cells: [{ count: 3 }], bbox: [103, 36, 104, 37] });

    const panel = panelItems(defs, { ...supervisor, signedIn: true }, sources, 'zh');
    expect(panel[0]).toMatchObject({
      id: 'hex',
      name: '六边形聚合',
      colorBy: ['count', 'overdue'],
    });
    const en = panelItems(defs, { ...supervisor, signedIn: true }, sources, 'en');
    expect(en[0].name).toBe('Hexagon bins');

    const legend = legendEntries(defs, configs, supervisor, {
      lang: 'zh',
      filter: defaultFilters(),
    });
    expect(legend.at(-1)).toMatchObject({ key: 'hex', title: '六边形聚合 · 每格工单数' });

    const layers = buildLayers(defs, configs, (id) =>
      id === 'hex' ? all.hex : (dataOf(id) ?? buildDefault(id)),
    );
    expect(layers.at(-1)?.id).toBe('hex');

    const pick = { layerId: 'hex', index: 0, object: null };
    expect(describePick(defs, pick, () => all.hex, 'zh')?.title).toBe('3');
    expect(clickAction(defs, pick, () => all.hex, supervisor)).toEqual({ kind: 'area', id: 1 });
    expect(isClickable(defs, 'hex', planner)).toBe(false);
    // …and the planner, without tickets.read, is not offered it at all
    expect(panelItems(defs, { ...planner, signedIn: true }, sources, 'zh')[0].id).not.toBe('hex');
  });
});

const buildDefault = (id: string): unknown =>
  ({
    whistles: { whistles: null, arcs: [] },
    patrols: { tracks: [], checkins: [] },
    coverage: [],
    selection: [],
  })[id] ?? null;

describe('fit padding', () => {
  const screen = { width: 1920, height: 1080 };
  it('keeps the fitted area clear of both columns and the legend', () => {
    const pad = fitPadding(screen, {
      left: { left: 12, right: 312, top: 68, bottom: 1068 },
      right: { left: 1508, right: 1908, top: 68, bottom: 1068 },
      legend: { left: 324, right: 600, top: 760, bottom: 1068 },
    });
    expect(pad.left).toBeGreaterThanOrEqual(312);
    expect(pad.right).toBeGreaterThanOrEqual(1920 - 1508);
    expect(pad.bottom).toBeGreaterThanOrEqual(1080 - 760);
    expect(pad.top).toBeGreaterThanOrEqual(68);
  });

  it('puts a bottom sheet under the area on a phone and never squeezes it to nothing', () => {
    const phone = { width: 390, height: 844 };
    const pad = fitPadding(phone, { right: { left: 12, right: 378, top: 464, bottom: 832 } });
    expect(pad.bottom).toBeGreaterThanOrEqual(844 - 464);
    expect(phone.height - pad.top! - pad.bottom!).toBeGreaterThanOrEqual(844 / 3 - 1);
    expect(pad.left! + pad.right!).toBeLessThan(390 / 2);
  });
});
