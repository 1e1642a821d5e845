import { z } from '@hono/zod-openapi';
import { HAZARD_ACTIONS, type HazardAction } from '../../geo/operations.ts';
import {
  AreaIds,
  featureOf,
  LonLat,
  pageOf,
  PointGeometry,
  pointCollectionOf,
  Timestamp,
} from './common.ts';

export const HazardActionKey = z.enum(
  HAZARD_ACTIONS.map((a) => a.key) as [HazardAction, ...HazardAction[]],
);

/** A hazard on the map; planners get positions only (no code, description or compound). */
export const HazardPointProperties = z
  .object({
    id: z.number(),
    type: z.string(),
    severity: z.string(),
    status: z.string(),
    overdue: z.boolean(),
    reportedAt: Timestamp,
    dueAt: Timestamp,
    code: z.string().optional(),
    description: z.string().optional(),
    compoundId: z.number().nullable().optional(),
  })
  .openapi('HazardPointProperties');
export const HazardCollection = pointCollectionOf(
  featureOf(PointGeometry, HazardPointProperties, z.number()),
).openapi('HazardCollection');

const hazardFields = {
  id: z.number(),
  code: z.string(),
  type: z.string(),
  severity: z.string(),
  status: z.string(),
  overdue: z.boolean(),
  description: z.string(),
  reportedAt: Timestamp,
  dueAt: Timestamp,
  rectifiedAt: Timestamp.nullable(),
  verifiedAt: Timestamp.nullable(),
  position: LonLat,
  compoundId: z.number().nullable(),
  compoundName: z.string().nullable(),
  gridId: z.number(),
  photoRef: z.string().nullable(),
  areaIds: AreaIds,
};

/** A row of the workspace list (with the company managing its compound, for the list's filters). */
export const HazardRow = z
  .object({ ...hazardFields, compoundCompanyId: z.number().nullable() })
  .openapi('HazardRow');
export const HazardPage = pageOf(HazardRow).openapi('HazardPage');

export const HazardEvent = z
  .object({
    at: Timestamp,
    status: z.string(),
    actor: z.string(),
    note: z.string(),
    photoRef: z.string().nullable(),
    accountId: z.number().nullable(),
  })
  .openapi('HazardEvent');

/** One hazard with its rectification timeline and the steps the caller may take now. */
export const HazardDetail = z
  .object({ ...hazardFields, events: z.array(HazardEvent), actions: z.array(HazardActionKey) })
  .openapi('HazardDetail');

export type HazardPointProperties = z.infer<typeof HazardPointProperties>;
export type HazardCollection = z.infer<typeof HazardCollection>;
export type HazardRow = z.infer<typeof HazardRow>;
export type HazardPage = z.infer<typeof HazardPage>;
export type HazardEvent = z.infer<typeof HazardEvent>;
export type HazardDetail = z.infer<typeof HazardDetail>;
