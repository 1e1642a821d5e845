/**
 * Hazards found in inspections (隐患排查) over the year: gas and pipes in old compounds with poor
 * pipes, elevators only where there are elevators, roofs and walls where roofs are poor. Each has
 * a rectification deadline by severity; most are rectified and verified, some late, the newest
 * still open.
 */
import type { LocalFrame } from '../../geo/local-frame.ts';
import type { Position } from '../../geo/planar.ts';
import type { Rng } from '../../geo/prng.ts';
import {
  HAZARD_SEVERITIES,
  HAZARD_TYPES,
  type HazardSeverity,
  type HazardStatus,
  type HazardType,
  keysOf,
} from '../../geo/vocabulary.ts';
import { DAY_S, inHeatingSeason, type SeedWindow } from './calendar.ts';
import { HAZARD_DESCRIPTIONS } from './names.ts';
import { justOutside, polygonSampler, type TicketSource } from './tickets.ts';

export interface HazardRow {
  type: HazardType;
  severity: HazardSeverity;
  status: HazardStatus;
  description: string;
  lonLat: Position;
  gridId: number;
  compoundId: number | null;
  reportedS: number;
  dueS: number;
  rectifiedS: number | null;
  verifiedS: number | null;
}

const TYPES = keysOf(HAZARD_TYPES);
const SEVERITIES = keysOf(HAZARD_SEVERITIES);
const DUE_DAYS: Record<HazardSeverity, number> = { low: 30, medium: 15, high: 7, critical: 3 };
const SEVERITY_MIX: Record<HazardType, number[]> = {
  fire: [50, 30, 15, 5],
  gas: [35, 35, 20, 10],
  electrical: [50, 30, 15, 5],
  structural: [35, 35, 20, 10],
  elevator: [45, 35, 15, 5],
  pipe: [50, 35, 12, 3],
};

function typeWeights(s: TicketSource): Record<HazardType, number> {
  const c = s.compound;
  const age = Math.min(1.1, Math.max(0, (2025 - c.yearBuilt) / 40));
  return {
    fire: 1 + 0.5 * age,
    gas: 0.2 + (c.pipeCondition === 'poor' ? 2.4 : 0.4) * age,
    electrical: 0.4 + 0.8 * age,
    structural: 0.1 + (c.roofCondition === 'poor' ? 1 : 0.2) + 0.5 * age,
    elevator: c.hasElevator ? 0.6 + 0.8 * age : 0,
    pipe: 0.2 + (c.pipeCondition === 'poor' ? 1.5 : c.pipeCondition === 'fair' ? 0.5 : 0.1),
  };
}

export function generateHazards(
  sources: TicketSource[],
  perCompound: number,
  w: SeedWindow,
  frame: LocalFrame,
  rng: Rng,
): HazardRow[] {
  const weights = sources.map(typeWeights);
  const sum = weights.reduce((t, x) => t + TYPES.reduce((a, k) => a + x[k], 0), 0);
  const k = (perCompound * sources.length) / sum;
  const rows: HazardRow[] = [];
  sources.forEach((s, i) => {
    const r = rng.fork(s.compound.areaId);
    const inside = polygonSampler(s.plan.footprint);
    for (const type of TYPES) {
      const n = r.poisson(weights[i][type] * k);
      for (let j = 0; j < n; j++) {
        let day = r.int(0, w.days);
        // Gas leaks are found when the heating and the stoves run: redraw once outside winter.
        if (type === 'gas' && !inHeatingSeason(w.startS + day * DAY_S)) day = r.int(0, w.days);
        const reportedS = w.startS + day * DAY_S + r.int(8 * 3600, 18 * 3600);
        if (reportedS >= w.nowS) continue;
        const severity = SEVERITIES[r.weighted(SEVERITY_MIX[type])];
        const dueS = reportedS + DUE_DAYS[severity] * DAY_S;
        const slowness = s.compound.propertyCompanyId ? 1 : 1.4;
        let takes = DUE_DAYS[severity] * DAY_S * 0.55 * Math.exp(r.normal(0, 0.6)) * slowness;
        // Some need money or a contractor first: rectification runs weeks past the deadline.
        if (r.chance(0.07)) takes *= r.range(2, 8);
        const startS = reportedS + takes * r.range(0.05, 0.2);
        const rectS = reportedS + Math.max(3600, takes);
        const verS = rectS + r.range(1, 10) * DAY_S;
        const status: HazardStatus =
          verS <= w.nowS
            ? 'verified'
            : rectS <= w.nowS
              ? 'rectified'
              : startS <= w.nowS
                ? 'rectifying'
                : 'reported';
        // 5% are found on the street by the compound rather than inside it.
        const outside = type !== 'elevator' && r.chance(0.05);
        const p: Position = outside ? justOutside(s) : inside(r);
        rows.push({
          type,
          severity,
          status,
          description: `${s.plan.area.name}：${r.pick(HAZARD_DESCRIPTIONS[type])}`,
          lonLat: frame.toLonLat(p),
          gridId: s.grid.id,
          compoundId: outside ? null : s.compound.areaId,
          reportedS,
          dueS,
          rectifiedS: status === 'rectified' || status === 'verified' ? rectS : null,
          verifiedS: status === 'verified' ? verS : null,
        });
      }
    }
  });
  return rows.sort((a, b) => a.reportedS - b.reportedS);
}
