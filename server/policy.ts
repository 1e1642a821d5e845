/**
 * The one access policy: who is asking (an Actor: role, scope and capabilities) and which records
 * of each noun it may read, as a value (a ReadRule) that the queries translate to SQL
 * (db/queries/scope.ts) and the live-event filter evaluates on one record (`matchesRule`). Both
 * read the same rule, so a list, a detail and the event stream cannot disagree.
 *
 * Neutral ground: no SQL, no HTTP, importable by routes, services and queries alike. Role names
 * appear only here, in the tables that turn a role into capabilities and a scope.
 */
import {
  AREA_ROLE_LEVELS,
  HAZARD_DEPARTMENT,
  isAreaRole,
  ROLE_CAPABILITIES,
  type Capability as RoleCapability,
  type Role,
} from '../geo/operations.ts';
import type { AreaLevel } from '../geo/vocabulary.ts';

/**
 * What a role may do at all. Besides the shared vocabulary's capabilities (geo/operations.ts):
 * - `points.read`: sees the ticket and hazard point layers. With the noun's own read capability
 *   the layer holds the records of its scope in full; without it (planners) every record of the
 *   city, with category, status, times and position only.
 * - `whistles.read`: reads whistles (吹哨) in its scope.
 * - `tickets.callback`: calls the resident back and closes a resolved ticket (回访).
 * - `analytics.read`: the planner's workbench (规划研判): city-wide aggregates, hotspots and
 *   rankings, and ticket positions with category and status only.
 * - `wall.read`: the command-center wall's city figures (aggregates and compound names only).
 * - `wall.manage`: issues and revokes the walls' display credentials and edits their playlists.
 * - `wall.ack`: acknowledges the wall's alarms (a district, those of its district).
 * - `party.read`: the party organisation, owners' committees and the gaps of its area (for the
 *   city, everywhere). Members' names, phones and birth years are masked without `party.personal`.
 * - `party.personal`: party and committee members' personal data, in its area (community and up).
 * - `party.manage`: fills and follows the gaps of its area: 党员中心户 for buildings, gap tasks.
 * - `ratings.read`: the 红黄蓝 colours with their indicators and history. What an indicator drills
 *   to follows the noun's own read rule (a planner sees counts only).
 * - `ratings.followup`: 包抓落实 of red compounds in its area: cadre, plan, steps, closing.
 * - `ratings.manage`: recomputes a month's colours (the city).
 * - `credit.read`: property companies' credit and the 红黑榜 (a company, its own only).
 * - `credit.manage`: recomputes a month's credit and publishes its 红黑榜 (the city).
 * - `supervision.manage`: opens, follows and closes 督办 cases with their 问责 (city, district).
 * - `deliberation.read`: the proposals, joint meetings (四方联席会议) and the three lists (需求/资源/
 *   项目清单) of its area in every state. Published results need no capability (the public map).
 * - `deliberation.propose`: records an owner's or resident's proposal (业主建议) for a compound of
 *   its area, or turns map evidence (a hotspot, a ticket cluster) into one.
 * - `deliberation.manage`: the community party organisation's part: reviews (党组织审议), holds the
 *   joint meeting (联席商议), publishes results (结果公开), keeps the three lists and their matching.
 * - `ledgers.read`: trust-property ledgers (信托制物业) of its area in every state, with their
 *   anomaly flags (a company, its own compounds). Published ledgers need no capability.
 * - `ledgers.publish`: imports, corrects and publishes the monthly ledgers of its own compounds
 *   (property companies).
 * - `mediation.read`: mediation committees, rooms, mediators and case counts of its area; cases
 *   without the parties' identities; the map only above k cases per place.
 * - `mediation.cases`: works mediation cases of its committee (mediators); parties' identities are
 *   visible only on the mediator's own cases and to the committee's director.
 * - `services.manage`: keeps the service points (党群服务站, 居民议事厅, 调解室, 养老托育…) of its
 *   area and the compounds each serves.
 * - `enforcement.read` / `enforcement.record`: 执法进小区 visits of its area; recording one
 *   (departments, communities and up).
 */
export type Capability =
  | RoleCapability
  | 'points.read'
  | 'whistles.read'
  | 'tickets.callback'
  | 'analytics.read'
  | 'wall.read'
  | 'wall.manage'
  | 'wall.ack'
  | 'party.read'
  | 'party.personal'
  | 'party.manage'
  | 'ratings.read'
  | 'ratings.followup'
  | 'ratings.manage'
  | 'credit.read'
  | 'credit.manage'
  | 'supervision.manage'
  | 'deliberation.read'
  | 'deliberation.propose'
  | 'deliberation.manage'
  | 'ledgers.read'
  | 'ledgers.publish'
  | 'mediation.read'
  | 'mediation.cases'
  | 'services.manage'
  | 'enforcement.read'
  | 'enforcement.record';

