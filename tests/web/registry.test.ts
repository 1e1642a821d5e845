import { describe, expect, it } from 'vitest';
import {
  LAYERS,
  buildLayers,
  clickAction,
  isClickable,
  type MapData,
} from '../../web/src/lib/layers/registry.ts';
import { describePick } from '../../web/src/lib/map/hover.ts';
import { fitPadding } from '../../web/src/lib/map/padding.ts';
import { defaultLayers, LAYER_ORDER } from '../../web/src/lib/view-config.ts';

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

const data = {
  areas: { main: null, context: null, selectedId: null },
  compounds: null,
  tickets: points([41]),
  hazards: points([7]),
  labels: [],
} as unknown as MapData;

const supervisor = { ticketsOpenable: true, hazardsOpenable: true, whistlesReadable: true };
const planner = { ticketsOpenable: false, hazardsOpenable: false, whistlesReadable: false };

describe('layer registry', () => {
  it('has an entry for every configurable layer and builds them in its order', () => {
    expect(
      LAYERS.map((l) => l.id)
        .filter((id) => id !== 'selection')
        .sort(),
    ).toEqual([...LAYER_ORDER].sort());
    const ids = buildLayers(defaultLayers(), data).map((l) => l.id);
    expect(ids.indexOf('patrols-checkins')).toBeLessThan(ids.indexOf('compounds'));
    expect(ids.indexOf('labels')).toBeGreaterThan(ids.indexOf('tickets'));
  });

  it('opens points only for accounts that may, and says 点击查看 only to them', () => {
    const pick = { layerId: 'tickets', index: 0, object: null };
    expect(clickAction(pick, data, supervisor)).toEqual({ kind: 'ticket', id: 41 });
    expect(clickAction(pick, data, planner)).toBeNull();
    expect(isClickable('tickets', planner)).toBe(false);
    expect(isClickable('hazards', planner)).toBe(false);
    const d = { tickets: data.tickets, hazards: data.hazards };
    expect(describePick(pick, d, 'zh', isClickable('tickets', supervisor))?.hint).toBe('点击查看');
    expect(describePick(pick, d, 'zh', isClickable('tickets', planner))?.hint).toBeUndefined();
    // areas stay clickable for everyone
    expect(isClickable('compounds', planner)).toBe(true);
  });

  it('sends a click on a name or a check-in to its compound, not into the void', () => {
    const label = { layerId: 'labels', index: 0, object: { id: 536, text: '龙源小区' } };
    expect(clickAction(label, data, planner)).toEqual({ kind: 'area', id: 536 });
    const checkin = {
      layerId: 'patrols-checkins',
      index: 0,
      object: { properties: { kind: 'checkin', compoundId: 536, compoundName: '龙源小区' } },
    };
    expect(clickAction(checkin, data, supervisor)).toEqual({ kind: 'area', id: 536 });
    expect(isClickable('patrols', supervisor)).toBe(false);
  });
});

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
