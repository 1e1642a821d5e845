/** 四方联席会议 and the three lists: proposals and their steps, joint meetings, needs, resources, projects. */
import { z } from '@hono/zod-openapi';
import {
  PROJECT_STATUSES,
  PROPOSAL_STAGES,
  PROPOSAL_STEPS,
  RESOURCE_KINDS,
  TOPIC_KEYS,
} from '../../geo/deliberation.ts';
import { LonLat, Timestamp } from './common.ts';

const Day = z.string().openapi({ format: 'date', example: '2026-12-31' });
export const ProposalStage = z.enum(PROPOSAL_STAGES);
export const ProposalStep = z.enum(PROPOSAL_STEPS);
export const Topic = z.enum(TOPIC_KEYS as [string, ...string[]]);

/** A published result: what the public reads (no proposer, no minutes, no evidence). */
export const PublicProposal = z
  .object({
    id: z.number(),
    compoundId: z.number(),
    compoundName: z.string(),
    topic: z.string(),
    category: z.string(),
    title: z.string(),
    stage: ProposalStage,
    submittedAt: Timestamp,
    decision: z.string().nullable(),
    result: z.string().nullable(),
    publishedOn: Day.nullable(),
    position: LonLat,
  })
  .openapi('PublicProposal');

/** A proposal as its readers see it; the proposer masked below community level. */
export const Proposal = PublicProposal.extend({
  body: z.string(),
  source: z.enum(['owner', 'resident', 'evidence']),
  proposerName: z.string().nullable(),
  proposerPhone: z.string().nullable(),
  masked: z.boolean(),
  evidence: z.any(),
  submittedAt: Timestamp,
  stagedAt: Timestamp,
  stagedOn: Day,
  meetingId: z.number().nullable(),
  actionOwner: z.string().nullable(),
  dueOn: Day.nullable(),
  overdue: z.boolean(),
  deadline: Day.nullable(),
  /** The steps this reader may take next. */
  nextSteps: z.array(ProposalStep),
}).openapi('Proposal');

export const ProposalList = z
  .object({
    items: z.array(z.union([Proposal, PublicProposal])),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
    counts: z.record(z.string(), z.object({ count: z.number(), overdue: z.number() })),
    /** true: published results only (the public, or a reader without deliberation.read) */
    published: z.boolean(),
  })
  .openapi('ProposalList');

const Attendee = z.object({ side: z.string(), name: z.string(), unit: z.string().optional() });

export const JointMeeting = z
  .object({
    id: z.number(),
    communityId: z.number(),
    communityName: z.string(),
    heldAt: Timestamp,
    place: z.string(),
    attendees: z.array(Attendee),
    minutes: z.string(),
    proposals: z.array(
      z.object({
        id: z.number(),
        title: z.string(),
        compoundName: z.string(),
        decision: z.string().nullable(),
      }),
    ),
  })
  .openapi('JointMeeting');

export const JointMeetingList = z
  .object({
    items: z.array(JointMeeting),
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
  })
  .openapi('JointMeetingList');

export const ProposalDetail = z
  .union([
    PublicProposal.extend({ full: z.literal(false) }),
    Proposal.extend({
      full: z.literal(true),
      steps: z.array(
        z.object({
          id: z.number(),
          step: ProposalStep,
          at: Timestamp,
          actor: z.string(),
          fields: z.record(z.string(), z.any()),
        }),
      ),
      meeting: JointMeeting.nullable(),
      /** The evidence's tickets this reader may open (the ticket read rule). */
      tickets: z.array(
        z.object({
          id: z.number(),
          code: z.string(),
          title: z.string(),
          status: z.string(),
          receivedAt: Timestamp,
        }),
      ),
      needs: z.array(
        z.object({ id: z.number(), title: z.string(), status: z.string(), projects: z.number() }),
      ),
    }),
  ])
  .openapi('ProposalDetail');

