import { z } from '@hono/zod-openapi';
import { TICKET_ACTION_KEYS, type TicketAction } from '../../geo/operations.ts';
import {
  featureOf,
  LonLat,
  pageOf,
  PointGeometry,
  pointCollectionOf,
  Responder,
  ResponderKind,
  Timestamp,
} from './common.ts';
import { WhistleRow } from './whistles.ts';

export const TicketActionKey = z.enum(TICKET_ACTION_KEYS as [TicketAction, ...TicketAction[]]);
const Priority = z.enum(['normal', 'urgent']);

/**
 * A ticket on the map. Planners get positions only (id, category, status, overdue and times): a
 * title may hold a resident's name, so the other fields are absent for them.
 */
export const TicketPointProperties = z
  .object({
    id: z.number(),
    category: z.string(),
    status: z.string(),
    overdue: z.boolean(),
    receivedAt: Timestamp,
    dueAt: Timestamp,
    code: z.string().optional(),
    channel: z.string().optional(),
    priority: Priority.optional(),
    title: z.string().optional(),
    compoundId: z.number().nullable().optional(),
  })
  .openapi('TicketPointProperties');
export const TicketCollection = pointCollectionOf(
  featureOf(PointGeometry, TicketPointProperties, z.number()),
).openapi('TicketCollection');

/** A row of the workspace list. */
export const TicketRow = z
  .object({
    id: z.number(),
    code: z.string(),
    title: z.string(),
    category: z.string(),
    channel: z.string(),
    status: z.string(),
    priority: Priority,
    overdue: z.boolean(),
    whistled: z.boolean(),
    receivedAt: Timestamp,
    dueAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    closedAt: Timestamp.nullable(),
    position: LonLat,
    compoundId: z.number().nullable(),
    compoundName: z.string().nullable(),
    gridId: z.number(),
    responder: Responder,
  })
  .openapi('TicketRow');
export const TicketPage = pageOf(TicketRow).openapi('TicketPage');

/** A step in a ticket's timeline. */
export const TicketEvent = z
  .object({ at: Timestamp, status: z.string(), actor: z.string(), note: z.string() })
  .openapi('TicketEvent');

/**
 * One ticket with its timeline, the whistles the caller may read and the actions it may take.
 * Residents' names and phones are masked unless the caller may see them.
 */
export const TicketDetail = z
  .object({
    id: z.number(),
    code: z.string(),
    category: z.string(),
    channel: z.string(),
    status: z.string(),
    priority: Priority,
    title: z.string(),
    description: z.string(),
    residentName: z.string().nullable(),
    residentPhone: z.string().nullable(),
    position: LonLat,
    districtId: z.number(),
    subdistrictId: z.number(),
    communityId: z.number(),
    gridId: z.number(),
    compoundId: z.number().nullable(),
    compoundName: z.string().nullable(),
    propertyCompany: z.string().nullable(),
    department: z.string().nullable(),
    receivedAt: Timestamp,
    dueAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    closedAt: Timestamp.nullable(),
    satisfaction: z.number().nullable(),
    overdue: z.boolean(),
    propertyCompanyId: z.number().nullable(),
    departmentId: z.number().nullable(),
    duplicateOf: z.number().nullable(),
    photoRef: z.string().nullable(),
    updatedAt: Timestamp.nullable(),
    responder: Responder,
    events: z.array(TicketEvent),
    whistles: z.array(WhistleRow),
    actions: z.array(TicketActionKey),
  })
  .openapi('TicketDetail');

/** A recent same-category ticket nearby; code and title only where the caller may read them. */
export const DuplicateSuggestion = z
  .object({
    id: z.number(),
    code: z.string().nullable(),
    title: z.string().nullable(),
    status: z.string(),
    category: z.string(),
    receivedAt: Timestamp,
    distanceM: z.number(),
  })
  .openapi('DuplicateSuggestion');
export const DuplicateList = z
  .object({ items: z.array(DuplicateSuggestion) })
  .openapi('DuplicateList');

/** A body that may take over a ticket (派单, 转派). */
export const TransferTarget = z
  .object({ kind: ResponderKind, id: z.number(), name: z.string() })
  .openapi('TransferTarget');
export const TransferTargets = z
  .object({ targets: z.array(TransferTarget) })
  .openapi('TransferTargets');

export type TicketPointProperties = z.infer<typeof TicketPointProperties>;
export type TicketCollection = z.infer<typeof TicketCollection>;
export type TicketRow = z.infer<typeof TicketRow>;
export type TicketPage = z.infer<typeof TicketPage>;
export type TicketEvent = z.infer<typeof TicketEvent>;
export type TicketDetail = z.infer<typeof TicketDetail>;
export type DuplicateSuggestion = z.infer<typeof DuplicateSuggestion>;
export type DuplicateList = z.infer<typeof DuplicateList>;
export type TransferTarget = z.infer<typeof TransferTarget>;
export type TransferTargets = z.infer<typeof TransferTargets>;
