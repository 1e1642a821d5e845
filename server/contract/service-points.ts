/** Service points (public, with open now) and 执法进小区 visits. */
import { z } from '@hono/zod-openapi';
import { ENFORCEMENT_TOPICS, SERVICE_POINT_KINDS } from '../../geo/mediation.ts';
import { AreaLevel, Timestamp } from './common.ts';

const Day = z.string().openapi({ format: 'date', example: '2026-11-30' });

export const OpeningSpan = z
  .object({ days: z.array(z.number()), open: z.string(), close: z.string() })
  .openapi('OpeningSpan');

const PointFields = {
  id: z.number(),
  kind: z.enum(SERVICE_POINT_KINDS),
  name: z.string(),
  address: z.string(),
  /** the point's public line, never a person's */
  phone: z.string().nullable(),
  hours: z.array(OpeningSpan),
  note: z.string().nullable(),
  areaId: z.number(),
  areaName: z.string(),
  areaLevel: AreaLevel,
  compounds: z.number(),
  closedAt: Timestamp.nullable(),
  openNow: z.boolean(),
  canManage: z.boolean(),
};

export const ServicePointCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({
          type: z.literal('Point'),
          coordinates: z.tuple([z.number(), z.number()]),
        }),
        properties: z.object(PointFields),
      }),
    ),
  })
  .openapi('ServicePointCollection');

export const ServicePoint = z
  .object({
    ...PointFields,
    position: z.tuple([z.number(), z.number()]),
    servedCompounds: z.array(z.object({ id: z.number(), name: z.string() })),
  })
  .openapi('ServicePoint');

export const EnforcementVisit = z
  .object({
    id: z.number(),
    compoundId: z.number(),
    compoundName: z.string(),
    communityName: z.string(),
    departmentId: z.number().nullable(),
    departmentName: z.string().nullable(),
    team: z.string(),
    visitedOn: Day,
    topic: z.enum(ENFORCEMENT_TOPICS),
    findings: z.string(),
    ticketId: z.number().nullable(),
    ticketCode: z.string().nullable(),
    hazardId: z.number().nullable(),
  })
  .openapi('EnforcementVisit');

export const EnforcementVisitList = z
  .object({
    items: z.array(EnforcementVisit),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
  })
  .openapi('EnforcementVisitList');

export const EnforcementMap = z
  .object({
    type: z.literal('FeatureCollection'),
    since: Day,
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({
          type: z.literal('Point'),
          coordinates: z.tuple([z.number(), z.number()]),
        }),
        properties: z.object({
          id: z.number(),
          name: z.string(),
          visits: z.number(),
          lastOn: Day,
          topics: z.array(z.enum(ENFORCEMENT_TOPICS)),
          followUps: z.number(),
        }),
      }),
    ),
  })
  .openapi('EnforcementMap');

export type ServicePointCollection = z.infer<typeof ServicePointCollection>;
export type ServicePoint = z.infer<typeof ServicePoint>;
export type EnforcementVisit = z.infer<typeof EnforcementVisit>;
export type EnforcementVisitList = z.infer<typeof EnforcementVisitList>;
export type EnforcementMap = z.infer<typeof EnforcementMap>;
