import { describe, expect, it } from 'vitest';
import { SCENE_KINDS } from '../../server/contract/wall.ts';
import { translator } from '../../web/src/wall/i18n.ts';
import { legendFor } from '../../web/src/wall/legend.ts';
import { SEVERITY_COLORS } from '../../web/src/wall/map/colors.ts';
import { visibleLayers, WALL_LAYERS } from '../../web/src/wall/map/scenes.ts';

describe("the wall map's legend", () => {
  it('explains the layers of the city scene, in the map’s colours', () => {
    const groups = legendFor(
      visibleLayers({ kind: 'city' }, { focus: true, replay: false }),
      translator('zh'),
    );
    expect(groups.map((g) => g.layer)).toEqual(['ratings', 'open', 'whistles', 'hazards']);
    expect(groups[0]!.items.map((i) => i.text)).toEqual(['红', '黄', '蓝']);
    const hazards = groups.find((g) => g.layer === 'hazards')!;
    expect(hazards.items.map((i) => i.text)).toEqual(['重大', '较大', '一般', '轻微']);
    const [r, g, b] = SEVERITY_COLORS[3]!;
    expect(hazards.items[0]!.color).toBe(`rgba(${r}, ${g}, ${b}, 1.00)`);
  });

  it('has words in both languages for every layer and scene, and replaces a scene in a replay', () => {
    for (const lang of ['zh', 'en'] as const) {
      const t = translator(lang);
      const all = legendFor(
        WALL_LAYERS.filter((l) => l !== 'focus'),
        t,
      );
      expect(all).toHaveLength(WALL_LAYERS.length - 1);
      for (const g of all) {
        expect(g.title).not.toMatch(/^legend\./);
        expect(g.items.length).toBeGreaterThan(0);
        for (const i of g.items) expect(i.text).toMatch(/\S/);
      }
      for (const kind of SCENE_KINDS) {
        expect(
          legendFor(visibleLayers({ kind }, { focus: false, replay: false }), t).length,
        ).toBeGreaterThan(0);
      }
      const replay = legendFor(visibleLayers({ kind: 'city' }, { focus: false, replay: true }), t);
      expect(replay.map((g) => g.layer)).toEqual(['replay']);
      expect(replay[0]!.items).toHaveLength(5);
    }
  });
});
