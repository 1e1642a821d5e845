import { describe, expect, it } from 'vitest';
import { TICKET_CATEGORIES } from '../../geo/vocabulary.ts';
import { translator } from '../../web/src/lib/i18n.ts';
import { hexCells } from '../../web/src/lib/layers/cells.ts';
import {
  areasUrl,
  cellUrl,
  compareUrl,
  coverageUrl,
  exportFilename,
  hotspotsUrl,
  mergeOutlines,
  renovationUrl,
  selectionBody,
} from '../../web/src/lib/planner/api.ts';
import {
  decodePlanner,
  defaultComparison,
  defaultPlanner,
  encodePlanner,
  lastTwelveMonths,
  type PlannerConfig,
} from '../../web/src/lib/planner/config.ts';
import { plannerLegend } from '../../web/src/lib/planner/legend.ts';
import { niceLength } from '../../web/src/lib/planner/map-image.ts';
import {
  binHex,
  binOf,
  binRows,
  emergingHex,
  factHex,
  quantileBreaks,
  ratioHex,
  RESIDUAL_HEX,
  residualBin,
  residualHex,
  residualLabels,
  SEQ_HEX,
  SPOT_HEX,
  spotFill,
} from '../../web/src/lib/planner/scales.ts';
import type { Compare, CompoundFacts, CoverageRisk, Hotspots } from '../../web/src/lib/types.ts';
import { defaultFilters } from '../../web/src/lib/view-config.ts';

