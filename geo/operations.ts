/**
 * The vocabulary of day-to-day operations, shared by the server (rules), the seed and the web
 * (labels, buttons): roles and what they may do, the ticket lifecycle, deadlines, 吹哨报到 and
 * hazard rectification. The rules that need the database (scope) live in the server.
 */
import type {
  HazardSeverity,
  HazardStatus,
  HazardType,
  TicketCategory,
  TicketStatus,
} from './vocabulary.ts';

export const ROLES = [
  { key: 'city', zh: '全市指挥中心', en: 'City command center' },
  { key: 'district', zh: '区级', en: 'District' },
  { key: 'subdistrict', zh: '街道', en: 'Subdistrict' },
  { key: 'community', zh: '社区', en: 'Community' },
  { key: 'gridworker', zh: '网格员', en: 'Gridworker' },
  { key: 'sentinel', zh: '兼职网格员（流动前哨）', en: 'Part-time gridworker (sentinel)' },
  { key: 'property_company', zh: '物业企业', en: 'Property company' },
  { key: 'department', zh: '职能部门', en: 'Department' },
  { key: 'planner', zh: '规划/住建', en: 'Planner' },
  { key: 'mediator', zh: '调解员', en: 'Mediator' },
] as const;
export type Role = (typeof ROLES)[number]['key'];
export const ROLE_KEYS = ROLES.map((r) => r.key) as Role[];

/** Roles bound to an area subtree, and the level of area each is bound to. */
export const AREA_ROLE_LEVELS = {
  district: 'district',
  subdistrict: 'subdistrict',
  community: 'community',
  gridworker: 'grid',
  sentinel: 'community',
} as const;
export type AreaRole = keyof typeof AREA_ROLE_LEVELS;
export function isAreaRole(role: Role): role is AreaRole {
  return role in AREA_ROLE_LEVELS;
}

export const CAPABILITIES = [
  'tickets.read',
  'tickets.create',
  'tickets.dispatch',
  'tickets.handle',
  'whistles.blow',
  'whistles.report',
  'hazards.read',
  'hazards.create',
  'hazards.rectify',
  'hazards.verify',
  'patrols.read',
  'patrols.run',
  'audit.read',
  'personal.read',
  'accounts.manage',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What each role may do at all; whether it may do it to one record depends on scope and state. */
export const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  city: [
    'tickets.read',
    'tickets.create',
    'tickets.dispatch',
    'whistles.blow',
    'hazards.read',
    'hazards.create',
    'hazards.verify',
    'patrols.read',
    'audit.read',
    'personal.read',
    'accounts.manage',
  ],
  district: [
    'tickets.read',
    'tickets.create',
    'tickets.dispatch',
    'whistles.blow',
    'hazards.read',
    'hazards.create',
    'hazards.verify',
    'patrols.read',
    'accounts.manage',
  ],
  subdistrict: [
    'tickets.read',
    'tickets.create',
    'tickets.dispatch',
    'whistles.blow',
    'hazards.read',
    'hazards.create',
    'hazards.verify',
    'patrols.read',
    'accounts.manage',
  ],
  community: [
    'tickets.read',
    'tickets.create',
    'tickets.dispatch',
    'tickets.handle',
    'whistles.blow',
    'hazards.read',
    'hazards.create',
    'hazards.rectify',
    'hazards.verify',
    'patrols.read',
    'personal.read',
    'accounts.manage',
  ],
  gridworker: [
    'tickets.read',
    'tickets.create',
    'tickets.handle',
    'hazards.read',
    'hazards.create',
    'hazards.rectify',
    'patrols.read',
    'patrols.run',
  ],
  sentinel: ['tickets.read', 'tickets.create'],
  property_company: [
    'tickets.read',
    'tickets.handle',
    'whistles.report',
    'hazards.read',
    'hazards.rectify',
    'personal.read',
  ],
  department: [
    'tickets.read',
    'tickets.handle',
    'whistles.report',
    'hazards.read',
    'hazards.rectify',
    'personal.read',
  ],
  planner: [],
  // A mediator (调解员) works the cases of its committee (server/policy.ts: mediation.cases).
  mediator: [],
};

