/** 党建引领: the party organisation, coverage of an area's children and the gap tasks. */
import { z } from '@hono/zod-openapi';
import { GAP_KINDS } from '../../geo/party.ts';
import { AreaLevel, Timestamp } from './common.ts';

export const GapKind = z.enum(GAP_KINDS);
const Day = z.string().openapi({ format: 'date', example: '2026-12-31' });
const Share = z.number().nullable();

const PlaceRef = z.object({ id: z.number(), name: z.string(), level: AreaLevel });

/** What coverage is counted from, and its shares (0–1) and score (0–100). */
const CoverageFigures = z.object({
  compounds: z.number(),
  withCompany: z.number(),
  withCommittee: z.number(),
  withBranch: z.number(),
  demonstration: z.number(),
  buildings: z.number(),
  buildingsWithSteward: z.number(),
  needPairing: z.number(),
  paired: z.number(),
  openGaps: z.number(),
  overdueGaps: z.number(),
  company: Share,
  committee: Share,
  branch: Share,
  steward: Share,
  score: z.number().nullable(),
});

export const PartyCoverage = z
  .object({
    area: PlaceRef.nullable(),
    totals: CoverageFigures,
    children: z.array(
      CoverageFigures.extend({
        id: z.number(),
        name: z.string(),
        level: AreaLevel,
        rank: z.number().nullable(),
      }),
    ),
  })
  .openapi('PartyCoverage');

export const PartyCoverageMap = z
  .object({
    type: z.literal('FeatureCollection'),
    area: PlaceRef.nullable(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number(),
        geometry: z.any(),
        properties: z.object({
          /** a child area, or (in a compound's map) one of its buildings */
          kind: z.enum(['area', 'building']),
          id: z.number(),
          name: z.string(),
          level: AreaLevel.nullable(),
          score: z.number().nullable(),
          steward: Share,
          buildings: z.number(),
          buildingsWithSteward: z.number(),
          openGaps: z.number(),
          overdueGaps: z.number(),
          rank: z.number().nullable(),
          labelPoint: z.tuple([z.number(), z.number()]),
        }),
      }),
    ),
  })
  .openapi('PartyCoverageMap');

const OrgKind = z.enum(['community_committee', 'compound_branch', 'grid_branch', 'building_group']);
const Post = z.enum(['secretary', 'deputy_secretary', 'committee_member', 'group_leader']);

export const PartyMember = z
  .object({
    id: z.number(),
    orgId: z.number(),
    /** masked (张**) without party.personal over the place */
    name: z.string(),
    gender: z.enum(['male', 'female']),
    birthYear: z.number().nullable(),
    phone: z.string(),
    joinedOn: Day,
    post: Post.nullable(),
    buildingId: z.number().nullable(),
    buildingName: z.string().nullable(),
    companyId: z.number().nullable(),
    companyName: z.string().nullable(),
    /** the buildings this member is 党员中心户 of */
    covers: z.array(z.number()),
    masked: z.boolean(),
  })
  .openapi('PartyMember');

export const PartyOrg = z
  .object({
    id: z.number(),
    parentId: z.number().nullable(),
    kind: OrgKind,
    name: z.string(),
    areaId: z.number(),
    areaName: z.string(),
    foundedOn: Day,
    memberCount: z.number(),
    buildingIds: z.array(z.number()),
  })
  .openapi('PartyOrg');

export const PartyTree = z
  .object({
    area: PlaceRef,
    personal: z.boolean(),
    canManage: z.boolean(),
    orgs: z.array(PartyOrg),
    members: z.array(PartyMember),
    buildings: z.array(
      z.object({
        id: z.number(),
        name: z.string(),
        households: z.number(),
        stewardId: z.number().nullable(),
        since: Day.nullable(),
      }),
    ),
    committee: z
      .object({
        electedOn: Day,
        termEndsOn: Day,
        members: z.array(
          z.object({
            id: z.number(),
            name: z.string(),
            phone: z.string(),
            post: z.enum(['chair', 'vice_chair', 'member']),
            partyMemberId: z.number().nullable(),
            partyPost: Post.nullable(),
            partyOrgKind: OrgKind.nullable(),
            companyId: z.number().nullable(),
            crossAppointed: z.boolean(),
          }),
        ),
      })
      .nullable(),
    pairings: z.array(
      z.object({
        compoundId: z.number(),
        kind: z.enum(['liaison', 'caretaker']),
        orgId: z.number(),
        orgName: z.string(),
        orgKind: OrgKind,
        since: Day,
      }),
    ),
    /** who may become a 党员中心户 here (for party.manage) */
    candidates: z.array(PartyMember),
  })
  .openapi('PartyTree');

export const GapTask = z
  .object({
    id: z.number(),
    kind: GapKind,
    compoundId: z.number(),
    compoundName: z.string(),
    buildingId: z.number().nullable(),
    buildingName: z.string().nullable(),
    status: z.enum(['open', 'assigned', 'closed']),
    assignee: z.string().nullable(),
    dueOn: Day.nullable(),
    note: z.string(),
    openedAt: Timestamp,
    closedAt: Timestamp.nullable(),
    resolution: z.enum(['filled', 'waived']).nullable(),
    overdue: z.boolean(),
    canManage: z.boolean(),
  })
  .openapi('GapTask');

export const GapTaskList = z
  .object({ items: z.array(GapTask), total: z.number(), limit: z.number(), offset: z.number() })
  .openapi('GapTaskList');

export const StewardChange = z
  .object({
    buildingId: z.number(),
    memberId: z.number().nullable(),
    since: Day.nullable(),
    tasksFilled: z.array(z.number()),
    tasksOpened: z.array(z.number()),
  })
  .openapi('StewardChange');

export type PartyCoverage = z.infer<typeof PartyCoverage>;
export type PartyCoverageMap = z.infer<typeof PartyCoverageMap>;
export type PartyTree = z.infer<typeof PartyTree>;
export type PartyMember = z.infer<typeof PartyMember>;
export type PartyOrg = z.infer<typeof PartyOrg>;
export type GapTask = z.infer<typeof GapTask>;
export type GapTaskList = z.infer<typeof GapTaskList>;
export type StewardChange = z.infer<typeof StewardChange>;