describe('planner config in the URL', () => {
  it('is absent when the workbench is off, and plain when it is on with defaults', () => {
    expect(encodePlanner(defaultPlanner())).toBe('');
    expect(encodePlanner({ ...defaultPlanner(), active: true })).toBe('mode=planner');
    expect(decodePlanner('?mode=planner')).toEqual({ ...defaultPlanner(), active: true });
  });

  it('round-trips a full configuration', () => {
    const c: PlannerConfig = {
      active: true,
      view: 'compare',
      res: 9,
      metric: 'rate',
      colorBy: 'rate',
      unit: 'community',
      k: 2,
      extrude: true,
      facts: 'parking',
      oldOnly: true,
      months: 18,
      a: { from: '2025-10-01', to: '2025-12-01' },
      b: { from: '2026-10-01', to: '2026-12-01' },
      by: 'area',
      level: 'subdistrict',
      cov: 'h3',
      tab: 'renovation',
      cell: '8824d2008bfffff',
      polygon: [
        [103.8, 36.03],
        [103.9, 36.03],
        [103.9, 36.1],
      ],
    };
    const q = encodePlanner(c);
    expect(q).toContain('a=2025-10-01,2025-12-01'.replace('a=', 'ca='));
    expect(q).toContain('poly=103.8,36.03;103.9,36.03;103.9,36.1');
    expect(decodePlanner(q)).toEqual(c);
  });

  it('round-trips the hot-spot unit (hu): H3 cells by default, or the areas of a level', () => {
    for (const unit of ['district', 'subdistrict', 'community', 'grid'] as const) {
      const c: PlannerConfig = { ...defaultPlanner(), active: true, unit, colorBy: 'rate' };
      const q = encodePlanner(c);
      expect(q).toBe(`mode=planner&pc=rate&hu=${unit}`);
      expect(decodePlanner(`?${q}`)).toEqual(c);
    }
    expect(encodePlanner({ ...defaultPlanner(), active: true, unit: 'h3' })).toBe('mode=planner');
    expect(decodePlanner('?mode=planner&hu=compound').unit).toBe('h3');
    expect(decodePlanner('?mode=planner&hu=planet').unit).toBe('h3');
  });

  it('falls back to the default for anything malformed', () => {
    const c = decodePlanner(
      'mode=planner&res=6&pc=heat&k=9&em=99&ca=2026-12-01,2026-01-01&cell=nothex&poly=1,2;3',
    );
    expect(c).toEqual({ ...defaultPlanner(), active: true });
  });

  it('compares this quarter to date with the same days a year earlier', () => {
    expect(defaultComparison('2026-11-30')).toEqual({
      a: { from: '2025-10-01', to: '2025-12-01' },
      b: { from: '2026-10-01', to: '2026-12-01' },
    });
    expect(defaultComparison('2026-02-14').b).toEqual({ from: '2026-01-01', to: '2026-02-15' });
    expect(lastTwelveMonths('2026-11-30')).toEqual([
      ...['2025-12-01'],
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`),
    ]);
  });
});

describe('the hot-spot view by area', () => {
  const square = (x: number): [number, number][][] => [
    [
      [x, 36],
      [x + 0.01, 36],
      [x + 0.01, 36.01],
      [x, 36],
    ],
  ];
  const rows = [1, 2, 3, 4, 5, 6].map((i) => ({
    id: i,
    level: 'subdistrict' as const,
    name: `街道${i}`,
    count: i * 10,
    households: i === 6 ? 0 : 1000,
    rate: i === 6 ? null : i,
    open: i,
    closed: i * 9,
  }));
  const data = { period: { from: '2026-01-01', to: '2026-12-01' }, rows };
  const outlines = new Map(rows.map((r) => [String(r.id), [square(103 + r.id / 10)]]));

  it('asks the area ranking of the level, its export the same URL with format', () => {
    const filter = { ...defaultFilters(), status: [], from: '2026-01-01' };
    expect(areasUrl({ filter, level: 'subdistrict', parent: null }, 'csv')).toBe(
      '/api/analytics/areas?from=2026-01-01&level=subdistrict&format=csv',
    );
  });

  it('colours areas by quantile bins of the count or the rate; a click opens the area', () => {
    const d = hexCells({ kind: 'areas', data, colorBy: 'count', outlines }, 'zh', {
      extrude: false,
      selected: null,
    });
    expect(d.cells).toHaveLength(6);
    expect(d.breaks[0]).toBe(10);
    expect(d.breaks[d.breaks.length - 1]).toBe(60);
    const top = d.cells.find((c) => c.h3 === '6')!;
    expect(top.fill.slice(0, 3)).toEqual([0xbd, 0x00, 0x26]);
    expect(top.click).toEqual({ kind: 'area', id: 6 });
    expect(top.title).toBe('街道6');
    expect(top.lines.join(' ')).toContain('工单 60 件');
    expect(top.lines.join(' ')).toContain('住户 0 户');
    // by rate: an area without households has no rate and stays grey
    const r = hexCells({ kind: 'areas', data, colorBy: 'rate', outlines }, 'en', {
      extrude: false,
      selected: null,
    });
    expect(r.cells.find((c) => c.h3 === '6')!.fill).toEqual([120, 130, 140, 60]);
    expect(r.breaks).toEqual([1, 2, 3, 4, 5]);
  });

  it('has a legend with the bin edges as numbers, the unit and the number of areas', () => {
    const t = translator('zh');
    const config = { ...defaultPlanner(), active: true, unit: 'subdistrict' as const };
    const [b] = plannerLegend(
      { config, hotspots: null, emerging: null, compare: null, areaMap: data, facts: null },
      t,
    );
    expect(b.title).toBe('热点分析 · 街道 · 工单数');
    expect(b.rows.map((x) => x.label)).toEqual([
      '10 – 20',
      '20 – 30',
      '30 – 40',
      '40 – 50',
      '50 – 60',
    ]);
    expect(b.rows.reduce((a, x) => a + (x.count ?? 0), 0)).toBe(6);
    expect(b.method).toContain('单位：件');
    expect(b.method).toContain('6 个区域');
    const [rate] = plannerLegend(
      {
        config: { ...config, colorBy: 'rate', unit: 'grid' },
        hotspots: null,
        emerging: null,
        compare: null,
        areaMap: data,
        facts: null,
        lang: 'en',
      },
      translator('en'),
    );
    expect(rate.title).toBe('Hot spots · Grid · Per 100 households');
    expect(rate.method).toContain('Unit: tickets per 100 households');
    expect(rate.method).toContain('1 areas without households');
  });
});

describe('analytics URLs and export names', () => {
  const filter = { ...defaultFilters(), status: [], category: ['parking'], from: '2026-01-01' };

  it('puts the shown query and the export format in one URL', () => {
    expect(hotspotsUrl({ filter, res: 8, metric: 'count', k: 1 }, 'csv')).toBe(
      '/api/analytics/hotspots?category=parking&from=2026-01-01&res=8&metric=count&k=1&format=csv',
    );
    expect(cellUrl('8824d2008bfffff', { ...filter, status: ['open'] })).toBe(
      '/api/analytics/cells/8824d2008bfffff?category=parking&from=2026-01-01',
    );
    const url = compareUrl({
      filter,
      a: { from: '2025-10-01', to: '2025-12-01' },
      b: { from: '2026-10-01', to: '2026-12-01' },
      by: 'h3',
      res: 8,
      level: 'district',
    });
    expect(url).toBe(
      '/api/analytics/compare?category=parking&a=2025-10-01,2025-12-01&b=2026-10-01,2026-12-01&by=h3&res=8',
    );
  });

  it('closes the drawn ring and carries the filter into the selection body', () => {
    const body = selectionBody(
      [
        [1, 2],
        [3, 2],
        [3, 4],
      ],
      filter,
    );
    expect(body.polygon.coordinates[0]).toEqual([
      [1, 2],
      [3, 2],
      [3, 4],
      [1, 2],
    ]);
    expect(body).toMatchObject({ from: '2026-01-01', category: ['parking'] });
    expect(body).not.toHaveProperty('to');
  });

  it('names downloads in ASCII, with what, parameters and period', () => {
    expect(
      exportFilename(
        'hotspots',
        ['res8', 'count', false, null],
        { from: '2026-01-01', to: '' },
        'csv',
      ),
    ).toBe('minqing-hotspots-res8-count-2026-01-01_now.csv');
    expect(exportFilename('cell', ['8824d2008bfffff'], { from: '', to: '' }, 'geojson')).toBe(
      'minqing-cell-8824d2008bfffff-last365_now.geojson',
    );
    expect(exportFilename('renovation', ['老旧 Before 2001'], null, 'csv')).toBe(
      'minqing-renovation-before-2001.csv',
    );
  });
});

describe('colour scales and legend bins', () => {
  it('uses the diverging class colours, none nearly transparent', () => {
    expect(SPOT_HEX.hot99).toBe('#b2182b');
    expect(SPOT_HEX.cold99).toBe('#2166ac');
    expect(spotFill('hot99')).toEqual([178, 24, 43, 215]);
    expect(spotFill('none')[3]).toBeLessThan(40);
  });

  it('makes quantile edges without empty bins, and bins each value', () => {
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 5)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(quantileBreaks([0, 0, 0, 0, 5], 5)).toEqual([0, 5]);
    expect(quantileBreaks([NaN, 2])).toEqual([2]);
    const b = [1, 3, 5, 7, 9, 11];
    expect([1, 2.9, 3, 10, 11, 99].map((v) => binOf(v, b))).toEqual([0, 0, 1, 4, 4, 4]);
    expect(binHex(0, 5)).toBe(SEQ_HEX[0]);
    expect(binHex(1, 2)).toBe(SEQ_HEX[4]);
    const rows = binRows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], b, String);
    expect(rows.map((r) => r.label)).toEqual(['1 – 3', '3 – 5', '5 – 7', '7 – 9', '9 – 11']);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(11);
  });

  it('colours emerging classes, ratios and compound facts', () => {
    expect(emergingHex('intensifying_hot')).toMatch(/^#/);
    expect(emergingHex('intensifying_hot')).not.toBe(emergingHex('intensifying_cold'));
    expect(emergingHex('none')).toBeNull();
    expect(ratioHex(1)).toBe('#f7f7f7');
    expect(ratioHex(3)).toBe('#b2182b');
    expect(ratioHex(0.2)).toBe('#2166ac');
    expect(ratioHex(null)).toBe('#b2182b');
    const c = { yearBuilt: 1995, pipeCondition: 'poor', elevatorCandidates: 0, parkingGap: 200 };
    expect(factHex('yearBuilt', c as CompoundFacts)).toBe('#fc8d59');
    expect(factHex('pipes', c as CompoundFacts)).toBe('#d73027');
    expect(factHex('elevator', c as CompoundFacts)).toBe('#5d7893');
    expect(factHex('parking', c as CompoundFacts)).toBe('#fc8d59');
  });

  it('rounds the PNG scale bar to 1, 2 or 5 × 10ⁿ', () => {
    expect(niceLength(1234)).toBe(1000);
    expect(niceLength(2600)).toBe(2000);
    expect(niceLength(7000)).toBe(5000);
    expect(niceLength(0)).toBe(0);
  });
});

describe('hex cells and their legend', () => {
  const hotspots: Hotspots = {
    method: {
      statistic: 'gi*',
      neighbourhood: { kind: 'k-ring', k: 1, res: 8 },
      fdr: 'benjamini-hochberg',
      metric: 'count',
      studyCells: 3,
      source: 'rollups',
    },
    period: { from: '2025-11-30T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' },
    cells: [
      {
        h3: '8824d2008bfffff',
        count: 90,
        households: 200,
        rate: 45,
        z: 3.1,
        p: 0.002,
        q: 0.006,
        class: 'hot99',
      },
      {
        h3: '8824d20091fffff',
        count: 10,
        households: 0,
        rate: null,
        z: 0.1,
        p: 0.9,
        q: 0.9,
        class: 'none',
      },
      {
        h3: '8824d20093fffff',
        count: 2,
        households: 400,
        rate: 0.5,
        z: -2,
        p: 0.04,
        q: 0.08,
        class: 'cold90',
      },
    ],
  };

  it('draws each cell as its H3 hexagon in its class colour', () => {
    const d = hexCells({ kind: 'hotspots', data: hotspots, colorBy: 'class' }, 'zh', {
      extrude: true,
      selected: null,
    });
    expect(d.cells).toHaveLength(3);
    expect(d.cells[0].polygon.length).toBe(7); // closed ring of six corners
    expect(d.cells[0].fill.slice(0, 3)).toEqual([178, 24, 43]);
    expect(d.cells[0].elevation).toBeGreaterThan(d.cells[2].elevation);
    expect(d.cells[0].title).toBe('热点 · 99% 置信');
  });

  it('counts the classes in the legend and states the method', () => {
    const t = translator('en');
    const config = { ...defaultPlanner(), active: true };
    const [block] = plannerLegend(
      { config, hotspots, emerging: null, compare: null, facts: null },
      t,
    );
    expect(block.rows.find((r) => r.hex === SPOT_HEX.hot99)?.count).toBe(1);
    expect(block.rows.find((r) => r.hex === SPOT_HEX.cold90)?.count).toBe(1);
    expect(block.method).toContain('Getis-Ord Gi*');
    expect(block.method).toContain('k = 1');
    expect(block.method).toContain('Benjamini–Hochberg');
    const [rate] = plannerLegend(
      {
        config: { ...config, colorBy: 'rate' },
        hotspots,
        emerging: null,
        compare: null,
        facts: null,
      },
      t,
    );
    // the cell without households has no rate and no bin
    expect(rate.rows.reduce((n, r) => n + (r.count ?? 0), 0)).toBe(2);
    expect(rate.rows[0].label).toMatch(/^0\.5 – /);
  });

  it('names every emerging class in both languages', () => {
    for (const lang of ['zh', 'en'] as const) {
      const t = translator(lang) as (k: string) => string;
      expect(t('planner.emerging.new_hot')).not.toContain('planner.');
      expect(t('planner.emerging.oscillating_cold')).not.toContain('planner.');
    }
    expect(translator('zh')('planner.emerging.intensifying_hot' as never)).toBe('加剧热点');
    expect(TICKET_CATEGORIES.length).toBeGreaterThan(0);
  });
});

describe('patrol coverage against risk (巡查覆盖)', () => {
  const coverage: CoverageRisk = {
    method: {
      risk: 'tickets + 3 × hazards',
      visits: 'patrols',
      residual: 'pearson',
      threshold: -2,
    },
    by: 'grid',
    area: null,
    period: { from: '2025-11-30T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' },
    rows: [
      {
        rank: 1,
        key: '101',
        name: '一号网格',
        visits: 1,
        hours: 0.5,
        tickets: 40,
        hazards: 5,
        risk: 55,
        expected: 20,
        residual: -4.25,
        underPatrolled: true,
      },
      {
        rank: 2,
        key: '102',
        name: '二号网格',
        visits: 10,
        hours: 6,
        tickets: 10,
        hazards: 0,
        risk: 10,
        expected: 10,
        residual: 0,
        underPatrolled: false,
      },
      {
        rank: 3,
        key: '103',
        name: '三号网格',
        visits: 30,
        hours: 20,
        tickets: 5,
        hazards: 0,
        risk: 5,
        expected: 12,
        residual: 5.2,
        underPatrolled: false,
      },
    ],
  };
  const square = (x: number): [number, number][][] => [
    [
      [x, 36],
      [x + 0.01, 36],
      [x + 0.01, 36.01],
      [x, 36.01],
      [x, 36],
    ],
  ];

  it('colours residuals on a diverging scale with −2 an edge, orange under and purple over', () => {
    expect(residualBin(-5)).toBe(0);
    expect(residualBin(-4)).toBe(0);
    expect(residualBin(-2)).toBe(1);
    expect(residualBin(-1.99)).toBe(2);
    expect(residualBin(0)).toBe(3);
    expect(residualBin(Number.NaN)).toBe(3);
    expect(residualBin(1)).toBe(4);
    expect(residualBin(3.9)).toBe(5);
    expect(residualBin(12)).toBe(6);
    expect(residualHex(-2.5)).toBe(RESIDUAL_HEX[1]);
    expect(residualHex(-10)).toBe('#b35806');
    expect(residualHex(10)).toBe('#542788');
    expect(residualLabels()).toEqual([
      '≤ −4',
      '−4 – −2',
      '−2 – −1',
      '−1 – 1',
      '1 – 2',
      '2 – 4',
      '≥ 4',
    ]);
  });

  it('keeps the view and its unit in the URL', () => {
    const c = {
      ...defaultPlanner(),
      active: true,
      view: 'coverage' as const,
      tab: 'coverage' as const,
    };
    expect(encodePlanner(c)).toBe('mode=planner&pv=coverage&ptab=coverage');
    expect(decodePlanner(encodePlanner(c))).toEqual(c);
    const h3 = { ...c, cov: 'h3' as const, res: 9 as const };
    expect(encodePlanner(h3)).toBe('mode=planner&pv=coverage&res=9&cov=h3&ptab=coverage');
    expect(decodePlanner(encodePlanner(h3))).toEqual(h3);
    expect(decodePlanner('mode=planner&pv=coverage&cov=ward').cov).toBe('grid');
  });

  it('asks for the period, the unit and the area, and exports the same query', () => {
    const filter = {
      ...defaultFilters(),
      category: ['noise'],
      from: '2026-01-01',
      to: '2026-07-01',
    };
    expect(coverageUrl({ filter, by: 'grid', res: 8, area: 12 }, 'csv')).toBe(
      '/api/analytics/coverage?from=2026-01-01&to=2026-07-01&by=grid&area=12&format=csv',
    );
    expect(coverageUrl({ filter, by: 'h3', res: 9, area: null })).toBe(
      '/api/analytics/coverage?from=2026-01-01&to=2026-07-01&by=h3&res=9',
    );
  });

  it('asks renovation for every compound when "built before 2001" is unchecked', () => {
    expect(renovationUrl({ builtBefore: 'any', area: null, limit: 50 })).toBe(
      '/api/analytics/renovation?builtBefore=any&limit=50',
    );
    expect(renovationUrl({ builtBefore: 2001, area: 3, limit: 50 })).toBe(
      '/api/analytics/renovation?builtBefore=2001&area=3&limit=50',
    );
  });

  it('draws grids by their outlines, under-patrolled solid with a white outline on top', () => {
    const outlines = new Map([
      ['101', [square(103.8)]],
      ['102', [square(103.82), square(103.84)]],
      ['103', [square(103.86)]],
    ]);
    const d = hexCells({ kind: 'coverage', data: coverage, outlines }, 'zh', {
      extrude: false,
      selected: null,
    });
    // the two-part grid is two polygons; the under-patrolled one is drawn last
    expect(d.cells).toHaveLength(4);
    const last = d.cells[d.cells.length - 1];
    expect(last.h3).toBe('101');
    expect(last.fill).toEqual([179, 88, 6, 235]);
    expect(last.line.slice(0, 3)).toEqual([255, 255, 255]);
    expect(last.click).toBeNull();
    expect(last.title).toContain('巡查不足');
    const over = d.cells.find((c) => c.h3 === '103')!;
    expect(over.fill).toEqual([84, 39, 136, 150]);
    // without outlines yet, nothing is drawn rather than something wrong
    expect(
      hexCells({ kind: 'coverage', data: coverage, outlines: null }, 'zh', {
        extrude: false,
        selected: null,
      }).cells,
    ).toEqual([]);
  });

  it('keeps outlines across answers, bounded', () => {
    const a = new Map([['1', [square(103.8)]]]);
    const b = new Map([['2', [square(103.9)]]]);
    expect([...mergeOutlines(a, b).keys()]).toEqual(['1', '2']);
    expect([...mergeOutlines(a, b, 1).keys()]).toEqual(['2']);
    expect(a.size).toBe(1);
  });

  it('draws H3 coverage as hexagons that open their cell', () => {
    const data: CoverageRisk = {
      ...coverage,
      by: 'h3',
      method: { ...coverage.method, visits: 'check-ins' },
      rows: [{ ...coverage.rows[0], key: '8824d2008bfffff', name: null, hours: null }],
    };
    const [cell] = hexCells({ kind: 'coverage', data, outlines: null }, 'en', {
      extrude: false,
      selected: null,
    }).cells;
    expect(cell.polygon).toHaveLength(7);
    expect(cell.click).toEqual({ kind: 'cell', h3: '8824d2008bfffff' });
    expect(cell.lines[0]).toBe('1 check-ins');
  });

  it('counts the residual bins in the legend and states the method in words', () => {
    for (const lang of ['zh', 'en'] as const) {
      const t = translator(lang);
      const blocks = plannerLegend(
        {
          config: { ...defaultPlanner(), active: true, view: 'coverage' },
          hotspots: null,
          emerging: null,
          compare: null,
          coverage,
          facts: null,
        },
        t,
      );
      expect(blocks).toHaveLength(1);
      const [b] = blocks;
      expect(b.rows.map((r) => r.count)).toEqual([1, 0, 0, 1, 0, 0, 1, 1]);
      expect(b.rows[7].hollow).toBe(true);
      expect(b.method).toContain('3 ×');
      expect(b.method).toContain('√');
      expect(b.method).toContain('−2');
      expect(b.method).toContain(lang === 'zh' ? '中位数' : 'median');
      expect(b.method).not.toContain('planner.');
    }
  });

  it('colours a comparison by area on the areas, with the ratio scale and significance', () => {
    const compare: Compare = {
      method: {
        test: 'conditional-binomial-poisson',
        exposure: 'days',
        fdr: 'benjamini-hochberg',
        alpha: 0.05,
      },
      a: { from: '2025-10-01', to: '2025-12-01', days: 61 },
      b: { from: '2026-10-01', to: '2026-12-01', days: 61 },
      by: 'area',
      rows: [
        {
          key: '7',
          name: '城关区',
          a: 10,
          b: 40,
          difference: 30,
          ratio: 4,
          p: 0.001,
          q: 0.002,
          significant: true,
        },
        {
          key: '8',
          name: '七里河区',
          a: 10,
          b: 11,
          difference: 1,
          ratio: 1.1,
          p: 0.8,
          q: 0.8,
          significant: false,
        },
      ],
    };
    const outlines = new Map([
      ['7', [square(103.8)]],
      ['8', [square(103.9)]],
    ]);
    const d = hexCells({ kind: 'compare', data: compare, outlines }, 'zh', {
      extrude: false,
      selected: null,
    });
    expect(d.cells.map((c) => c.h3)).toEqual(['8', '7']);
    expect(d.cells[1].fill).toEqual([...hexToRgb(ratioHex(4)), 230]);
    expect(d.cells[1].click).toEqual({ kind: 'area', id: 7 });
    expect(d.cells[0].fill[3]).toBe(70);
    const [block] = plannerLegend(
      {
        config: { ...defaultPlanner(), active: true, view: 'compare', by: 'area' },
        hotspots: null,
        emerging: null,
        compare,
        facts: null,
      },
      translator('en'),
    );
    expect(block.title).toContain('2 areas');
    expect(block.rows.find((r) => r.hollow)?.count).toBe(1);
  });
});

function hexToRgb(hex: string): number[] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
