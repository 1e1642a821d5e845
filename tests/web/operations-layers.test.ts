import { describe, expect, it } from 'vitest';
import { WHISTLE_STATES } from '../../geo/operations.ts';
import {
  beijingDate,
  buildCoverageLayer,
  buildPatrolsLayers,
  coverageBucket,
  coverageFeatures,
  patrolCheckins,
  patrolTracks,
} from '../../web/src/lib/layers/patrols.ts';
import {
  buildWhistlesLayers,
  isUrgentWhistle,
  whistleArcs,
  whistleColor,
} from '../../web/src/lib/layers/whistles.ts';
import type { AreaCollection, PatrolCollection, WhistleRow } from '../../web/src/lib/types.ts';
import { defaultLayers } from '../../web/src/lib/view-config.ts';

function whistle(p: Partial<WhistleRow> & { id: number }): WhistleRow {
  return {
    code: `W${p.id}`,
    level: 'community',
    ticketId: null,
    ticketCode: null,
    compoundId: 7,
    compoundName: '兴隆小区',
    reason: '消防通道被占用',
    blownBy: '五里铺西社区',
    blownAt: '2026-11-26T20:30:55Z',
    reportDueAt: '2026-11-26T22:30:55Z',
    resolveDueAt: '2026-11-29T20:30:55Z',
    resolvedAt: null,
    resolution: null,
    state: 'awaiting_report',
    position: [103.88, 36.066],
    areaIds: { district: 1, subdistrict: 2, community: 3, grid: 4, compound: 7 },
    responders: [
      {
        kind: 'property_company',
        id: 19,
        name: '物业',
        office: [103.874, 36.053],
        reportedAt: null,
        reportedBy: null,
        late: false,
        note: null,
      },
    ],
    ...p,
  };
}

describe('whistle arcs', () => {
  it('runs one arc from the compound to each responder office it knows', () => {
    const arcs = whistleArcs([
      whistle({ id: 1, state: 'in_progress' }),
      whistle({
        id: 2,
        level: 'subdistrict',
        state: 'report_late',
        responders: [
          {
            kind: 'department',
            id: 1,
            name: '住建局',
            office: [103.8, 36.05],
            reportedAt: null,
            reportedBy: null,
            late: true,
            note: null,
          },
          {
            kind: 'department',
            id: 2,
            name: '供水',
            office: null,
            reportedAt: null,
            reportedBy: null,
            late: true,
            note: null,
          },
        ],
      }),
    ]);
    expect(arcs).toHaveLength(2);
    // urgent ones last: drawn on top
    expect(arcs.map((a) => a.whistleId)).toEqual([1, 2]);
    expect(arcs[1]).toMatchObject({
      source: [103.88, 36.066],
      target: [103.8, 36.05],
      pending: true,
    });
  });

  it('colours by the whistle state and makes waiting or late ones prominent', () => {
    for (const s of WHISTLE_STATES) {
      const c = whistleColor(s.key);
      expect(c.slice(0, 3)).toEqual([...s.color]);
      expect(c[3]).toBe(isUrgentWhistle(s.key) ? 255 : 150);
    }
    expect(isUrgentWhistle('awaiting_report')).toBe(true);
    expect(isUrgentWhistle('report_late')).toBe(true);
    expect(isUrgentWhistle('in_progress')).toBe(false);
    const items = [whistle({ id: 1 })];
    const [arcs, sites] = buildWhistlesLayers(defaultLayers().whistles, {
      whistles: items,
      arcs: whistleArcs(items),
    });
    expect(arcs.id).toBe('whistles');
    expect(sites.id).toBe('whistles-sites');
    const width = arcs.props.getWidth as (d: unknown) => number;
    expect(width(whistleArcs(items)[0])).toBe(4);
  });
});

describe('patrols', () => {
  const fc: PatrolCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 1,
        geometry: {
          type: 'LineString',
          coordinates: [
            [103.88, 36.06],
            [103.881, 36.061],
          ],
        },
        properties: {
          kind: 'track',
          id: 1,
          gridId: 445,
          gridworker: '曾佳琪',
          startedAt: '2026-11-26T01:00:00Z',
          endedAt: null,
          distanceM: 150,
          checkins: 1,
          timestamps: [1, 2],
        },
      },
      {
        type: 'Feature',
        id: 'c1',
        geometry: { type: 'Point', coordinates: [103.881, 36.061] },
        properties: {
          kind: 'checkin',
          patrolId: 1,
          compoundId: 447,
          compoundName: '兴隆悦府',
          at: '2026-11-26T01:10:00Z',
        },
      },
    ],
  };

  it('splits tracks from check-ins', () => {
    expect(patrolTracks(fc)).toHaveLength(1);
    expect(patrolCheckins(fc)).toHaveLength(1);
    const [tracks, checkins] = buildPatrolsLayers(defaultLayers().patrols, {
      tracks: patrolTracks(fc),
      checkins: patrolCheckins(fc),
    });
    expect([tracks.id, checkins.id]).toEqual(['patrols', 'patrols-checkins']);
  });

  it('buckets the last patrol by Beijing calendar day', () => {
    // 2026-11-27 05:10 in Beijing
    const now = Date.parse('2026-11-26T21:10:00Z');
    expect(beijingDate(0, now)).toBe('2026-11-27');
    expect(beijingDate(1, now)).toBe('2026-11-26');
    expect(coverageBucket('2026-11-26T17:00:00Z', now)).toBe('today'); // 01:00 on the 27th
    expect(coverageBucket('2026-11-26T15:00:00Z', now)).toBe('days1to2'); // 23:00 on the 26th
    expect(coverageBucket('2026-11-23T08:00:00Z', now)).toBe('days3to6');
    expect(coverageBucket('2026-11-01T08:00:00Z', now)).toBe('week');
    expect(coverageBucket(null, now)).toBe('never');
  });

  it('colours only the grids the coverage lists', () => {
    const square = (x: number) => [
      [
        [x, 36],
        [x + 0.01, 36],
        [x + 0.01, 36.01],
        [x, 36],
      ],
    ];
    const grids: AreaCollection = {
      type: 'FeatureCollection',
      features: [1, 2].map((id) => ({
        type: 'Feature',
        id,
        geometry: { type: 'Polygon', coordinates: square(103.8 + id / 100) },
        properties: {
          id,
          level: 'grid',
          name: `网格${id}`,
          code: null,
          parentId: 9,
          label: null,
          rating: null,
          score: null,
          openTickets: null,
          overdueTickets: null,
        },
      })),
    };
    const features = coverageFeatures({
      grids,
      items: [{ gridId: 2, name: '网格2', lastPatrolledAt: null, patrolsToday: 0 }],
      now: Date.parse('2026-11-26T21:10:00Z'),
    });
    expect(features.map((f) => [f.properties.id, f.properties.bucket])).toEqual([[2, 'never']]);
    expect(buildCoverageLayer(defaultLayers().coverage, features).props.visible).toBe(false);
  });
});
