import { describe, expect, it } from 'vitest';
import { encodePoints, FLAG_OVERDUE } from '../../geo/point-codec.ts';
import { RATING_COLORS, TICKET_CATEGORIES, TICKET_STATUSES, codeOf } from '../../geo/vocabulary.ts';
import { areaFillColor, buildAreasLayers } from '../../web/src/lib/layers/areas.ts';
import { compoundPoints } from '../../web/src/lib/layers/compounds.ts';
import { buildLayers, type MapData } from '../../web/src/lib/layers/index.ts';
import { areaLabels, declutterLabels, worldPixels } from '../../web/src/lib/layers/labels.ts';
import { THEME, rampColor } from '../../web/src/lib/layers/palette.ts';
import { ticketColor } from '../../web/src/lib/layers/tickets.ts';
import { decodePoints } from '../../geo/point-codec.ts';
import type {
  AreaCollection,
  AreaFeature,
  AreaProperties,
  PointData,
} from '../../web/src/lib/types.ts';
import { defaultLayers } from '../../web/src/lib/view-config.ts';

function area(p: Partial<AreaProperties> & { id: number }): AreaFeature {
  return {
    type: 'Feature',
    id: p.id,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [103.8, 36.0],
          [103.81, 36.0],
          [103.81, 36.01],
          [103.8, 36.0],
        ],
      ],
    },
    properties: {
      level: 'compound',
      name: `小区${p.id}`,
      code: null,
      parentId: 1,
      label: [103.805, 36.005],
      rating: null,
      score: null,
      openTickets: 0,
      overdueTickets: 0,
      ...p,
    },
  };
}
const fc = (features: AreaFeature[]): AreaCollection => ({ type: 'FeatureCollection', features });

function points(rows: { category: string; status: string; overdue?: boolean }[]): PointData {
  const n = rows.length;
  const cols = decodePoints(
    encodePoints({
      positions: new Float32Array(rows.flatMap((_, i) => [103.8 + i * 0.01, 36.05])),
      ids: new Uint32Array(rows.map((_, i) => 100 + i)),
      codes: [
        new Uint8Array(rows.map((r) => codeOf(TICKET_CATEGORIES, r.category as never))),
        new Uint8Array(rows.map((r) => codeOf(TICKET_STATUSES, r.status as never))),
        new Uint8Array(n),
        new Uint8Array(rows.map((r) => (r.overdue ? FLAG_OVERDUE : 0))),
      ],
    }),
  );
  return {
    length: n,
    attributes: { getPosition: { value: cols.positions, size: 2 } },
    ids: cols.ids,
    codes: cols.codes,
  };
}

const emptyData: MapData = {
  areas: { main: null, context: null, selectedId: null },
  compounds: null,
  tickets: null,
  hazards: null,
  labels: [],
};