/** Ticket actions and the statuses they lead to (the lifecycle table in docs/API.md). */
export const TICKET_ACTIONS = [
  {
    key: 'dispatch',
    zh: '派单',
    en: 'Dispatch',
    from: ['received', 'returned', 'reopened'],
    to: 'dispatched',
    by: 'hub',
  },
  {
    key: 'accept',
    zh: '接单',
    en: 'Accept',
    from: ['dispatched', 'transferred'],
    to: 'accepted',
    by: 'responder',
  },
  {
    key: 'return',
    zh: '退回',
    en: 'Return',
    from: ['dispatched', 'transferred', 'accepted'],
    to: 'returned',
    by: 'responder',
  },
  {
    key: 'start',
    zh: '开始处理',
    en: 'Start',
    from: ['accepted'],
    to: 'in_progress',
    by: 'responder',
  },
  {
    key: 'resolve',
    zh: '办结',
    en: 'Resolve',
    from: ['accepted', 'in_progress'],
    to: 'resolved',
    by: 'responder',
  },
  {
    key: 'transfer',
    zh: '转派',
    en: 'Transfer',
    from: ['dispatched', 'accepted', 'in_progress', 'transferred'],
    to: 'transferred',
    by: 'hub',
  },
  {
    key: 'close',
    zh: '回访评价',
    en: 'Call back & rate',
    from: ['resolved'],
    to: 'closed',
    by: 'callback',
  },
  {
    key: 'reopen',
    zh: '重启',
    en: 'Reopen',
    from: ['resolved', 'closed'],
    to: 'reopened',
    by: 'hub',
  },
  {
    key: 'reject_duplicate',
    zh: '判为重复件',
    en: 'Reject as duplicate',
    from: ['received', 'returned'],
    to: 'rejected_duplicate',
    by: 'hub',
  },
] as const satisfies readonly {
  key: string;
  zh: string;
  en: string;
  from: readonly TicketStatus[];
  to: TicketStatus;
  by: 'hub' | 'responder' | 'callback';
}[];
export type TicketAction = (typeof TICKET_ACTIONS)[number]['key'];
export const TICKET_ACTION_KEYS = TICKET_ACTIONS.map((a) => a.key) as TicketAction[];

/** 办理时限 in hours by category: [normal, urgent]. */
export const TICKET_DEADLINE_HOURS: Record<TicketCategory, readonly [number, number]> = {
  parking: [72, 24],
  facilities: [120, 24],
  property_service: [72, 24],
  dispute: [168, 48],
  legal_aid: [240, 72],
  sanitation: [48, 12],
  noise: [48, 12],
  safety: [48, 6],
  elder_child_care: [120, 48],
  other: [120, 48],
};

/** Rectification deadline in days by hazard severity. */
export const HAZARD_DEADLINE_DAYS: Record<HazardSeverity, number> = {
  critical: 1,
  high: 3,
  medium: 7,
  low: 15,
};

export const HAZARD_ACTIONS = [
  { key: 'start', zh: '开始整改', en: 'Start rectifying', from: ['reported'], to: 'rectifying' },
  { key: 'rectify', zh: '整改完成', en: 'Rectified', from: ['rectifying'], to: 'rectified' },
  { key: 'verify', zh: '验收通过', en: 'Verify', from: ['rectified'], to: 'verified' },
  { key: 'reject', zh: '验收不通过', en: 'Reject', from: ['rectified'], to: 'rectifying' },
] as const satisfies readonly {
  key: string;
  zh: string;
  en: string;
  from: readonly HazardStatus[];
  to: HazardStatus;
}[];
export type HazardAction = (typeof HAZARD_ACTIONS)[number]['key'];

/** The department that answers for each hazard type (特种设备 such as elevators: market regulation). */
export const HAZARD_DEPARTMENT: Record<HazardType, string> = {
  fire: 'fire',
  gas: 'gas',
  electrical: 'power',
  structural: 'housing',
  elevator: 'market_regulation',
  pipe: 'water',
};

export const WHISTLE_LEVELS = [
  { key: 'community', zh: '社区吹哨、物业报到', en: 'Community whistle → property company' },
  { key: 'subdistrict', zh: '街道吹哨、部门报到', en: 'Subdistrict whistle → departments' },
] as const;
export type WhistleLevel = (typeof WHISTLE_LEVELS)[number]['key'];

export const WHISTLE_STATES = [
  { key: 'awaiting_report', zh: '待报到', en: 'Awaiting report-in', color: [230, 126, 34] },
  { key: 'report_late', zh: '报到超时', en: 'Report-in late', color: [231, 76, 60] },
  { key: 'in_progress', zh: '已报到处置中', en: 'Reported, in progress', color: [52, 152, 219] },
  { key: 'resolve_late', zh: '处置超时', en: 'Resolution late', color: [142, 0, 80] },
  { key: 'resolved', zh: '已解决', en: 'Resolved', color: [39, 174, 96] },
] as const;
export type WhistleState = (typeof WHISTLE_STATES)[number]['key'];

export const WHISTLE_DEFAULT_REPORT_HOURS = 2;
export const WHISTLE_DEFAULT_RESOLVE_HOURS = 72;
