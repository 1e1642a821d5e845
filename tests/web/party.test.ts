/**
 * The party domain's pure rules (geo/party.ts: masking, coverage shares, ranking) and the party
 * layer's colours, tooltip and clicks.
 */
import { describe, expect, it } from 'vitest';
import {
  coverageShares,
  isOverdue,
  maskName,
  maskPhone,
  rankByScore,
  sumCoverage,
  type CoverageCounts,
} from '../../geo/party.ts';
import {
  buildPartyLayers,
  describeParty,
  partyColor,
  partyLayer,
  PARTY_STEPS,
} from '../../web/src/lib/layers/party.ts';

const counts = (o: Partial<CoverageCounts>): CoverageCounts => ({
  compounds: 0,
  withCompany: 0,
  withCommittee: 0,
  withBranch: 0,
  demonstration: 0,
  buildings: 0,
  buildingsWithSteward: 0,
  needPairing: 0,
  paired: 0,
  openGaps: 0,
  overdueGaps: 0,
  ...o,
});

describe('masking', () => {
  it('keeps the first character of a name and the ends of a phone', () => {
    expect(maskName('张建国')).toBe('张**');
    expect(maskName('李娜')).toBe('李*');
    expect(maskName('王')).toBe('王*');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('*****');
  });
});

describe('coverage', () => {
  it('shares, score and ranking', () => {
    const a = counts({
      compounds: 4,
      withCompany: 2,
      withCommittee: 1,
      withBranch: 4,
      buildings: 10,
      buildingsWithSteward: 5,
    });
    expect(coverageShares(a)).toEqual({
      company: 0.5,
      committee: 0.25,
      branch: 1,
      steward: 0.5,
      score: 56.3,
    });
    // no buildings: the steward share is left out of the mean
    expect(coverageShares(counts({ compounds: 1, withCompany: 1 })).score).toBe(33.3);
    expect(coverageShares(counts({})).score).toBeNull();
    expect(sumCoverage([a, a]).buildings).toBe(20);
    expect(rankByScore([{ score: 80 }, { score: 90 }, { score: 80 }, { score: null }])).toEqual([
      2,
      1,
      2,
      null,
    ]);
    expect(isOverdue({ status: 'assigned', dueOn: '2026-01-01' }, '2026-01-02')).toBe(true);
    expect(isOverdue({ status: 'closed', dueOn: '2026-01-01' }, '2026-01-02')).toBe(false);
  });
});

describe('party layer', () => {
  const feature = (kind: 'area' | 'building', steward: number | null, openGaps = 0) => ({
    type: 'Feature' as const,
    id: 1,
    geometry: { type: 'Polygon', coordinates: [] },
    properties: {
      kind,
      id: 7,
      name: '黄河雅苑',
      level: kind === 'area' ? ('compound' as const) : null,
      score: 50,
      steward,
      buildings: 4,
      buildingsWithSteward: 2,
      openGaps,
      overdueGaps: 0,
      rank: 1,
      labelPoint: [103.8, 36.06] as [number, number],
    },
  });

  it('colours by the share, grey without buildings', () => {
    expect(partyColor(0.2)).toEqual(PARTY_STEPS[0]!.color);
    expect(partyColor(1)).toEqual(PARTY_STEPS[4]!.color);
    expect(partyColor(null)[3]).toBeLessThan(100);
  });

  it('draws the areas and a gap dot per area with open gaps; buildings do not drill', () => {
    const data = {
      type: 'FeatureCollection' as const,
      area: null,
      features: [feature('area', 0.5, 3), feature('building', 0, 1)],
    };
    const layers = buildPartyLayers(
      { id: 'party', kind: 'polygon', visible: true, colorBy: 'steward' },
      data,
    );
    expect(layers.map((l) => l.id)).toEqual(['party', 'party-gaps']);
    expect((layers[1]!.props.data as unknown[]).length).toBe(1);
    const pick = (f: unknown) => ({ layerId: 'party', index: 0, object: f });
    expect(partyLayer.picks!.party!.click(pick(feature('area', 0.5)), data)).toEqual({
      kind: 'area',
      id: 7,
    });
    expect(partyLayer.picks!.party!.click(pick(feature('building', 0)), data)).toBeNull();
    const tip = describeParty(pick(feature('area', 0.5, 2)), data, 'zh');
    expect(tip?.title).toBe('黄河雅苑');
    expect(tip?.lines.some((l) => l.text === '50% (2/4)')).toBe(true);
  });
});