describe('layer builders', () => {
  it('always builds the same layers, in drawing order, with stable ids', () => {
    const ids = buildLayers(defaultLayers(), emptyData).map((l) => l.id);
    expect(ids).toEqual([
      'areas-context',
      'areas',
      'cells',
      'cells-selected',
      'coverage',
      // 党建覆盖 over the grids' patrol coverage, under the dots
      'party',
      'party-gaps',
      // check-ins under the compound dots, so a dot stays clickable where they overlap
      'patrols',
      'patrols-checkins',
      'compounds',
      // managed compounds coloured by their company's credit grade
      'credit',
      // 财务公开: areas by on-time share, managed compounds by the month's status
      'disclosure',
      'disclosure-compounds',
      // red compounds ringed by their follow-up plan's state, over the rating dots
      'followups',
      // 议事协商: proposals per compound (public: published results)
      'deliberation',
      // k-anonymous mediation counts (the layer holds no place under k = 5) with their numbers
      'mediation',
      'mediation-count',
      // 执法进小区 visits per compound
      'enforcement',
      // public service points: a dot per point, its kind's character close up
      'services',
      'services-glyph',
      'hazards',
      'tickets',
      'whistles',
      'whistles-sites',
      'facts',
      'cell-tickets',
      'labels',
      'drawing-polygon',
      'drawing-vertices',
      'selection',
    ]);
  });

  it('hides a layer with `visible` instead of removing it', () => {
    const configs = defaultLayers();
    configs.tickets.visible = false;
    const layers = buildLayers(configs, emptyData);
    const tickets = layers.find((l) => l.id === 'tickets')!;
    expect(tickets.props.visible).toBe(false);
    expect(layers.find((l) => l.id === 'hazards')!.props.visible).toBe(true);
  });

  it('feeds tickets to deck.gl as binary attributes and colours them by the chosen column', () => {
    const data = points([
      { category: 'parking', status: 'received' },
      { category: 'noise', status: 'closed', overdue: true },
    ]);
    const configs = defaultLayers();
    const layer = buildLayers(configs, { ...emptyData, tickets: data }).find(
      (l) => l.id === 'tickets',
    )!;
    const props = layer.props as unknown as {
      data: PointData;
      getFillColor: (o: unknown, ctx: { index: number; data: PointData }) => number[];
      getLineColor: (o: unknown, ctx: { index: number; data: PointData }) => number[];
      updateTriggers: Record<string, unknown[]>;
    };
    expect(props.data.length).toBe(2);
    expect(props.data.attributes.getPosition.size).toBe(2);
    expect(props.data.attributes.getPosition.value).toBeInstanceOf(Float32Array);
    expect(props.getFillColor(null, { index: 1, data }).slice(0, 3)).toEqual([
      ...TICKET_STATUSES[5].color,
    ]);
    expect(props.getLineColor(null, { index: 1, data })).toEqual(THEME.overdueRing);
    expect(props.updateTriggers.getFillColor).toEqual(['status']);

    configs.tickets.colorBy = 'category';
    const byCategory = buildLayers(configs, { ...emptyData, tickets: data }).find(
      (l) => l.id === 'tickets',
    )!;
    expect((byCategory.props as unknown as typeof props).updateTriggers.getFillColor).toEqual([
      'category',
    ]);
    expect(ticketColor(data, 0, 'category').slice(0, 3)).toEqual([...TICKET_CATEGORIES[0].color]);
    expect(ticketColor(data, 1, 'category').slice(0, 3)).toEqual([
      ...TICKET_CATEGORIES.find((c) => c.key === 'noise')!.color,
    ]);
  });

  it('colours grids and compounds by their three-colour rating', () => {
    const red = RATING_COLORS.find((r) => r.key === 'red')!.color;
    expect(areaFillColor(area({ id: 1, rating: 'red' }), 'rating', 0).slice(0, 3)).toEqual([
      ...red,
    ]);
    expect(areaFillColor(area({ id: 2, rating: null }), 'rating', 0)).toEqual(THEME.unratedFill);
    expect(areaFillColor(area({ id: 3, level: 'district', rating: 'red' }), 'rating', 0)).toEqual([
      ...red,
      85,
    ]);
    expect(areaFillColor(area({ id: 5, level: 'district', rating: null }), 'rating', 0)).toEqual(
      THEME.neutralFill,
    );
    expect(
      areaFillColor(area({ id: 6, level: 'subdistrict', rating: 'blue' }), 'rating', 0),
    ).toEqual(THEME.neutralFill);
    expect(areaFillColor(area({ id: 4, openTickets: 10 }), 'open', 10)).toEqual(rampColor(1, 140));
  });

  it('marks the selected area in both the drill and the context layer', () => {
    const [context, main] = buildAreasLayers(defaultLayers().areas, {
      main: fc([area({ id: 7 }), area({ id: 8 })]),
      context: fc([area({ id: 3 })]),
      selectedId: 8,
    });
    expect(context.id).toBe('areas-context');
    expect(main.id).toBe('areas');
    const getLineColor = main.props.getLineColor as unknown as (f: AreaFeature) => number[];
    expect(getLineColor(area({ id: 8 }))).toEqual(THEME.selectedLine);
    expect(getLineColor(area({ id: 7 }))).toEqual(THEME.areaLine);
    expect(main.props.updateTriggers).toMatchObject({ getLineColor: [8] });
  });

  it('turns compound polygons into rating dots with red on top', () => {
    const dots = compoundPoints(
      fc([
        area({ id: 1, rating: 'red' }),
        area({ id: 2, rating: 'blue' }),
        area({ id: 3, rating: 'yellow' }),
        area({ id: 4, label: null }),
      ]),
    );
    expect(dots.map((d) => d.rating)).toEqual(['blue', 'yellow', 'red']);
    expect(dots[0].position).toEqual([103.805, 36.005]);
  });

  it('labels areas with their names, the selected one larger', () => {
    const labels = areaLabels(
      fc([area({ id: 1, name: '华龙街道', level: 'subdistrict' }), area({ id: 2 })]),
      2,
    );
    expect(labels).toMatchObject([
      { id: 1, position: [103.805, 36.005], text: '华龙街道', major: false },
      { id: 2, position: [103.805, 36.005], text: '小区2', major: true },
    ]);
    expect(labels[1].priority).toBeGreaterThan(labels[0].priority);
    const textLayer = buildLayers(defaultLayers(), { ...emptyData, labels }).find(
      (l) => l.id === 'labels',
    )!;
    expect(textLayer.props).toMatchObject({ characterSet: 'auto' });
  });

  it('drops labels that would collide with a more important one at this zoom', () => {
    const label = (id: number, lon: number, priority: number) => ({
      id,
      position: [lon, 36.05] as [number, number],
      text: '某某街道',
      major: false,
      priority,
    });
    // 0.001° of longitude is about 1.5 px at zoom 10 and about 100 px at zoom 16
    const labels = [label(1, 103.8, 1), label(2, 103.801, 5), label(3, 103.9, 1)];
    expect(declutterLabels(labels, 10).map((l) => l.id)).toEqual([2, 3]);
    expect(declutterLabels(labels, 16).map((l) => l.id)).toEqual([1, 2, 3]);
    const [x0] = worldPixels([0, 0], 0);
    expect(x0).toBe(256);
  });
});
