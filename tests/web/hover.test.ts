import { describe, expect, it } from 'vitest';
import { decodePoints, encodePoints, FLAG_OVERDUE, FLAG_URGENT } from '../../geo/point-codec.ts';
import { describePick as describe_, LAYERS } from '../../web/src/lib/layers/registry.ts';
import type { Pick } from '../../web/src/lib/map/hover.ts';
import type { Lang } from '../../web/src/lib/view-config.ts';

const describePick = (pick: Pick, data: Record<string, unknown>, lang: Lang, clickable = true) =>
  describe_(LAYERS, pick, (id) => data[id] ?? null, lang, clickable);
import type { PointData } from '../../web/src/lib/types.ts';

function onePoint(codes: [number, number, number, number], id = 42): PointData {
  const cols = decodePoints(
    encodePoints({
      positions: new Float32Array([103.8, 36.05]),
      ids: new Uint32Array([id]),
      codes: codes.map((c) => new Uint8Array([c])) as never,
    }),
  );
  return {
    length: 1,
    attributes: { getPosition: { value: cols.positions, size: 2 } },
    ids: cols.ids,
    codes: cols.codes,
  };
}

describe('tooltips', () => {
  it('describes a binary ticket from its codes, in either language', () => {
    // category 0 = parking, status 3 = in_progress, channel 0 = 12345 hotline
    const tickets = onePoint([0, 3, 0, FLAG_OVERDUE | FLAG_URGENT]);
    const zh = describePick(
      { layerId: 'tickets', index: 0, object: null },
      { tickets, hazards: null },
      'zh',
    )!;
    expect(zh.title).toBe('工单 #42');
    expect(zh.lines.map((l) => l.text)).toEqual(['停车难', '处理中', '12345热线', '已超期 · 紧急']);
    const en = describePick(
      { layerId: 'tickets', index: 0, object: null },
      { tickets, hazards: null },
      'en',
    )!;
    expect(en.lines.map((l) => l.text)).toEqual([
      'Parking',
      'In progress',
      '12345 hotline',
      'overdue · urgent',
    ]);
  });

  it('describes hazards and areas', () => {
    const hazards = onePoint([1, 3, 0, 0], 7);
    const h = describePick(
      { layerId: 'hazards', index: 0, object: null },
      { tickets: null, hazards },
      'zh',
    )!;
    expect(h.lines.map((l) => l.text)).toEqual(['燃气', '特别重大', '待整改']);

    const a = describePick(
      {
        layerId: 'areas',
        index: 0,
        object: {
          properties: {
            id: 1,
            level: 'grid',
            name: '第三网格',
            rating: 'yellow',
            openTickets: 5,
            overdueTickets: 2,
          },
        },
      },
      { tickets: null, hazards: null },
      'zh',
    )!;
    expect(a.title).toBe('第三网格');
    expect(a.lines.map((l) => l.text)).toEqual([
      '网格',
      '黄色（需关注）',
      '待办 5 件',
      '超期 2 件',
    ]);
  });

  it('says nothing about an index it has no data for', () => {
    expect(
      describePick(
        { layerId: 'tickets', index: 3, object: null },
        { tickets: null, hazards: null },
        'zh',
      ),
    ).toBeNull();
  });
});