export const ProposalMap = z
  .object({
    type: z.literal('FeatureCollection'),
    level: z.enum(['compound', 'subdistrict']),
    published: z.boolean(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number(),
        geometry: z.object({ type: z.literal('Point'), coordinates: LonLat }),
        properties: z.object({
          id: z.number(),
          name: z.string(),
          level: z.string(),
          total: z.number(),
          submitted: z.number(),
          returned: z.number(),
          rejected: z.number(),
          accepted: z.number(),
          decided: z.number(),
          published: z.number(),
          overdue: z.number(),
          latestId: z.number(),
          latestTitle: z.string(),
          latestStage: ProposalStage,
        }),
      }),
    ),
  })
  .openapi('ProposalMap');

export const EvidenceList = z
  .object({
    days: z.number(),
    min: z.number(),
    items: z.array(
      z.object({
        compoundId: z.number(),
        compoundName: z.string(),
        category: z.string(),
        count: z.number(),
        firstAt: Timestamp,
        lastAt: Timestamp,
        openProposalId: z.number().nullable(),
      }),
    ),
  })
  .openapi('EvidenceList');

export const Need = z
  .object({
    id: z.number(),
    compoundId: z.number(),
    compoundName: z.string(),
    topic: z.string(),
    category: z.string(),
    title: z.string(),
    source: z.enum(['proposal', 'tickets']),
    proposalId: z.number().nullable(),
    evidence: z.any(),
    status: z.enum(['open', 'matched', 'done', 'closed']),
    createdAt: Timestamp,
    projects: z.number(),
  })
  .openapi('Need');
export const NeedList = z
  .object({ items: z.array(Need), total: z.number(), limit: z.number(), offset: z.number() })
  .openapi('NeedList');

export const Resource = z
  .object({
    id: z.number(),
    areaId: z.number(),
    areaName: z.string(),
    areaLevel: z.string(),
    kind: z.enum(RESOURCE_KINDS as [string, ...string[]]),
    name: z.string(),
    provider: z.string(),
    capacity: z.number(),
    unit: z.string(),
    used: z.number(),
    left: z.number(),
    matches: z.number(),
    createdAt: Timestamp,
  })
  .openapi('Resource');
export const ResourceList = z
  .object({ items: z.array(Resource), total: z.number(), limit: z.number(), offset: z.number() })
  .openapi('ResourceList');

const Window = z.object({ from: Day, to: Day });

export const Project = z
  .object({
    id: z.number(),
    needId: z.number(),
    needTitle: z.string(),
    compoundId: z.number(),
    compoundName: z.string(),
    category: z.string(),
    title: z.string(),
    owner: z.string(),
    budget: z.number(),
    status: z.enum(PROJECT_STATUSES),
    startedOn: Day,
    dueOn: Day,
    completedOn: Day.nullable(),
    overdue: z.boolean(),
    resources: z.array(
      z.object({
        id: z.number(),
        resourceId: z.number(),
        name: z.string(),
        kind: z.string(),
        amount: z.number(),
        unit: z.string(),
        matchedAt: Timestamp,
        matchedBy: z.string(),
      }),
    ),
    milestones: z.array(
      z.object({ id: z.number(), title: z.string(), dueOn: Day, doneOn: Day.nullable() }),
    ),
  })
  .openapi('Project');

/** A project with its effect: tickets of its category in its compound, equal windows around completion. */
export const ProjectDetail = Project.extend({
  effect: z
    .object({
      days: z.number(),
      beforeWindow: Window,
      afterWindow: Window,
      before: z.number(),
      after: z.number(),
      change: z.number(),
      changeShare: z.number().nullable(),
    })
    .nullable(),
}).openapi('ProjectDetail');

export const ProjectList = z
  .object({ items: z.array(Project), total: z.number(), limit: z.number(), offset: z.number() })
  .openapi('ProjectList');

export type PublicProposal = z.infer<typeof PublicProposal>;
export type Proposal = z.infer<typeof Proposal>;
export type ProposalList = z.infer<typeof ProposalList>;
export type ProposalDetail = z.infer<typeof ProposalDetail>;
export type ProposalMap = z.infer<typeof ProposalMap>;
export type JointMeeting = z.infer<typeof JointMeeting>;
export type EvidenceList = z.infer<typeof EvidenceList>;
export type Need = z.infer<typeof Need>;
export type Resource = z.infer<typeof Resource>;
export type ProjectDetail = z.infer<typeof ProjectDetail>;
