import { z } from '@hono/zod-openapi';
import { featureOf, LineStringGeometry, PointGeometry, Timestamp } from './common.ts';

/** A patrol's track; `timestamps` are the vertices' times in unix seconds. */
export const TrackProperties = z
  .object({
    kind: z.literal('track'),
    id: z.number(),
    gridId: z.number(),
    gridworker: z.string(),
    startedAt: Timestamp,
    endedAt: Timestamp.nullable(),
    distanceM: z.number(),
    checkins: z.number(),
    timestamps: z.array(z.number()),
  })
  .openapi('TrackProperties');
export const CheckinProperties = z
  .object({
    kind: z.literal('checkin'),
    patrolId: z.number(),
    compoundId: z.number(),
    compoundName: z.string(),
    at: Timestamp,
  })
  .openapi('CheckinProperties');
export const TrackFeature = featureOf(LineStringGeometry, TrackProperties, z.number()).openapi(
  'TrackFeature',
);
/** A check-in's feature id is `c` and its id, apart from the tracks' ids. */
export const CheckinFeature = featureOf(PointGeometry, CheckinProperties, z.string()).openapi(
  'CheckinFeature',
);
export const PatrolCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.union([TrackFeature, CheckinFeature])),
  })
  .openapi('PatrolCollection');

export const CoverageItem = z
  .object({
    gridId: z.number(),
    name: z.string(),
    lastPatrolledAt: Timestamp.nullable(),
    patrolsToday: z.number(),
  })
  .openapi('CoverageItem');
export const Coverage = z.object({ items: z.array(CoverageItem) }).openapi('Coverage');

export const PatrolStarted = z
  .object({ id: z.number(), startedAt: Timestamp })
  .openapi('PatrolStarted');
export const PatrolTrack = z
  .object({ id: z.number(), points: z.number(), distanceM: z.number() })
  .openapi('PatrolTrack');
export const PatrolCheckin = z.object({ id: z.number(), at: Timestamp }).openapi('PatrolCheckin');
export const PatrolEnded = z
  .object({ id: z.number(), endedAt: Timestamp, points: z.number(), distanceM: z.number() })
  .openapi('PatrolEnded');

export type TrackProperties = z.infer<typeof TrackProperties>;
export type CheckinProperties = z.infer<typeof CheckinProperties>;
export type TrackFeature = z.infer<typeof TrackFeature>;
export type CheckinFeature = z.infer<typeof CheckinFeature>;
export type PatrolCollection = z.infer<typeof PatrolCollection>;
export type CoverageItem = z.infer<typeof CoverageItem>;
export type Coverage = z.infer<typeof Coverage>;
