import { describe, expect, it } from 'vitest';
import { TICKET_CATEGORIES } from '../../geo/vocabulary.ts';
import { translator } from '../../web/src/lib/i18n.ts';
import { hexCells } from '../../web/src/lib/layers/cells.ts';
import {
  cellUrl,
  compareUrl,
  exportFilename,
  hotspotsUrl,
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
  SEQ_HEX,
  SPOT_HEX,
  spotFill,
} from '../../web/src/lib/planner/scales.ts';
import type { CompoundFacts, Hotspots } from '../../web/src/lib/types.ts';
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
      k: 2,
      extrude: true,
      facts: 'parking',
      oldOnly: true,
      months: 18,
      a: { from: '2025-10-01', to: '2025-12-01' },
      b: { from: '2026-10-01', to: '2026-12-01' },
      by: 'area',
      level: 'subdistrict',
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
