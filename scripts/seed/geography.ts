/**
 * Builds the area hierarchy inside the real district outlines: subdistricts and communities with
 * their real names and codes as a nested Voronoi partition, then grids and compound footprints
 * where the city actually is (the valley centres of urban.ts). Works in a local metric frame;
 * the caller converts to lon/lat for the database.
 */
import { compoundFootprint } from '../../geo/compound-footprint.ts';
import { insetPolygon } from '../../geo/inset.ts';
import { kMeans } from '../../geo/kmeans.ts';
import type { LocalFrame } from '../../geo/local-frame.ts';
import { mapMultiPolygon } from '../../geo/local-frame.ts';
import { partitionPolygon } from '../../geo/partition.ts';
import {
  bboxOf,
  type BBox,
  multiPolygonArea,
  type MultiPolygon,
  pointInMultiPolygon,
  type Polygon,
  polygonArea,
  type Position,
} from '../../geo/planar.ts';
import type { Rng } from '../../geo/prng.ts';
import { randomPointsInPolygon } from '../../geo/random-points.ts';
import { type Density, urbanDensity } from '../../geo/urban-density.ts';
import type { AreaLevel } from '../../geo/vocabulary.ts';
import type { LanzhouData, LanzhouDistrict } from './lanzhou.ts';
import { compoundName } from './names.ts';
import type { ScaleConfig } from './scales.ts';
import { URBAN } from './urban.ts';

export interface AreaNode {
  id: number;
  level: AreaLevel;
  parentId: number | null;
  /** Ancestor ids and own id, root first. */
  path: number[];
  code: string | null;
  name: string;
  /** In the local metric frame. */
  geom: MultiPolygon;
}

/** A compound's place and the facts about it that its geometry depends on. */
export interface CompoundPlan {
  area: AreaNode;
  site: Position;
  districtCode: string;
  village: boolean;
  /** 0 at the edge of town, 1 in the old core: older, denser, poorer pipes. */
  oldness: number;
  /** 0 in the hills, 1 at the busiest centre. */
  urbanity: number;
  yearBuilt: number;
  households: number;
  /** Street orientation, radians from east. */
  angle: number;
  footprint: Polygon;
}

export interface Geography {
  areas: AreaNode[];
  compounds: CompoundPlan[];
}

/** Land per household (m²) by era: walk-up slabs spread out, towers stack up. */
export function landPerHousehold(yearBuilt: number): number {
  return yearBuilt < 1998 ? 42 : yearBuilt < 2008 ? 36 : 28;
}

