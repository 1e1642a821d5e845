/** 物业纠纷人民调解: committees' figures, cases with their steps, the k-anonymous case map. */
import { z } from '@hono/zod-openapi';
import {
  CASE_CATEGORIES,
  CASE_KINDS,
  CASE_OUTCOMES,
  CASE_STATUSES,
  CASE_STEPS,
} from '../../geo/mediation.ts';
import { AreaLevel } from './common.ts';

const Day = z.string().openapi({ format: 'date', example: '2026-11-30' });
const PlaceRef = z.object({ id: z.number(), name: z.string(), level: AreaLevel });
/** A count, or null where it is under k and the reader is not of the committee. */
const Count = z.number().nullable();

export const MediationOverview = z
  .object({
    area: PlaceRef.nullable(),
    since: Day,
    k: z.number(),
    exact: z.boolean(),
    me: z
      .object({
        mediatorId: z.number(),
        name: z.string(),
        post: z.enum(['director', 'full_time', 'part_time']),
        committeeId: z.number(),
        committeeName: z.string(),
      })
      .nullable(),
    calibration: z.object({
      rooms: z.number(),
      mediators: z.number(),
      complaints: z.number(),
      consultations: z.number(),
      disputesResolved: z.number(),
    }),
    committees: z.array(
      z.object({
        id: z.number(),
        kind: z.enum(['company', 'community']),
        name: z.string(),
        rooms: z.number(),
        mediators: z.number(),
        fullTime: z.number(),
        partTime: z.number(),
        complaints: Count,
        consultations: Count,
        disputes: Count,
        resolved: Count,
        open: Count,
      }),
    ),
    months: z.array(
      z.object({
        month: z.string(),
        complaints: Count,
        consultations: Count,
        disputes: Count,
        resolved: Count,
      }),
    ),
    mediators: z.array(z.object({ id: z.number(), name: z.string(), post: z.string() })),
  })
  .openapi('MediationOverview');

const CaseFields = {
  id: z.number(),
  code: z.string(),
  kind: z.enum(CASE_KINDS),
  category: z.enum(CASE_CATEGORIES),
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  committeeId: z.number(),
  committeeName: z.string(),
  compoundId: z.number(),
  compoundName: z.string(),
  communityName: z.string(),
  /** the committee's only */
  buildingId: z.number().nullable(),
  buildingName: z.string().nullable(),
  mediatorId: z.number().nullable(),
  mediatorName: z.string().nullable(),
  receivedOn: Day,
  closedOn: Day.nullable(),
  mine: z.boolean(),
  /** whether this reader sees the parties (the case's mediator, the committee's director) */
  identities: z.boolean(),
};

export const MediationCaseSummary = z.object(CaseFields).openapi('MediationCaseSummary');

export const MediationCaseList = z
  .object({
    items: z.array(MediationCaseSummary),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
  })
  .openapi('MediationCaseList');

export const MediationCase = z
  .object({
    ...CaseFields,
    summary: z.string(),
    agreement: z.string().nullable(),
    /** null unless `identities` */
    parties: z
      .array(
        z.object({
          side: z.enum(['applicant', 'respondent']),
          name: z.string(),
          phone: z.string().nullable(),
        }),
      )
      .nullable(),
    steps: z.array(
      z.object({
        id: z.number(),
        step: z.enum(CASE_STATUSES),
        onDate: Day,
        note: z.string().nullable(),
        mediatorName: z.string().nullable(),
      }),
    ),
    canMove: z.boolean(),
    nextSteps: z.array(z.enum(CASE_STEPS)),
    outcomes: z.array(z.enum(CASE_OUTCOMES)),
  })
  .openapi('MediationCase');

export const MediationMap = z
  .object({
    type: z.literal('FeatureCollection'),
    k: z.number(),
    since: Day,
    area: PlaceRef.nullable(),
    /** the area's own count (null: under k, merged into its parent) */
    count: Count,
    /** its cases on no shown child: 0 or ≥ k */
    rest: Count,
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({
          type: z.literal('Point'),
          coordinates: z.tuple([z.number(), z.number()]),
        }),
        properties: z.object({
          kind: z.enum(['area', 'building']),
          id: z.number(),
          name: z.string(),
          level: AreaLevel.nullable(),
          /** always ≥ k */
          count: z.number(),
        }),
      }),
    ),
  })
  .openapi('MediationMap');

export type MediationOverview = z.infer<typeof MediationOverview>;
export type MediationCaseList = z.infer<typeof MediationCaseList>;
export type MediationCase = z.infer<typeof MediationCase>;
export type MediationMap = z.infer<typeof MediationMap>;
