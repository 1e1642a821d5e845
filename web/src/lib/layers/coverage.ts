/** 网格巡查覆盖: each grid filled by how lately it was patrolled (the data is patrols.ts's). */
import { describeCoverage } from '../map/hover.ts';
import { areaClick } from './areas.ts';
import { defineLayer } from './define.ts';
import { cssColor } from './palette.ts';
import { COVERAGE_BUCKETS, buildCoverageLayer, type coverageFeatures } from './patrols.ts';

export const coverageLayer = defineLayer({
  id: 'coverage',
  // A fill over the grids: off by default so it does not hide the rating colours.
  defaults: { kind: 'polygon', visible: false, colorBy: ['lastPatrol'] },
  capability: ['patrols.read'],
  data: (s): ReturnType<typeof coverageFeatures> => s.patrols.coverageData,
  build: buildCoverageLayer,
  legend: (_config, ctx) => [
    {
      key: 'coverage',
      title: ctx.t('layer.coverage'),
      items: COVERAGE_BUCKETS.map((b) => ({
        label: ctx.t(`coverage.${b.key}`),
        color: cssColor(b.color),
        shape: 'square' as const,
      })),
    },
  ],
  tooltip: { coverage: describeCoverage },
  picks: { coverage: { click: areaClick } },
});