class Ids {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

interface DistrictContext {
  district: LanzhouDistrict;
  node: AreaNode;
  density: Density;
  oldCore: Position;
  angle: number;
}

function distinct(points: Position[]): Position[] {
  const seen = new Set<string>();
  return points.map((p) => {
    let q = p;
    while (seen.has(`${q[0]},${q[1]}`)) q = [q[0] + 0.01, q[1] + 0.01];
    seen.add(`${q[0]},${q[1]}`);
    return q;
  });
}

export function generateGeography(
  data: LanzhouData,
  scale: ScaleConfig,
  frame: LocalFrame,
  rng: Rng,
  onProgress: (message: string) => void,
): Geography {
  const ids = new Ids();
  const areas: AreaNode[] = [];
  const compounds: CompoundPlan[] = [];
  const add = (n: Omit<AreaNode, 'id' | 'path'>, parent: AreaNode | null): AreaNode => {
    const id = ids.take();
    const node: AreaNode = { ...n, id, path: parent ? [...parent.path, id] : [id] };
    areas.push(node);
    return node;
  };

  const districts: DistrictContext[] = data.districts.map((d) => {
    const model = URBAN[d.code];
    if (!model) throw new Error(`No urban model for district ${d.code}`);
    const centres = model.centres.map((c) => ({ ...c, at: frame.toMetres(c.at) }));
    const node = add(
      {
        level: 'district',
        parentId: null,
        code: d.code,
        name: d.name,
        geom: mapMultiPolygon(d.outline, frame.toMetres),
      },
      null,
    );
    return {
      district: d,
      node,
      density: urbanDensity(centres, 0.01),
      oldCore: centres[0].at,
      angle: (model.streetAngle * Math.PI) / 180,
    };
  });

  for (const ctx of districts) {
    const r = rng.fork(`district/${ctx.district.code}`);
    const share = URBAN[ctx.district.code].share;
    const subs = subdistricts(ctx, r.fork('subdistricts'), add);
    const communities = subs.flatMap(({ node, sub, centre }) =>
      communitiesOf(ctx, node, sub, centre, r.fork(`communities/${sub.code}`), add),
    );
    const target = Math.round(scale.compounds * share);
    placeCompounds(ctx, communities, target, scale, r.fork('compounds'), add, compounds);
    onProgress(
      `areas: ${ctx.district.name} — ${subs.length} subdistricts, ${communities.length} communities`,
    );
  }
  return { areas, compounds };
}

type Add = (n: Omit<AreaNode, 'id' | 'path'>, parent: AreaNode | null) => AreaNode;

function subdistricts(ctx: DistrictContext, rng: Rng, add: Add) {
  const { district, node, density } = ctx;
  const area = multiPolygonArea(node.geom);
  const urban = district.subdistricts.filter((s) => s.kind === 'street' || s.kind === 'zone');
  const rural = district.subdistricts.filter((s) => s.kind === 'town' || s.kind === 'township');
  // 街道 sit in the city, 镇/乡 in the hills around it; spacing keeps cells from degenerating.
  const urbanSeeds = randomPointsInPolygon(node.geom, urban.length, rng, {
    density,
    exponent: 1.5,
    minDistance: 600,
  });
  const ruralSeeds = randomPointsInPolygon(node.geom, rural.length, rng, {
    density: (p) => 1.02 - density(p),
    exponent: 2,
    minDistance: Math.sqrt(area / Math.max(1, rural.length)) / 2,
    avoid: urbanSeeds,
  });
  // Lower codes are the older 街道 (酒泉路, 张掖路...): give them the seeds nearest the old core.
  const byCore = (a: Position, b: Position) =>
    Math.hypot(a[0] - ctx.oldCore[0], a[1] - ctx.oldCore[1]) -
    Math.hypot(b[0] - ctx.oldCore[0], b[1] - ctx.oldCore[1]);
  urbanSeeds.sort(byCore);
  ruralSeeds.sort(byCore);
  const seeds = distinct([...urbanSeeds, ...ruralSeeds]);
  const list = [...urban, ...rural];
  const cells = partitionPolygon(node.geom, seeds);
  return list.map((sub, i) => ({
    sub,
    centre: seeds[i],
    node: add(
      { level: 'subdistrict', parentId: node.id, code: sub.code, name: sub.name, geom: cells[i] },
      node,
    ),
  }));
}

interface CommunityCtx {
  node: AreaNode;
  village: boolean;
  bbox: BBox;
  /** Compound names taken in this community: they must be unique within it. */
  names: Set<string>;
}

function communitiesOf(
  ctx: DistrictContext,
  parent: AreaNode,
  sub: LanzhouDistrict['subdistricts'][number],
  centre: Position,
  rng: Rng,
  add: Add,
): CommunityCtx[] {
  const urban = sub.communities.filter((c) => c.kind === 'community');
  const villages = sub.communities.filter((c) => c.kind === 'village');
  const area = multiPolygonArea(parent.geom);
  // In a town the 社区 gather round the town seat; in a 街道 they follow the city's density.
  const townSeat = urbanDensity([{ at: centre, sigma: 900, weight: 1 }], 0.02);
  const isTown = sub.kind === 'town' || sub.kind === 'township';
  const urbanSeeds = randomPointsInPolygon(parent.geom, urban.length, rng, {
    density: isTown ? townSeat : ctx.density,
    exponent: 1.2,
    minDistance: Math.min(300, Math.sqrt(area / Math.max(1, urban.length)) / 3),
  });
  const villageSeeds = randomPointsInPolygon(parent.geom, villages.length, rng, {
    density: (p) => 1.02 - ctx.density(p),
    minDistance: Math.sqrt(area / Math.max(1, villages.length)) / 2,
    avoid: urbanSeeds,
  });
  const seeds = distinct([...urbanSeeds, ...villageSeeds]);
  const list = [...urban, ...villages];
  const cells = partitionPolygon(parent.geom, seeds);
  return list.map((c, i) => {
    const node = add(
      { level: 'community', parentId: parent.id, code: c.code, name: c.name, geom: cells[i] },
      parent,
    );
    return {
      node,
      village: c.kind === 'village',
      bbox: bboxOf(cells[i]),
      names: new Set<string>(),
    };
  });
}

function findCommunity(communities: CommunityCtx[], p: Position): CommunityCtx | undefined {
  return communities.find(
    (c) =>
      p[0] >= c.bbox[0] &&
      p[0] <= c.bbox[2] &&
      p[1] >= c.bbox[1] &&
      p[1] <= c.bbox[3] &&
      pointInMultiPolygon(p, c.node.geom),
  );
}

const SETBACK_M = 7;

function placeCompounds(
  ctx: DistrictContext,
  communities: CommunityCtx[],
  target: number,
  scale: ScaleConfig,
  rng: Rng,
  add: Add,
  out: CompoundPlan[],
): void {
  // Sites follow the city's density, ~120 m apart as estates are in Lanzhou's core.
  const sites = randomPointsInPolygon(ctx.node.geom, target, rng, {
    density: ctx.density,
    exponent: 1.3,
    minDistance: 120,
  });
  const byCommunity = new Map<CommunityCtx, Position[]>(communities.map((c) => [c, []]));
  for (const p of sites) {
    const c = findCommunity(communities, p);
    if (c) byCommunity.get(c)!.push(p);
  }
  for (const c of communities) {
    const r = rng.fork(c.node.code ?? c.node.id);
    const own = byCommunity.get(c)!;
    // Every community has at least one compound (a village its resettlement estate).
    if (own.length === 0)
      own.push(...randomPointsInPolygon(c.node.geom, 1, r, { density: ctx.density }));
    const k = c.village
      ? own.length >= 4
        ? 2
        : 1
      : Math.max(1, Math.min(own.length, Math.round(own.length / scale.compoundsPerGrid)));
    const groups = gridsOf(c, own, k, r);
    groups.forEach(({ geom, sites: gridSites }, i) => {
      const grid = add(
        {
          level: 'grid',
          parentId: c.node.id,
          code: null,
          name: `${c.node.name}第${i + 1}网格`,
          geom,
        },
        c.node,
      );
      compoundsOf(ctx, c, grid, gridSites, r.fork(`grid/${i}`), add, out);
    });
  }
}

/** Splits a community into k grids around clusters of its compound sites. */
function gridsOf(c: CommunityCtx, sites: Position[], k: number, rng: Rng) {
  if (k <= 1) return [{ geom: c.node.geom, sites }];
  const { centres } = kMeans(sites, k, rng);
  const cells = partitionPolygon(c.node.geom, distinct(centres));
  const groups = cells.map((geom) => ({ geom, sites: [] as Position[] }));
  for (const p of sites) {
    const i = cells.findIndex((g) => pointInMultiPolygon(p, g));
    if (i >= 0) groups[i].sites.push(p);
  }
  // A grid left without a site (possible only at cell edges) still gets a compound.
  for (const g of groups) {
    if (g.sites.length === 0) g.sites.push(...randomPointsInPolygon(g.geom, 1, rng));
  }
  return groups;
}

function plannedHouseholds(rng: Rng, yearBuilt: number, village: boolean): number {
  const median = yearBuilt < 1995 ? 180 : yearBuilt < 2005 ? 350 : yearBuilt < 2015 ? 650 : 900;
  const hh = median * Math.exp(rng.normal(0, 0.45)) * (village ? 0.5 : 1);
  return Math.round(Math.min(3500, Math.max(40, hh)));
}

function yearBuilt(rng: Rng, oldness: number, urbanity: number, village: boolean): number {
  let year: number;
  if (village) year = rng.int(2008, 2023);
  else if (rng.chance(0.15))
    year = rng.int(2006, 2025); // redevelopment of old plots
  else year = Math.round(2020 - 34 * oldness - 14 * urbanity * (1 - oldness) + rng.normal(0, 4.5));
  return Math.min(2024, Math.max(1980, year));
}

function compoundsOf(
  ctx: DistrictContext,
  c: CommunityCtx,
  grid: AreaNode,
  sites: Position[],
  rng: Rng,
  add: Add,
  out: CompoundPlan[],
): void {
  const cells = partitionPolygon(grid.geom, distinct(sites));
  const angle = ctx.angle + rng.normal(0, 0.1);
  const before = out.length;
  sites.forEach((site, i) => {
    const d = Math.hypot(site[0] - ctx.oldCore[0], site[1] - ctx.oldCore[1]);
    const oldness = Math.exp(-(d * d) / (2 * 3500 * 3500));
    const urbanity = ctx.density(site);
    const year = yearBuilt(rng, oldness, urbanity, c.village);
    const planned = plannedHouseholds(rng, year, c.village);
    const footprint = fitFootprint(cells[i], site, planned * landPerHousehold(year), angle, rng);
    if (!footprint) return;
    const households = Math.round(
      Math.min(
        5000,
        Math.max(30, (polygonArea(footprint) / landPerHousehold(year)) * rng.range(0.9, 1.1)),
      ),
    );
    const name = compoundName(
      rng,
      {
        districtCode: ctx.district.code,
        communityStem: c.node.name.replace(/(社区|村)$/, ''),
        yearBuilt: year,
        village: c.village,
      },
      c.names,
    );
    out.push({
      area: add(
        { level: 'compound', parentId: grid.id, code: null, name, geom: [footprint] },
        grid,
      ),
      site,
      districtCode: ctx.district.code,
      village: c.village,
      oldness,
      urbanity,
      yearBuilt: year,
      households,
      angle: angle + rng.normal(0, 0.03),
      footprint,
    });
  });
  if (out.length === before) {
    throw new Error(`No compound fits in grid ${grid.name}: the partition produced slivers`);
  }
}

/** A footprint near the wanted size, shrinking the wish (and moving inward) until one fits. */
function fitFootprint(
  cell: MultiPolygon,
  site: Position,
  wantedArea: number,
  angle: number,
  rng: Rng,
): Polygon | null {
  const aspect = rng.range(1, 1.8);
  let width = Math.min(600, Math.sqrt(wantedArea * aspect));
  let depth = Math.min(450, Math.sqrt(wantedArea / aspect));
  let centre = site;
  for (let attempt = 0; attempt < 4; attempt++) {
    const setback = attempt < 3 ? SETBACK_M : 2;
    const f = compoundFootprint(cell, { centre, width, depth, angle, setback });
    if (f) return f;
    width *= 0.6;
    depth *= 0.6;
    // The site may sit in a corner of its cell: retry from a point well inside it.
    const inner = insetPolygon(cell, SETBACK_M + depth / 2);
    if (inner.length > 0 && polygonArea(inner[0]) > 0) {
      centre = randomPointsInPolygon([inner[0]], 1, rng)[0];
    }
  }
  return null;
}
