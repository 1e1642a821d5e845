/**
 * The attributes of each compound and its buildings, following how Lanzhou's housing stock
 * differs by age: 1980s–90s work-unit estates of six-storey walk-ups near the old centres, often
 * without a property company (无物业), with worn pipes and roofs and one parking space for every
 * five households; newer high-rise estates at the edges, with elevators, a company and garages.
 */
import { buildingFootprints, type BuildingLayout } from '../../geo/building-footprints.ts';
import type { Ring } from '../../geo/planar.ts';
import type { Rng } from '../../geo/prng.ts';
import type { CompoundPlan } from './geography.ts';
import type { CompanyRow } from './responders.ts';

export type Condition = 'good' | 'fair' | 'poor';

export interface CompoundRow {
  areaId: number;
  yearBuilt: number;
  households: number;
  buildingsCount: number;
  propertyCompanyId: number | null;
  hasOwnersCommittee: boolean;
  hasPartyBranch: boolean;
  parkingSpaces: number;
  registeredCars: number;
  pipeCondition: Condition;
  roofCondition: Condition;
  hasElevator: boolean;
  provincialDemonstration: boolean;
}

export interface BuildingRow {
  id: number;
  compoundId: number;
  name: string;
  floors: number;
  households: number;
  /** Local metric frame. */
  geom: Ring;
}

interface Era {
  layout: (rng: Rng) => Omit<BuildingLayout, 'angle'>;
  floors: (rng: Rng) => number;
  /** Households per floor of one building. */
  perFloor: (rng: Rng) => number;
}

function eraOf(year: number): Era {
  if (year < 1998) {
    return {
      layout: (r) => ({
        length: r.range(40, 66),
        depth: r.range(11, 13),
        gapAlong: r.range(8, 14),
        gapAcross: r.range(17, 22),
      }),
      floors: (r) => r.pick([5, 6, 6, 6, 7]),
      perFloor: (r) => r.pick([4, 6, 6, 8]),
    };
  }
  if (year < 2008) {
    return {
      layout: (r) => ({
        length: r.range(38, 56),
        depth: r.range(13, 15),
        gapAlong: r.range(10, 16),
        gapAcross: r.range(22, 28),
      }),
      floors: (r) => r.pick([6, 7, 7, 11, 12, 18]),
      perFloor: (r) => r.pick([4, 6, 6]),
    };
  }
  return {
    layout: (r) => ({
      length: r.range(30, 42),
      depth: r.range(16, 20),
      gapAlong: r.range(16, 26),
      gapAcross: r.range(34, 46),
    }),
    floors: (r) => r.int(18, 34),
    perFloor: (r) => r.pick([4, 4, 6, 8]),
  };
}

function condition(rng: Rng, year: number, renovated: boolean): Condition {
  if (renovated) return rng.chance(0.8) ? 'good' : 'fair';
  const [poor, fair] = year < 1995 ? [0.55, 0.35] : year < 2005 ? [0.2, 0.5] : [0.03, 0.17];
  const r = rng.next();
  return r < poor ? 'poor' : r < poor + fair ? 'fair' : 'good';
}

