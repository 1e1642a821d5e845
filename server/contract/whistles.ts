import { z } from '@hono/zod-openapi';
import { WHISTLE_STATES, type WhistleState } from '../../geo/operations.ts';
import { LonLat, Timestamp } from './common.ts';

export const WhistleStateKey = z.enum(
  WHISTLE_STATES.map((s) => s.key) as [WhistleState, ...WhistleState[]],
);

/** A body a whistle names, and whether and when it reported in (报到). */
export const WhistleResponder = z
  .object({
    kind: z.enum(['property_company', 'department']),
    id: z.number(),
    name: z.string(),
    office: LonLat.nullable(),
    reportedAt: Timestamp.nullable(),
    reportedBy: z.string().nullable(),
    late: z.boolean(),
    note: z.string().nullable(),
  })
  .openapi('WhistleResponder');

export const WhistleRow = z
  .object({
    id: z.number(),
    code: z.string(),
    level: z.enum(['community', 'subdistrict']),
    ticketId: z.number().nullable(),
    ticketCode: z.string().nullable(),
    compoundId: z.number(),
    compoundName: z.string().nullable(),
    reason: z.string(),
    blownBy: z.string(),
    blownAt: Timestamp,
    reportDueAt: Timestamp,
    resolveDueAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    resolution: z.string().nullable(),
    state: WhistleStateKey,
    position: LonLat,
    areaIds: z.object({
      district: z.number(),
      subdistrict: z.number(),
      community: z.number(),
      grid: z.number(),
      compound: z.number(),
    }),
    responders: z.array(WhistleResponder),
  })
  .openapi('WhistleRow');

/** One whistle with the steps the caller may take now. */
export const WhistleDetail = WhistleRow.extend({
  actions: z.array(z.enum(['report_in', 'resolve'])),
}).openapi('WhistleDetail');

export const WhistleList = z
  .object({ items: z.array(WhistleRow), total: z.number() })
  .openapi('WhistleList');

export type WhistleResponder = z.infer<typeof WhistleResponder>;
export type WhistleRow = z.infer<typeof WhistleRow>;
export type WhistleDetail = z.infer<typeof WhistleDetail>;
export type WhistleList = z.infer<typeof WhistleList>;