/** Everything an area official above the grid reads and steers of the governance domains. */
const GOVERNANCE_OFFICIAL: readonly Capability[] = [
  'party.read',
  'party.personal',
  'party.manage',
  'ratings.read',
  'ratings.followup',
  'credit.read',
  'deliberation.read',
  'deliberation.propose',
  'deliberation.manage',
  'ledgers.read',
  'mediation.read',
  'services.manage',
  'enforcement.read',
  'enforcement.record',
];

const EXTRA_CAPABILITIES: Record<Role, readonly Capability[]> = {
  city: [
    'points.read',
    'whistles.read',
    'tickets.callback',
    'analytics.read',
    'wall.read',
    'wall.manage',
    'wall.ack',
    ...GOVERNANCE_OFFICIAL,
    'ratings.manage',
    'credit.manage',
    'supervision.manage',
  ],
  district: [
    'points.read',
    'whistles.read',
    'analytics.read',
    'wall.read',
    'wall.ack',
    ...GOVERNANCE_OFFICIAL,
    'supervision.manage',
  ],
  subdistrict: ['points.read', 'whistles.read', 'analytics.read', ...GOVERNANCE_OFFICIAL],
  community: ['points.read', 'whistles.read', 'tickets.callback', ...GOVERNANCE_OFFICIAL],
  // A gridworker knows its grid's organisation (names masked) and colours; it steers neither.
  // It records owners' proposals in its grid and reads its grid's deliberation and ledgers.
  gridworker: [
    'points.read',
    'whistles.read',
    'party.read',
    'ratings.read',
    'deliberation.read',
    'deliberation.propose',
    'ledgers.read',
  ],
  // A sentinel's map shows the tickets it reported (tickets.read), no hazards, no whistles.
  sentinel: [],
  // A company sees the colours of its compounds and its own credit with the evidence.
  // …the deliberation of its compounds (it sits on the joint meeting) and publishes their ledgers.
  property_company: [
    'points.read',
    'whistles.read',
    'ratings.read',
    'credit.read',
    'deliberation.read',
    'deliberation.propose',
    'ledgers.read',
    'ledgers.publish',
  ],
  // The "N" of 1+3+N: departments read the deliberation they are called to and record 执法进小区.
  department: ['points.read', 'whistles.read', 'enforcement.read', 'enforcement.record'],
  // Planners: aggregates and positions, never a record's detail or free text.
  // Map evidence (a hotspot) may become a proposal; needs and projects are part of planning.
  planner: [
    'points.read',
    'analytics.read',
    'ratings.read',
    'credit.read',
    'deliberation.read',
    'deliberation.propose',
  ],
  // 调解员: bound to a mediator of one committee (mediators.account_id), not to an area; works the
  // committee's cases, sees parties only on its own cases (the director: on all of them).
  mediator: ['mediation.cases'],
};

export function capabilitiesOf(role: Role): ReadonlySet<Capability> {
  return new Set<Capability>([...ROLE_CAPABILITIES[role], ...EXTRA_CAPABILITIES[role]]);
}

/** Roles that read back only the tickets they reported, whatever their area. */
const OWN_REPORTS_ONLY: ReadonlySet<Role> = new Set<Role>(['sentinel']);

export type ScopeKind = 'city' | 'area' | 'property_company' | 'department';

export interface Actor {
  accountId: number;
  username: string;
  displayName: string;
  role: Role;
  scope: {
    kind: ScopeKind;
    /** Area, company or department id; null for the city. */
    id: number | null;
    level: AreaLevel | null;
    name: string;
    /** Department code (for the hazard types it answers for). */
    code: string | null;
  };
  can: ReadonlySet<Capability>;
  /** Reads back only the tickets it reported (mobile sentinels), though bound to an area. */
  ownReportsOnly: boolean;
}

export interface AccountRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  areaId: number | null;
  areaLevel: AreaLevel | null;
  areaName: string | null;
  propertyCompanyId: number | null;
  companyName: string | null;
  departmentId: number | null;
  departmentCode: string | null;
  departmentName: string | null;
}

