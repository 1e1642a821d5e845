/**
 * 红黄蓝 ratings explained, and the 包抓落实 follow-up of red compounds (`/api/ratings`). The
 * method behind every number is geo/rating-method.ts (docs/ratings.md).
 */
import { z } from '@hono/zod-openapi';
import { RatingColorKey } from './areas.ts';
import { AreaLevel, Timestamp } from './common.ts';

export const IndicatorKey = z.string().openapi({ example: 'overdueShare' });
export const EvidenceKind = z.enum([
  'tickets',
  'overdue',
  'satisfaction',
  'hazards',
  'late_report_ins',
]);

/** One indicator of a month: its value, the rule that turns it into points, the points. */
export const RatingIndicatorRow = z
  .object({
    key: IndicatorKey,
    value: z.number().nullable(),
    unit: z.enum(['ratio', 'share', 'score', 'count', 'points', 'flag']),
    threshold: z.number(),
    direction: z.enum(['above', 'below']),
    /** Points per unit beyond the threshold (negative: a bonus). */
    weight: z.number(),
    /** Units beyond the threshold counted at most. */
    cap: z.number(),
    /** Points taken off (negative: added). */
    deduction: z.number(),
    evidence: EvidenceKind.nullable(),
  })
  .openapi('RatingIndicatorRow');

export const ColorMonth = z
  .object({ period: z.string(), color: RatingColorKey, score: z.number() })
  .openapi('ColorMonth');

export const FollowupStep = z
  .object({
    id: z.number(),
    position: z.number(),
    title: z.string(),
    dueOn: z.string(),
    doneAt: Timestamp.nullable(),
    overdue: z.boolean(),
    note: z.string(),
  })
  .openapi('FollowupStep');

export const FollowupStatus = z.enum(['open', 'done', 'cancelled']);

export const Followup = z
  .object({
    id: z.number(),
    compoundId: z.number(),
    compoundName: z.string(),
    areaPath: z.array(z.number()),
    /** The red month that started it. */
    period: z.string(),
    cadre: z.object({
      name: z.string(),
      post: z.string(),
      /** Masked (`139****5678`) without party.personal over the place. */
      phone: z.string().nullable(),
      phoneMasked: z.boolean(),
      accountId: z.number().nullable(),
    }),
    plan: z.string(),
    status: FollowupStatus,
    dueOn: z.string(),
    overdue: z.boolean(),
    openedAt: Timestamp,
    closedAt: Timestamp.nullable(),
    outcome: z.string().nullable(),
    steps: z.array(FollowupStep),
    progress: z.object({ done: z.number(), total: z.number() }),
    /** The compound's colours from the red month on: red → yellow → blue, or back. */
    colors: z.array(ColorMonth),
    canEdit: z.boolean(),
  })
  .openapi('Followup');

export const CompoundExplanation = z
  .object({
    compound: z.object({ id: z.number(), name: z.string(), companyName: z.string().nullable() }),
    period: z.string(),
    color: RatingColorKey,
    score: z.number(),
    /** base − Σ deductions, clamped to 0–100 and rounded to one decimal. */
    arithmetic: z.object({ base: z.number(), deducted: z.number(), score: z.number() }),
    cutoffs: z.object({ redBelow: z.number(), yellowBelow: z.number() }),
    indicators: z.array(RatingIndicatorRow),
    /** Values shown beside the indicators, with no points of their own. */
    context: z.record(z.string(), z.number().nullable()),
    history: z.array(ColorMonth),
    /** Whether the caller reads the records behind the indicators (else counts only). */
    evidence: z.object({ tickets: z.boolean(), hazards: z.boolean(), whistles: z.boolean() }),
    followups: z.array(Followup),
    /** Red in one of the last evaluated months and no open plan: a plan may be opened. */
    canOpenFollowup: z.boolean(),
    redRecently: z.boolean(),
  })
  .openapi('CompoundExplanation');

