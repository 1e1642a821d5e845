/**
 * Compounds as dots coloured by one of their facts (规划研判): build year, pipe condition, 加装电梯
 * candidates or the parking gap, optionally only those built before 2001 (老旧小区).
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { translator } from '../i18n.ts';
import type { HoverContent } from '../map/hover.ts';
import type { FactKey } from '../planner/config.ts';
import { factHex, hexToRgba } from '../planner/scales.ts';
import type { CompoundFacts } from '../types.ts';
import type { Lang } from '../view-config.ts';
import { defineLayer } from './define.ts';

export interface FactsData {
  fact: FactKey;
  items: CompoundFacts[];
}

export function buildFactsLayer(
  visible: boolean,
  data: FactsData | null,
): ScatterplotLayer<CompoundFacts> {
  const fact = data?.fact ?? 'yearBuilt';
  return new ScatterplotLayer<CompoundFacts>({
    id: 'facts',
    data: data?.items ?? [],
    visible: visible && !!data,
    pickable: true,
    stroked: true,
    radiusUnits: 'meters',
    getRadius: 60,
    radiusMinPixels: 3,
    radiusMaxPixels: 10,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    getPosition: (d) => d.position,
    getFillColor: (d) => hexToRgba(factHex(fact, d), 240),
    getLineColor: [7, 18, 31, 220],
    autoHighlight: true,
    highlightColor: [255, 255, 255, 220],
    updateTriggers: { getFillColor: [fact] },
  });
}

export function describeFacts(c: CompoundFacts, lang: Lang): HoverContent {
  const t = translator(lang);
  return {
    title: c.name,
    lines: [
      { label: t('compound.yearBuilt'), text: String(c.yearBuilt) },
      { label: t('compound.households'), text: t('compound.householdsUnit', { n: c.households }) },
      { label: t('compound.pipes'), text: t(`condition.${c.pipeCondition}`) },
      { label: t('compound.roof'), text: t(`condition.${c.roofCondition}`) },
      { label: t('planner.facts.elevator'), text: String(c.elevatorCandidates) },
      { label: t('compound.parking'), text: `${c.parkingSpaces} / ${c.registeredCars}` },
      { label: t('planner.facts.parking'), text: String(c.parkingGap) },
    ],
    hint: t('tooltip.drill'),
  };
}

export const factsLayer = defineLayer({
  id: 'facts',
  defaults: { kind: 'point', visible: true, colorBy: ['none'] },
  capability: null,
  hidden: true,
  data: (s): FactsData | null => s.planner.factsData,
  build: (config, data) => buildFactsLayer(config.visible, data),
  tooltip: {
    facts: (pick, _data, lang) => {
      const c = pick.object as CompoundFacts | null;
      return c ? describeFacts(c, lang) : null;
    },
  },
  picks: {
    facts: {
      click: (p) => {
        const id = (p.object as CompoundFacts | null)?.id;
        return typeof id === 'number' ? { kind: 'area', id } : null;
      },
    },
  },
});