export function actorFromAccount(a: AccountRow): Actor {
  const scope: Actor['scope'] = isAreaRole(a.role)
    ? {
        kind: 'area',
        id: a.areaId,
        level: AREA_ROLE_LEVELS[a.role],
        name: a.areaName ?? '',
        code: null,
      }
    : a.role === 'property_company'
      ? {
          kind: 'property_company',
          id: a.propertyCompanyId,
          level: null,
          name: a.companyName ?? '',
          code: null,
        }
      : a.role === 'department'
        ? {
            kind: 'department',
            id: a.departmentId,
            level: null,
            name: a.departmentName ?? '',
            code: a.departmentCode,
          }
        : { kind: 'city', id: null, level: null, name: '兰州市', code: null };
  return {
    accountId: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    scope,
    can: capabilitiesOf(a.role),
    ownReportsOnly: OWN_REPORTS_ONLY.has(a.role),
  };
}

// ---------------------------------------------------------------------------------------------
// Read rules

export type Noun = 'tickets' | 'hazards' | 'whistles' | 'patrols';

/** The noun of a record kind as live events and writes name it (`ticket` → `tickets`). */
export const NOUN_OF_KIND: Record<'ticket' | 'whistle' | 'hazard' | 'patrol', Noun> = {
  ticket: 'tickets',
  whistle: 'whistles',
  hazard: 'hazards',
  patrol: 'patrols',
};

/** Which records of a noun an actor may read, as data: SQL and the event filter both read it. */
export type ReadRule =
  | { kind: 'all' }
  | { kind: 'none' }
  /** Records inside an area's subtree (every record carries its district…grid ids). */
  | { kind: 'area'; level: AreaLevel; id: number }
  /** Tickets this account reported. */
  | { kind: 'reporter'; accountId: number }
  /** Tickets dispatched to this body (one only received is still the hub's). */
  | { kind: 'dispatched_to'; by: 'property_company' | 'department'; id: number }
  /** Whistles naming this body among those who must report in. */
  | { kind: 'reports_in'; by: 'property_company' | 'department'; id: number }
  /** Hazards in compounds this company manages. */
  | { kind: 'compound_company'; id: number }
  /** Hazards of the types this department answers for. */
  | { kind: 'hazard_types'; types: string[] };

export const READ_CAPABILITY: Record<Noun, Capability> = {
  tickets: 'tickets.read',
  hazards: 'hazards.read',
  whistles: 'whistles.read',
  patrols: 'patrols.read',
};

/** The records of `noun` this actor may read (lists, details, live events). */
export function readRule(actor: Actor, noun: Noun): ReadRule {
  if (!actor.can.has(READ_CAPABILITY[noun])) return { kind: 'none' };
  const { scope } = actor;
  if (scope.kind === 'city') return { kind: 'all' };
  if (scope.id === null) return { kind: 'none' };
  if (scope.kind === 'area') {
    if (actor.ownReportsOnly) {
      return noun === 'tickets'
        ? { kind: 'reporter', accountId: actor.accountId }
        : { kind: 'none' };
    }
    return { kind: 'area', level: scope.level!, id: scope.id };
  }
  const by = scope.kind;
  switch (noun) {
    case 'tickets':
      return { kind: 'dispatched_to', by, id: scope.id };
    case 'whistles':
      return { kind: 'reports_in', by, id: scope.id };
    case 'hazards':
      return by === 'property_company'
        ? { kind: 'compound_company', id: scope.id }
        : {
            kind: 'hazard_types',
            types: Object.entries(HAZARD_DEPARTMENT)
              .filter(([, code]) => code === scope.code)
              .map(([type]) => type),
          };
    case 'patrols':
      return { kind: 'none' };
  }
}

/**
 * What a point layer (tickets, hazards) holds for this actor: its readable records in full, or,
 * for an actor with `points.read` but not the noun's read capability, every record of the city
 * with category, status, times and position only. Null: no layer at all (403).
 */
export function pointLayerRule(
  actor: Actor,
  noun: 'tickets' | 'hazards',
): { rule: ReadRule; fields: 'full' | 'positions' } | null {
  if (actor.can.has(READ_CAPABILITY[noun])) return { rule: readRule(actor, noun), fields: 'full' };
  if (actor.can.has('points.read')) return { rule: { kind: 'all' }, fields: 'positions' };
  return null;
}

/**
 * Where to look for duplicates of a ticket about to be registered (`among`), and which of them
 * may show their code and title (`titled`). A sentinel reads back only its own tickets, yet must
 * see that a neighbour already reported the same thing: it gets the nearby tickets of its
 * community, but the code and title only of its own.
 */