const EvidenceTicket = z.object({
  id: z.number(),
  code: z.string(),
  title: z.string(),
  category: z.string(),
  status: z.string(),
  receivedAt: Timestamp,
  dueAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  satisfaction: z.number().nullable(),
  overdue: z.boolean(),
});
const EvidenceHazard = z.object({
  id: z.number(),
  code: z.string(),
  type: z.string(),
  severity: z.string(),
  status: z.string(),
  reportedAt: Timestamp,
  dueAt: Timestamp.nullable(),
  rectifiedAt: Timestamp.nullable(),
  weight: z.number(),
});
const EvidenceReportIn = z.object({
  whistleId: z.number(),
  whistleCode: z.string(),
  ticketId: z.number().nullable(),
  ticketCode: z.string().nullable(),
  responder: z.string(),
  reportDueAt: Timestamp,
  reportedAt: Timestamp.nullable(),
});

export const Evidence = z
  .object({
    compoundId: z.number(),
    period: z.string(),
    indicator: IndicatorKey,
    kind: EvidenceKind,
    /** How many records the indicator counted (whether or not the caller may read them). */
    total: z.number(),
    /** False: the caller reads counts only (e.g. a planner); `items` is empty. */
    readable: z.boolean(),
    tickets: z.array(EvidenceTicket),
    hazards: z.array(EvidenceHazard),
    reportIns: z.array(EvidenceReportIn),
  })
  .openapi('RatingEvidence');

export const RatingSummaryChild = z.object({
  id: z.number(),
  name: z.string(),
  level: AreaLevel,
  compounds: z.number(),
  red: z.number(),
  yellow: z.number(),
  blue: z.number(),
  redWithPlan: z.number(),
  redWithoutPlan: z.number(),
  overduePlans: z.number(),
  transitions: z.record(z.string(), z.number()),
});

export const RedListRow = z.object({
  compoundId: z.number(),
  name: z.string(),
  path: z.array(z.number()),
  score: z.number(),
  /** First month of the current run of red. */
  since: z.string(),
  plan: z
    .object({
      id: z.number(),
      status: FollowupStatus,
      dueOn: z.string(),
      overdue: z.boolean(),
      stepsDone: z.number(),
      steps: z.number(),
      cadreName: z.string(),
    })
    .nullable(),
});

export const RatingSummary = z
  .object({
    area: z.object({ id: z.number().nullable(), name: z.string(), level: z.string() }),
    latest: z.string().nullable(),
    /** Transitions counted over the months after this one up to `latest`. */
    since: z.string().nullable(),
    children: z.array(RatingSummaryChild),
    totals: RatingSummaryChild.omit({ id: true, name: true, level: true }),
    redList: z.array(RedListRow),
  })
  .openapi('RatingSummary');

export const RecomputeResult = z
  .object({ period: z.string(), red: z.number(), yellow: z.number(), blue: z.number() })
  .openapi('RatingRecompute');

export type CompoundExplanation = z.infer<typeof CompoundExplanation>;
export type RatingIndicatorRow = z.infer<typeof RatingIndicatorRow>;
export type Followup = z.infer<typeof Followup>;
export type FollowupStep = z.infer<typeof FollowupStep>;
export type Evidence = z.infer<typeof Evidence>;
export type RatingSummary = z.infer<typeof RatingSummary>;
export type RatingSummaryChild = z.infer<typeof RatingSummaryChild>;
export type RedListRow = z.infer<typeof RedListRow>;
export type ColorMonth = z.infer<typeof ColorMonth>;

/** `GET /api/ratings/map`: the latest month's red compounds as columns, with plan state. */
export const FollowupMap = z
  .object({
    period: z.string().nullable(),
    compounds: z.object({
      ids: z.array(z.number()),
      lon: z.array(z.number()),
      lat: z.array(z.number()),
      /** 0 no plan, 1 open, 2 open and overdue, 3 closed */
      plan: z.array(z.number()),
    }),
  })
  .openapi('FollowupMap');
export type FollowupMap = z.infer<typeof FollowupMap>;
