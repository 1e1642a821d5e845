/**
 * OGC API – Features: which collections a caller may read and what each holds. The public reads
 * what the public map shows (the areas at each level, compounds with their rating and facts,
 * buildings); tickets and hazards are read through the caller's own map layer (ticketLayer,
 * hazardLayer: the one policy, `pointLayerRule`), so a planner's key gets positions, category,
 * status and times, never a code, title or description, exactly as on the map.
 */
import type { Cursor } from '../../geo/ogc.ts';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/ogc.ts';
import { scopeCondition } from '../db/queries/scope.ts';
import type { Actor } from './actors.ts';
import { DomainError, invalid, notFound } from './domain-error.ts';
import { hazardLayer } from './hazards.ts';
import type { ReadCache } from './read-cache.ts';
import { ticketLayer, type PointLayer } from './tickets.ts';

export type CollectionId =
  | 'districts'
  | 'subdistricts'
  | 'communities'
  | 'grids'
  | 'compounds'
  | 'buildings'
  | 'tickets'
  | 'hazards';

/** A property of a collection's features, for the HTML page, the OpenAPI schema and docs. */
export interface PropertyDoc {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  format?: 'date-time';
  description: string;
}

interface CollectionDef {
  id: CollectionId;
  title: string;
  description: string;
  /** Who may read it: everyone, or through the caller's ticket or hazard map layer. */
  access: 'public' | 'tickets' | 'hazards';
  /** Whether `numberMatched` is counted: only where a count is cheap at any scale. */
  countable: boolean;
  /** The temporal property `datetime` filters on. */
  temporal?: string;
  /** Whether the extent is its own features' box (few rows) rather than the city's. */
  ownExtent: boolean;
  source(layer: PointLayer | null): q.FeatureSource;
  properties(layer: PointLayer | null): PropertyDoc[];
}

const p = (
  name: string,
  type: PropertyDoc['type'],
  description: string,
  format?: 'date-time',
): PropertyDoc => (format ? { name, type, format, description } : { name, type, description });

const AREA_PROPS = [
  p('name', 'string', '名称 Name'),
  p('code', 'string', '行政区划代码 Administrative code (null where none)'),
  p('level', 'string', 'district | subdistrict | community | grid'),
  p('parentId', 'integer', 'The enclosing area (null for a district)'),
];

const area = (
  id: CollectionId,
  level: string,
  title: string,
  description: string,
): CollectionDef => ({
  id,
  title,
  description,
  access: 'public',
  countable: true,
  ownExtent: true,
  source: () => q.areaSource(level),
  properties: () => AREA_PROPS,
});

const TICKET_POSITIONS = [
  p('category', 'string', '诉求类别 Category'),
  p('status', 'string', '状态 Status in the lifecycle'),
  p('overdue', 'boolean', '是否超期 Open past its deadline'),
  p('receivedAt', 'string', '受理时间 Received (the temporal property)', 'date-time'),
  p('dueAt', 'string', '办理时限 Deadline', 'date-time'),
];
const TICKET_FULL = [
  p('code', 'string', '工单编号 Ticket code'),
  ...TICKET_POSITIONS,
  p('channel', 'string', '来源渠道 Channel'),
  p('priority', 'string', 'normal | urgent'),
  p('closedAt', 'string', '办结时间 Closed', 'date-time'),
  p('title', 'string', '标题 Title'),
  p('compoundId', 'integer', '所在小区 Compound (compounds collection id)'),
];
const HAZARD_POSITIONS = [
  p('type', 'string', '隐患类型 Type'),
  p('severity', 'string', 'low | medium | high | critical'),
  p('status', 'string', '状态 Status'),
  p('overdue', 'boolean', '是否超期 Unrectified past its deadline'),
  p('reportedAt', 'string', '上报时间 Reported (the temporal property)', 'date-time'),
  p('dueAt', 'string', '整改时限 Deadline', 'date-time'),
];
const HAZARD_FULL = [
  p('code', 'string', '隐患编号 Hazard code'),
  ...HAZARD_POSITIONS,
  p('description', 'string', '描述 Description'),
  p('compoundId', 'integer', '所在小区 Compound (compounds collection id)'),
];

