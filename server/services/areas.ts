import { childLevel, type AreaLevel } from '../../geo/vocabulary.ts';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/areas.ts';
import * as rollups from '../db/queries/rollups.ts';
import { whistleKpis } from '../db/queries/whistles.ts';
import { notFound } from './domain-error.ts';
import type { Bbox, TimeRange } from '../validation.ts';

/** The city itself, the root above the districts; it has no row of its own. */
export const CITY = { id: 'city', level: 'city', name: '兰州市', code: '620100' } as const;

export async function listAreas(
  db: Db,
  query: {
    level?: AreaLevel;
    parent?: number;
    bbox?: Bbox;
    zoom: number;
    slice?: q.TicketSlice;
    range?: TimeRange;
  },
): Promise<string> {
  let level = query.level;
  if (query.parent !== undefined) {
    const parentLevel = await q.findAreaLevel(db, query.parent);
    if (!parentLevel)
      throw notFound(
        'area_not_found',
        `No area with id ${query.parent} (parameter 'parent')`,
        'parent',
      );
    const children = childLevel(parentLevel);
    if (!children) return '{"type":"FeatureCollection","features":[]}';
    level ??= children;
  }
  return q.listAreasGeoJson(db, {
    level: level ?? 'district',
    parent: query.parent,
    bbox: query.bbox,
    zoom: query.zoom,
    slice: query.slice,
    range: query.range,
  });
}

function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10000) / 10000 : null;
}

async function kpis(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  range: TimeRange,
  slice?: q.TicketSlice,
) {
  const byCategory = await rollups.areaTotalsByCategory(db, area, range, slice);
  const t = {
    received: 0,
    closed: 0,
    open: 0,
    closedOnTime: 0,
    satisfactionSum: 0,
    satisfactionCount: 0,
  };
  for (const c of byCategory) {
    t.received += c.received;
    t.closed += c.closed;
    t.open += c.open;
    t.closedOnTime += c.closedOnTime;
    t.satisfactionSum += c.satisfactionSum;
    t.satisfactionCount += c.satisfactionCount;
  }
  const overdue = await rollups.overdueCount(db, area, range, slice);
  const hazards = await q.openHazardsBySeverity(db, area);
  const bySeverity = { low: 0, medium: 0, high: 0, critical: 0 } as Record<string, number>;
  let openHazards = 0;
  let overdueHazards = 0;
  for (const h of hazards) {
    bySeverity[h.severity] = h.open;
    openHazards += h.open;
    overdueHazards += h.overdue;
  }
  const kpis = {
    received: t.received,
    closed: t.closed,
    open: t.open,
    overdue,
    completionRate: rate(t.closed, t.received),
    onTimeRate: rate(t.closedOnTime, t.closed + overdue),
    satisfaction:
      t.satisfactionCount === 0
        ? null
        : Math.round((t.satisfactionSum / t.satisfactionCount) * 100) / 100,
    hazards: bySeverity,
    openHazards,
    overdueHazards,
    whistles: await whistleKpis(db, area),
  };
  const categories = byCategory.map((c) => ({ key: c.category, count: c.received }));
  return { kpis, categories };
}

/** An area's KPIs; `slice` (the map's ticket filter) narrows the ticket counts and categories. */
export async function areaDetail(
  db: Db,
  id: number | 'city',
  range: TimeRange,
  slice?: q.TicketSlice,
) {
  const period = { from: range.from.toISOString(), to: range.to.toISOString() };
  if (id === 'city') {
    const roll = await q.ratingRollup(db, null);
    return {
      area: {
        ...CITY,
        parentId: null,
        bbox: null,
        label: null,
        childLevel: 'district',
        childrenCount: null,
      },
      ancestors: [],
      period,
      ...(await kpis(db, null, range, slice)),
      rating: roll.period ? roll : null,
      compound: null,
    };
  }
  const area = await q.findArea(db, id);
  if (!area) throw notFound('area_not_found', `No area with id ${id}`);
  const ref = { id: area.id, level: area.level };
  const { path, ...shown } = area;
  const ancestors = await q.findAncestors(db, path, area.id);
  const { kpis: k, categories } = await kpis(db, ref, range, slice);
  let rating: unknown;
  let compound: unknown = null;
  if (area.level === 'compound') {
    rating = (await q.latestCompoundRating(db, area.id)) ?? null;
    const c = await q.findCompoundAttributes(db, area.id);
    if (c) {
      const {
        companyId,
        companyName,
        companyCreditScore,
        companyList,
        companyTrustModel,
        ...rest
      } = c;
      compound = {
        ...rest,
        propertyCompany:
          companyId === null
            ? null
            : {
                id: companyId,
                name: companyName,
                creditScore: companyCreditScore,
                list: companyList,
                trustModel: companyTrustModel,
              },
      };
    }
  } else {
    const roll = await q.ratingRollup(db, area.id);
    rating = roll.period ? roll : null;
  }
  return {
    area: { ...shown, childLevel: childLevel(area.level) },
    ancestors,
    period,
    kpis: k,
    categories,
    rating,
    compound,
  };
}

export async function resolveAreaRef(db: Db, id: number, param: string) {
  const level = await q.findAreaLevel(db, id);
  if (!level)
    throw notFound('area_not_found', `No area with id ${id} (parameter '${param}')`, param);
  return { id, level };
}

/** Outlines of areas by id, for exported files. */
export function areaGeometries(db: Db, ids: number[]) {
  return q.areaGeometries(db, ids);
}