export function describeCompounds(
  plans: CompoundPlan[],
  companies: CompanyRow[],
  rng: Rng,
): { compounds: CompoundRow[]; buildings: BuildingRow[] } {
  const byDistrict = new Map<string, CompanyRow[]>();
  for (const c of companies) {
    for (const code of c.districtCode
      ? [c.districtCode]
      : [...new Set(plans.map((p) => p.districtCode))]) {
      if (!byDistrict.has(code)) byDistrict.set(code, []);
      byDistrict.get(code)!.push(c);
    }
  }
  const compounds: CompoundRow[] = [];
  const buildings: BuildingRow[] = [];
  for (const plan of plans) {
    const r = rng.fork(plan.area.id);
    const year = plan.yearBuilt;
    // 老旧小区改造: since 2019 many pre-2000 estates had pipes, roofs (and some elevators) redone.
    const renovated = year < 2000 && r.chance(0.22);
    const pCompany = plan.village ? 0.4 : year < 1995 ? 0.35 : year < 2005 ? 0.7 : 0.96;
    const pool = byDistrict.get(plan.districtCode) ?? companies;
    const company = r.chance(pCompany) ? pool[r.weighted(pool.map((c) => c.size))] : null;
    const era = eraOf(year);
    const floors = era.floors(r);
    const perBuilding = floors * era.perFloor(r);
    const wanted = Math.max(1, Math.min(60, Math.ceil(plan.households / perBuilding)));
    const footprints = placeBuildings(plan, wanted, era, r);
    // The households a compound really has are those its buildings hold.
    const households =
      footprints.length === 0
        ? plan.households
        : Math.max(
            footprints.length,
            Math.min(plan.households, footprints.length * perBuilding * 1.3),
          );
    const per = spread(Math.round(households), footprints.length);
    footprints.forEach((geom, i) => {
      buildings.push({
        id: buildings.length + 1,
        compoundId: plan.area.id,
        name: `${i + 1}号楼`,
        floors: Math.max(2, floors + (r.chance(0.2) ? r.int(-1, 2) : 0)),
        households: per[i],
        geom,
      });
    });
    const hh = footprints.length === 0 ? Math.round(households) : per.reduce((a, b) => a + b, 0);
    const spacesPerHousehold =
      year < 1998 ? r.range(0.05, 0.3) : year < 2008 ? r.range(0.3, 0.75) : r.range(0.8, 1.3);
    const carsPerHousehold = r.range(0.45, 0.85) * (year < 1998 ? 0.8 : 1);
    compounds.push({
      areaId: plan.area.id,
      yearBuilt: year,
      households: hh,
      buildingsCount: footprints.length,
      propertyCompanyId: company?.id ?? null,
      hasOwnersCommittee: r.chance(0.18 + (company ? 0.3 : 0) + (year >= 2005 ? 0.15 : 0)),
      hasPartyBranch: r.chance(company ? 0.8 : 0.6),
      parkingSpaces: Math.round(hh * spacesPerHousehold),
      registeredCars: Math.round(hh * carsPerHousehold),
      pipeCondition: condition(r, year, renovated),
      roofCondition: condition(r, year + 3, renovated),
      hasElevator: floors >= 8 || (renovated && r.chance(0.3)) || r.chance(0.03),
      provincialDemonstration: false,
    });
  }
  chooseDemonstrationCompounds(compounds, companies, rng.fork('demonstration'));
  return { compounds, buildings };
}

/**
 * 陇原红色物业 省级示范小区: 39 in the whole city, picked among compounds that have a company in
 * good standing, a party branch and an owners' committee.
 */
function chooseDemonstrationCompounds(
  compounds: CompoundRow[],
  companies: CompanyRow[],
  rng: Rng,
): void {
  const target = Math.max(3, Math.round(39 * Math.min(1, compounds.length / 4500)));
  const credit = new Map(companies.map((c) => [c.id, c]));
  const eligible = compounds.filter((c) => {
    const company = c.propertyCompanyId ? credit.get(c.propertyCompanyId) : undefined;
    return company && company.list !== 'black' && company.creditScore >= 78 && c.hasPartyBranch;
  });
  const ranked = eligible
    .map((c) => ({ c, key: credit.get(c.propertyCompanyId!)!.creditScore + rng.range(0, 15) }))
    .sort((a, b) => b.key - a.key);
  for (const { c } of ranked.slice(0, target)) {
    c.provincialDemonstration = true;
    c.hasOwnersCommittee = true;
    if (c.pipeCondition === 'poor') c.pipeCondition = 'fair';
  }
}

function spread(total: number, n: number): number[] {
  if (n === 0) return [];
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0));
}

function placeBuildings(plan: CompoundPlan, wanted: number, era: Era, rng: Rng): Ring[] {
  const layout = { ...era.layout(rng), angle: plan.angle };
  for (let scale = 1; scale > 0.3; scale *= 0.75) {
    const l = {
      ...layout,
      length: layout.length * scale,
      depth: layout.depth * Math.max(0.7, scale),
      gapAlong: layout.gapAlong * scale,
      gapAcross: layout.gapAcross * scale,
    };
    const rects = buildingFootprints(plan.footprint, wanted, l);
    if (rects.length > 0) return rects;
  }
  // A sliver of a compound: one small block if even that fits.
  return buildingFootprints(plan.footprint, 1, {
    ...layout,
    length: 12,
    depth: 8,
    gapAlong: 0,
    gapAcross: 0,
  });
}