export function duplicateRules(actor: Actor): { among: ReadRule; titled: ReadRule } {
  const own = readRule(actor, 'tickets');
  if (actor.ownReportsOnly && actor.scope.kind === 'area' && actor.scope.id !== null) {
    return { among: { kind: 'area', level: actor.scope.level!, id: actor.scope.id }, titled: own };
  }
  return { among: own, titled: { kind: 'all' } };
}

/** A record as the rules see it: its area ids and who answers for it. */
export interface ScopedRecord {
  areaIds: { district: number; subdistrict: number; community: number; grid: number };
  status: string | null;
  /** Ticket category, hazard type, whistle level. */
  category: string | null;
  reporterAccountId: number | null;
  /** Tickets: the company/department dispatched to; whistles: those that must report in. */
  propertyCompanyIds: number[];
  departmentIds: number[];
  /** Hazards: the company managing the compound. */
  compoundCompanyId: number | null;
}

/** The rule on one record: the same answer the SQL translation gives on its row. */
export function matchesRule(rule: ReadRule, r: ScopedRecord): boolean {
  switch (rule.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'area':
      return rule.level !== 'compound' && r.areaIds[rule.level] === rule.id;
    case 'reporter':
      return r.reporterAccountId === rule.accountId;
    case 'dispatched_to':
      return (
        (rule.by === 'property_company' ? r.propertyCompanyIds : r.departmentIds).includes(
          rule.id,
        ) && r.status !== 'received'
      );
    case 'reports_in':
      return (rule.by === 'property_company' ? r.propertyCompanyIds : r.departmentIds).includes(
        rule.id,
      );
    case 'compound_company':
      return r.compoundCompanyId === rule.id;
    case 'hazard_types':
      return r.category !== null && rule.types.includes(r.category);
  }
}

/** A stable key for caching what a rule selects: accounts with the same rule share answers. */
export function ruleKey(rule: ReadRule): string {
  return JSON.stringify(rule);
}

// ---------------------------------------------------------------------------------------------
// Places

export interface PlaceIds {
  districtId: number;
  subdistrictId: number;
  communityId: number;
  gridId: number;
}

/** Whether a place lies in the actor's area: the city's everywhere, an area role's own subtree. */
export function inMyArea(actor: Actor, place: PlaceIds): boolean {
  const { scope } = actor;
  if (scope.kind === 'city') return true;
  if (scope.kind !== 'area') return false;
  const ids: Partial<Record<AreaLevel, number>> = {
    district: place.districtId,
    subdistrict: place.subdistrictId,
    community: place.communityId,
    grid: place.gridId,
  };
  return ids[scope.level!] === scope.id;
}

/** The channel an actor's tickets must come from, if it has no choice (sentinels). */
export function fixedChannel(actor: Actor): 'sentinel' | null {
  return actor.ownReportsOnly ? 'sentinel' : null;
}

// ---------------------------------------------------------------------------------------------
// Governance: places and companies

/**
 * Which compounds (and the organisation, gaps, colours and follow-ups that belong to them) an actor
 * reaches with a governance capability: all of them, an area's subtree (every such row carries
 * the path of its place), the compounds a company manages, or none. One value that the SQL
 * translation (db/queries/scope.ts `placeCondition`) and the services both read.
 */
export type PlaceRule =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'subtree'; areaId: number }
  | { kind: 'company'; id: number };

export function placeRule(actor: Actor, capability: Capability): PlaceRule {
  if (!actor.can.has(capability)) return { kind: 'none' };
  const { scope } = actor;
  if (scope.kind === 'city') return { kind: 'all' };
  if (scope.id === null) return { kind: 'none' };
  if (scope.kind === 'area') return { kind: 'subtree', areaId: scope.id };
  if (scope.kind === 'property_company') return { kind: 'company', id: scope.id };
  return { kind: 'none' };
}

/** The rule on one place, given its area path and managing company. */
export function placeMatches(rule: PlaceRule, path: readonly number[], companyId: number | null) {
  switch (rule.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'subtree':
      return path.includes(rule.areaId);
    case 'company':
      return companyId === rule.id;
  }
}

/**
 * Which companies' credit an actor reads: every company (city, areas, planners: the 红黑榜 is
 * published), its own (a company), or none.
 */
export function creditRule(
  actor: Actor,
): { kind: 'all' } | { kind: 'none' } | { kind: 'company'; id: number } {
  if (!actor.can.has('credit.read')) return { kind: 'none' };
  if (actor.scope.kind === 'property_company') {
    return actor.scope.id === null ? { kind: 'none' } : { kind: 'company', id: actor.scope.id };
  }
  return { kind: 'all' };
}