const COLLECTIONS: CollectionDef[] = [
  area('districts', 'district', '区县 Districts', 'The districts of Lanzhou.'),
  area('subdistricts', 'subdistrict', '街道 Subdistricts', 'Subdistricts (街道) and towns.'),
  area('communities', 'community', '社区 Communities', 'Residents’ communities (社区).'),
  area('grids', 'grid', '网格 Grids', 'The grids (网格) gridworkers answer for.'),
  {
    id: 'compounds',
    title: '小区 Residential compounds',
    description:
      'Residential compounds with their facts and the rating (red/yellow/blue) of the last rated month.',
    access: 'public',
    countable: true,
    ownExtent: true,
    source: () => q.compoundSource(),
    properties: () => [
      p('name', 'string', '小区名称 Name'),
      p('code', 'string', 'Code (null where none)'),
      p('gridId', 'integer', '所属网格 Grid (grids collection id)'),
      p('yearBuilt', 'integer', '建成年份 Year built'),
      p('households', 'integer', '户数 Households'),
      p('buildings', 'integer', '楼栋数 Buildings'),
      p('propertyCompany', 'string', '物业公司 Property company (null: none)'),
      p('hasElevator', 'boolean', '有电梯 Has lifts'),
      p('hasOwnersCommittee', 'boolean', '有业委会 Has an owners’ committee'),
      p('hasPartyBranch', 'boolean', '有党支部 Has a party branch'),
      p('provincialDemonstration', 'boolean', '省级示范 Provincial demonstration compound'),
      p('rating', 'string', '红黄蓝评级 red | yellow | blue (null: not rated)'),
      p('ratingScore', 'number', '评分 Score of the rating'),
      p('ratingPeriod', 'string', '评级月份 Month rated (YYYY-MM)'),
    ],
  },
  {
    id: 'buildings',
    title: '楼栋 Buildings',
    description: 'Residential buildings: footprint, floors and households.',
    access: 'public',
    countable: true,
    ownExtent: false,
    source: () => q.buildingSource(),
    properties: () => [
      p('name', 'string', '楼栋 Name'),
      p('floors', 'integer', '层数 Floors'),
      p('households', 'integer', '户数 Households'),
      p('compoundId', 'integer', '所在小区 Compound (compounds collection id)'),
      p('compoundName', 'string', '小区名称 Compound name'),
    ],
  },
  {
    id: 'tickets',
    title: '诉求工单 Tickets',
    description:
      'Residents’ requests as the caller’s map shows them; planners see positions, category, status and times only.',
    access: 'tickets',
    // Hundreds of thousands a year: counting every filtered page would cost more than the page.
    countable: false,
    ownExtent: false,
    temporal: 'receivedAt',
    source: (layer) => q.ticketSource(scopeCondition(layer!.rule, 'tickets', 't'), layer!.fields),
    properties: (layer) => (layer?.fields === 'full' ? TICKET_FULL : TICKET_POSITIONS),
  },
  {
    id: 'hazards',
    title: '安全隐患 Hazards',
    description:
      'Safety hazards as the caller’s map shows them; planners see positions, type, severity, status and times only.',
    access: 'hazards',
    countable: false,
    ownExtent: false,
    temporal: 'reportedAt',
    source: (layer) => q.hazardSource(scopeCondition(layer!.rule, 'hazards', 't'), layer!.fields),
    properties: (layer) => (layer?.fields === 'full' ? HAZARD_FULL : HAZARD_POSITIONS),
  },
];

export const COLLECTION_IDS = COLLECTIONS.map((c) => c.id);

/** The caller's layer for a restricted collection: 401 for the public, 403 without the right. */
function layerOf(def: CollectionDef, actor: Actor | null): PointLayer | null {
  if (def.access === 'tickets') return ticketLayer(actor);
  if (def.access === 'hazards') return hazardLayer(actor);
  return null;
}

/** A collection the caller may read, with its source; 404/401/403 otherwise. */
export function openCollection(actor: Actor | null, id: string) {
  const def = COLLECTIONS.find((c) => c.id === id);
  if (!def) throw notFound('collection_not_found', `No collection '${id}'`, 'collectionId');
  const layer = layerOf(def, actor);
  return {
    def,
    layer,
    source: def.source(layer),
    properties: def.properties(layer),
  };
}

export type OpenCollection = ReturnType<typeof openCollection>;

/** The collections the caller may read (a restricted one it may not is simply not listed). */
export function readableCollections(actor: Actor | null): OpenCollection[] {
  const open: OpenCollection[] = [];
  for (const def of COLLECTIONS) {
    try {
      open.push(openCollection(actor, def.id));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
  return open;
}

export interface CollectionInfo {
  id: CollectionId;
  title: string;
  description: string;
  /** [w, s, e, n] in CRS84 (null: no features). */
  bbox: [number, number, number, number] | null;
  /** [start, end] ISO; end null: open (records keep coming). Undefined: no time. */
  interval?: [string | null, string | null];
  properties: PropertyDoc[];
}

/** A collection's description with its extents (cached: they move rarely, and only outwards). */
export async function describe(
  db: Db,
  cache: ReadCache,
  c: OpenCollection,
): Promise<CollectionInfo> {
  const layerKey = c.layer ? `:${c.layer.key}` : '';
  const bbox = await cache.get(
    `ogc:bbox:${c.def.id}${layerKey}`,
    // Buildings, tickets and hazards lie within the city: its districts' box, rather than a scan
    // of millions of rows.
    () => q.spatialExtent(db, c.def.ownExtent ? c.source : q.areaSource('district')),
    { nouns: [] },
  );
  const info: CollectionInfo = {
    id: c.def.id,
    title: c.def.title,
    description: c.def.description,
    bbox,
    properties: c.properties,
  };
  if (c.def.temporal) {
    const start = await cache.get(
      `ogc:start:${c.def.id}${layerKey}`,
      () => q.temporalStart(db, c.source),
      { nouns: [] },
    );
    info.interval = [start?.toISOString() ?? null, null];
  }
  return info;
}

export interface ItemsQuery {
  bbox?: readonly [number, number, number, number];
  interval?: { start: Date | null; end: Date | null };
  cursor?: Cursor;
  limit: number;
}

/** One page of a collection's features. */
export function items(db: Db, c: OpenCollection, query: ItemsQuery) {
  // A cursor of another collection's order (a time where there is none, or none where there is).
  if (query.cursor && (query.cursor.at === undefined) !== (c.def.temporal === undefined))
    throw invalid(
      'field_invalid',
      "parameter 'cursor' must be a value taken from a 'next' or 'prev' link of this collection",
      'cursor',
    );
  return q.featurePage(db, c.source, {
    ...query,
    // A collection without time ignores `datetime` (documented): it has no temporal property.
    interval: c.def.temporal ? query.interval : undefined,
    // Counted on the first page only: a client reads the total there (GDAL's feature count),
    // and a walk through every page must not count every match again on each one.
    count: c.def.countable && query.cursor === undefined,
  });
}

/** One feature, or a 404. */
export async function feature(db: Db, c: OpenCollection, id: number): Promise<string> {
  const f = await q.featureById(db, c.source, id);
  if (!f) throw notFound('feature_not_found', `No feature ${id} in '${c.def.id}'`, 'featureId');
  return f;
}
