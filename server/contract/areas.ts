import { z } from '@hono/zod-openapi';
import { RATING_COLORS, type RatingColor } from '../../geo/vocabulary.ts';
import {
  AreaLevel,
  BBox,
  featureOf,
  LonLat,
  MultiPolygonGeometry,
  PolygonGeometry,
  Timestamp,
} from './common.ts';

export const RatingColorKey = z.enum(
  RATING_COLORS.map((c) => c.key) as [RatingColor, ...RatingColor[]],
);

/** An area on the map, with its latest rating and open-ticket counts. */
export const AreaProperties = z
  .object({
    id: z.number(),
    level: AreaLevel,
    name: z.string(),
    code: z.string().nullable(),
    parentId: z.number().nullable(),
    label: LonLat.nullable(),
    rating: RatingColorKey.nullable(),
    score: z.number().nullable(),
    openTickets: z.number().nullable(),
    overdueTickets: z.number().nullable(),
  })
  .openapi('AreaProperties');
export const AreaFeature = featureOf(
  z.union([PolygonGeometry, MultiPolygonGeometry]),
  AreaProperties,
  z.number(),
).openapi('AreaFeature');
export const AreaCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(AreaFeature) })
  .openapi('AreaCollection');

export const AreaRef = z
  .object({ id: z.number(), level: AreaLevel, name: z.string(), code: z.string().nullable() })
  .openapi('AreaRef');

export const AreaKpis = z
  .object({
    received: z.number(),
    closed: z.number(),
    open: z.number(),
    overdue: z.number(),
    completionRate: z.number().nullable(),
    onTimeRate: z.number().nullable(),
    satisfaction: z.number().nullable(),
    hazards: z.object({
      low: z.number(),
      medium: z.number(),
      high: z.number(),
      critical: z.number(),
    }),
    openHazards: z.number(),
    overdueHazards: z.number(),
    whistles: z.object({
      open: z.number(),
      awaitingReport: z.number(),
      lateReportIns: z.number(),
      overdue: z.number(),
    }),
  })
  .openapi('AreaKpis');

/** A compound's own rating, with the indicators it was scored on (null: not measured). */
export const CompoundRating = z
  .object({
    color: RatingColorKey,
    score: z.number(),
    period: z.string(),
    indicators: z.record(z.string(), z.number().nullable()),
  })
  .openapi('CompoundRating');
/** A larger area's roll-up: how many of its compounds have each colour. */
export const RatingRollup = z
  .object({
    red: z.number(),
    yellow: z.number(),
    blue: z.number(),
    color: RatingColorKey.nullable(),
    score: z.number().nullable(),
    period: z.string().nullable(),
  })
  .openapi('RatingRollup');

const Condition = z.enum(['good', 'fair', 'poor']);
export const CompoundAttributes = z
  .object({
    yearBuilt: z.number(),
    households: z.number(),
    buildingsCount: z.number(),
    hasOwnersCommittee: z.boolean(),
    hasPartyBranch: z.boolean(),
    parkingSpaces: z.number(),
    registeredCars: z.number(),
    pipeCondition: Condition,
    roofCondition: Condition,
    hasElevator: z.boolean(),
    provincialDemonstration: z.boolean(),
    propertyCompany: z
      .object({
        id: z.number(),
        name: z.string(),
        creditScore: z.number(),
        list: z.enum(['red', 'black', 'none']),
        trustModel: z.boolean(),
      })
      .nullable(),
  })
  .openapi('CompoundAttributes');

/** One area (or the city, `id: 'city'`) with its ancestors and KPIs over a period. */
export const AreaDetail = z
  .object({
    area: z.object({
      id: z.union([z.number(), z.literal('city')]),
      level: z.union([AreaLevel, z.literal('city')]),
      name: z.string(),
      code: z.string().nullable(),
      parentId: z.number().nullable(),
      bbox: BBox.nullable(),
      label: LonLat.nullable(),
      childLevel: AreaLevel.nullable(),
      childrenCount: z.number().nullable(),
    }),
    ancestors: z.array(AreaRef),
    period: z.object({ from: Timestamp, to: Timestamp }),
    kpis: AreaKpis,
    categories: z.array(z.object({ key: z.string(), count: z.number() })),
    rating: z.union([CompoundRating, RatingRollup]).nullable(),
    compound: CompoundAttributes.nullable(),
  })
  .openapi('AreaDetail');

export type AreaProperties = z.infer<typeof AreaProperties>;
export type AreaFeature = z.infer<typeof AreaFeature>;
export type AreaCollection = z.infer<typeof AreaCollection>;
export type AreaRef = z.infer<typeof AreaRef>;
export type AreaKpis = z.infer<typeof AreaKpis>;
export type CompoundRating = z.infer<typeof CompoundRating>;
export type RatingRollup = z.infer<typeof RatingRollup>;
export type CompoundAttributes = z.infer<typeof CompoundAttributes>;
export type AreaDetail = z.infer<typeof AreaDetail>;
