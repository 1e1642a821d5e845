/**
 * 党建引领: the party organisation of a compound or a community, coverage of an area's children
 * (company, owners' committee, branch, 党员中心户), and the gaps with their tasks. Reads are
 * scoped by placeRule(actor, 'party.read'); members' and committee members' personal data is
 * unmasked only where placeRule(actor, 'party.personal') covers the place. Writes need
 * party.manage over the place, are audited, and reconcile the compound's gap tasks.
 */
import {
  coverageShares,
  maskName,
  maskPhone,
  rankByScore,
  sumCoverage,
  type GapKind,
} from '../../geo/party.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import { reconcileGaps } from '../db/queries/gaps.ts';
import * as q from '../db/queries/party.ts';
import { simplifyTolerance } from '../db/postgis.ts';
import { placeMatches, placeRule, type Actor, type PlaceRule } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';

/** Today in Beijing (YYYY-MM-DD): due dates are calendar days there. */
export function beijingToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const DEPTH: Record<q.Place['level'], number> = {
  district: 2,
  subdistrict: 3,
  // A community's children on the gap map are its compounds (grids are a patrol unit).
  community: 5,
  grid: 5,
  compound: 5,
};

function readRuleOf(actor: Actor | null): { actor: Actor; rule: PlaceRule } {
  const a = requireCapability(actor, 'party.read', 'read the party organisation');
  return { actor: a, rule: placeRule(a, 'party.read') };
}

/** The area asked for, or the actor's own (the city's: null); 404 outside the actor's reach. */
async function placeFor(db: Db, actor: Actor, rule: PlaceRule, areaId: number | undefined) {
  const id = areaId ?? (rule.kind === 'subtree' ? rule.areaId : undefined);
  if (id === undefined) {
    if (rule.kind !== 'all') throw notFound('area_not_found', 'Name an area (?area=).', 'area');
    return null;
  }
  const place = await q.findPlace(db, id);
  if (!place || !placeMatches(rule, place.path, place.companyId))
    throw notFound('area_not_found', `There is no area ${id} in your reach.`, 'area');
  return place;
}

const personal = (actor: Actor, place: { path: number[]; companyId: number | null }) =>
  placeMatches(placeRule(actor, 'party.personal'), place.path, place.companyId);

export async function coverage(db: Db, actor: Actor | null, areaId: number | undefined) {
  const { actor: a, rule } = readRuleOf(actor);
  const place = await placeFor(db, a, rule, areaId);
  const depth = place ? DEPTH[place.level] : 1;
  const rows = await q.coverageOf(db, place?.id ?? null, depth, beijingToday());
  const withShares = rows.map((r) => ({ ...r, ...coverageShares(r) }));
  const ranks = rankByScore(withShares);
  const totals = sumCoverage(rows);
  return {
    area: place ? { id: place.id, name: place.name, level: place.level } : null,
    totals: { ...totals, ...coverageShares(totals) },
    children: withShares
      .map((r, i) => ({ ...r, rank: ranks[i] ?? null }))
      .sort((x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9) || x.name.localeCompare(y.name, 'zh')),
  };
}

/** The coverage choropleth: the children's outlines with their score and gaps. */
export async function coverageMap(
  db: Db,
  actor: Actor | null,
  areaId: number | undefined,
  zoom: number,
) {
  const cov = await coverage(db, actor, areaId);
  const depth = cov.area ? DEPTH[cov.area.level as q.Place['level']] : 1;
  const outlines = await q.outlinesOf(db, cov.area?.id ?? null, depth, simplifyTolerance(zoom));
  const byId = new Map(cov.children.map((c) => [c.id, c]));
  // A compound's map shows its buildings too, each covered by a 党员中心户 or not.
  const buildings =
    cov.area?.level === 'compound' ? await q.buildingOutlines(db, cov.area.id, beijingToday()) : [];
  return {
    type: 'FeatureCollection' as const,
    area: cov.area,
    features: [
      ...outlines.flatMap((o) => {
        const c = byId.get(o.id);
        if (!c) return [];
        return [
          {
            type: 'Feature' as const,
            id: o.id,
            geometry: o.geometry,
            properties: {
              kind: 'area' as const,
              id: c.id,
              name: c.name,
              level: c.level,
              score: c.score,
              steward: c.steward,
              buildings: c.buildings,
              buildingsWithSteward: c.buildingsWithSteward,
              openGaps: c.openGaps,
              overdueGaps: c.overdueGaps,
              rank: c.rank,
              labelPoint: o.labelPoint,
            },
          },
        ];
      }),
      ...buildings.map((b) => ({
        type: 'Feature' as const,
        id: b.id,
        geometry: b.geometry,
        properties: {
          kind: 'building' as const,
          id: b.id,
          name: b.name,
          level: null,
          score: null,
          steward: b.covered ? 1 : 0,
          buildings: 1,
          buildingsWithSteward: b.covered ? 1 : 0,
          openGaps: b.openGaps,
          overdueGaps: b.overdueGaps,
          rank: null,
          labelPoint: b.labelPoint,
        },
      })),
    ],
  };
}

function presentMember(m: q.MemberRow, open: boolean) {
  return {
    ...m,
    name: open ? m.name : maskName(m.name),
    phone: open ? m.phone : maskPhone(m.phone),
    birthYear: open ? m.birthYear : null,
    masked: !open,
  };
}

/** The organisation of a compound (every member) or a community (its orgs and office-holders). */
export async function tree(db: Db, actor: Actor | null, areaId: number | undefined) {
  const { actor: a, rule } = readRuleOf(actor);
  const place = await placeFor(db, a, rule, areaId);
  if (!place || (place.level !== 'compound' && place.level !== 'community'))
    throw invalid('not_compound_or_community', 'must be a compound or a community', 'area');
  const open = personal(a, place);
  const manage = placeMatches(placeRule(a, 'party.manage'), place.path, place.companyId);
  const area = { id: place.id, name: place.name, level: place.level };
  if (place.level === 'community') {
    const t = await q.communityTree(db, place.id);
    return {
      area,
      personal: open,
      canManage: manage,
      orgs: t.orgs,
      members: t.members.map((m) => presentMember(m, open)),
      buildings: [],
      committee: null,
      pairings: [],
      candidates: [],
    };
  }
  const t = await q.compoundTree(db, place.id);
  const candidates = manage ? await q.stewardCandidates(db, place) : [];
  return {
    area,
    personal: open,
    canManage: manage,
    orgs: t.orgs,
    members: t.members.map((m) => presentMember(m, open)),
    buildings: t.buildings,
    committee: t.committee
      ? {
          ...t.committee,
          members: t.committeeMembers.map((m) => ({
            ...m,
            name: open ? m.name : maskName(m.name),
            phone: open ? m.phone : maskPhone(m.phone),
            // 双向进入、交叉任职: on the branch's committee as well as the owners'.
            crossAppointed:
              m.partyOrgKind === 'compound_branch' &&
              (m.partyPost === 'secretary' ||
                m.partyPost === 'deputy_secretary' ||
                m.partyPost === 'committee_member'),
          })),
        }
      : null,
    pairings: t.pairings,
    candidates: candidates.map((m) => presentMember(m, open)),
  };
}

export interface GapQuery {
  area?: number;
  kind?: GapKind;
  status: 'active' | 'open' | 'assigned' | 'closed' | 'all';
  overdue?: boolean;
  limit: number;
  offset: number;
}

export async function gaps(db: Db, actor: Actor | null, f: GapQuery) {
  const { actor: a, rule } = readRuleOf(actor);
  const place = await placeFor(db, a, rule, f.area);
  const page = await q.listGaps(db, rule, {
    ...f,
    areaId: place?.id ?? null,
    today: beijingToday(),
  });
  const manage = placeRule(a, 'party.manage');
  return {
    items: page.items.map(({ path, ...g }) => ({
      ...g,
      canManage: g.status !== 'closed' && placeMatches(manage, path, null),
    })),
    total: page.total,
    limit: f.limit,
    offset: f.offset,
  };
}

/** A place the actor must manage: 404 if it cannot read it, 403 if it may only read it. */
function requireManage(actor: Actor | null, place: { path: number[]; companyId: number | null }) {
  const a = requireCapability(actor, 'party.read', 'read the party organisation');
  if (!placeMatches(placeRule(a, 'party.read'), place.path, place.companyId)) return null;
  if (!placeMatches(placeRule(a, 'party.manage'), place.path, place.companyId))
    throw forbidden('missing_capability', `A ${a.role} account may not manage party gaps.`);
  return a;
}

async function gapForWrite(db: Db, actor: Actor | null, id: number) {
  const today = beijingToday();
  const g = await q.findGap(db.kysely, id, today);
  const a = g && requireManage(actor, { path: g.path, companyId: null });
  if (!g || !a) throw notFound('gap_not_found', `There is no gap task ${id} in your reach.`, 'id');
  if (g.status === 'closed')
    throw conflict('gap_closed', `Gap task ${id} is already closed (${g.resolution}).`);
  return { g, a, today };
}

export async function assignGap(
  db: Db,
  actor: Actor | null,
  id: number,
  body: { assignee: string; dueOn: string; note?: string },
) {
  const { g, a, today } = await gapForWrite(db, actor, id);
  if (body.dueOn < today)
    throw invalid(
      'gap_due_in_past',
      `parameter 'dueOn' must be today (${today}) or later`,
      'dueOn',
    );
  await db.kysely.transaction().execute(async (tx) => {
    if (
      !(await q.assignGap(tx, id, {
        assignee: body.assignee,
        dueOn: body.dueOn,
        note: body.note ?? g.note,
        accountId: null,
      }))
    )
      throw conflict('gap_closed', `Gap task ${id} was closed meanwhile.`);
    await insertAudit(tx, a, {
      action: 'gap_task.assign',
      entity: 'gap_task',
      entityId: id,
      areaPath: g.path,
      before: { status: g.status, assignee: g.assignee, dueOn: g.dueOn, note: g.note },
      after: {
        status: 'assigned',
        assignee: body.assignee,
        dueOn: body.dueOn,
        note: body.note ?? g.note,
      },
    });
  });
  return publicGap((await q.findGap(db.kysely, id, beijingToday()))!, a);
}

export async function waiveGap(db: Db, actor: Actor | null, id: number, reason: string) {
  const { g, a } = await gapForWrite(db, actor, id);
  await db.kysely.transaction().execute(async (tx) => {
    if (!(await q.waiveGap(tx, id, reason, new Date())))
      throw conflict('gap_closed', `Gap task ${id} was closed meanwhile.`);
    await insertAudit(tx, a, {
      action: 'gap_task.waive',
      entity: 'gap_task',
      entityId: id,
      areaPath: g.path,
      before: { status: g.status },
      after: { status: 'closed', resolution: 'waived', note: reason },
    });
  });
  return publicGap((await q.findGap(db.kysely, id, beijingToday()))!, a);
}

function publicGap({ path, ...g }: q.GapRow, a: Actor) {
  return {
    ...g,
    canManage: g.status !== 'closed' && placeMatches(placeRule(a, 'party.manage'), path, null),
  };
}

async function buildingForWrite(db: Db, actor: Actor | null, id: number) {
  const b = await q.findBuilding(db, id);
  const a = b && requireManage(actor, { path: b.path, companyId: b.companyId });
  if (!b || !a) throw notFound('building_not_found', `There is no building ${id} in your reach.`);
  return { b, a };
}

/** Makes a member the building's 党员中心户 (replacing any); its gap task closes as filled. */
export async function assignSteward(
  db: Db,
  actor: Actor | null,
  buildingId: number,
  memberId: number,
) {
  const { b, a } = await buildingForWrite(db, actor, buildingId);
  const m = await q.findMember(db, memberId);
  const community = b.path[2];
  if (!m || !m.active || community === undefined || !m.orgPath.includes(community))
    throw invalid(
      'not_a_member_here',
      `parameter 'memberId' must be an active party member of the building's community`,
      'memberId',
    );
  const since = beijingToday();
  const changes = await db.kysely.transaction().execute(async (tx) => {
    await q.setSteward(tx, buildingId, memberId, since);
    const r = await reconcileGaps(tx, [b.compoundId], new Date());
    await insertAudit(tx, a, {
      action: 'building_steward.assign',
      entity: 'building_steward',
      entityId: buildingId,
      areaPath: b.path,
      before: b.stewardId ? { memberId: b.stewardId, since: b.since } : null,
      after: { memberId, name: m.name, since, tasksFilled: r.filled, tasksOpened: r.opened },
    });
    return r;
  });
  return { buildingId, memberId, since, tasksFilled: changes.filled, tasksOpened: changes.opened };
}

/** Takes the building's 党员中心户 away; a gap task opens for it. */
export async function removeSteward(db: Db, actor: Actor | null, buildingId: number) {
  const { b, a } = await buildingForWrite(db, actor, buildingId);
  if (b.stewardId === null)
    throw notFound('no_steward', `Building ${buildingId} has no 党员中心户 to remove.`);
  const changes = await db.kysely.transaction().execute(async (tx) => {
    await q.removeSteward(tx, buildingId);
    const r = await reconcileGaps(tx, [b.compoundId], new Date());
    await insertAudit(tx, a, {
      action: 'building_steward.remove',
      entity: 'building_steward',
      entityId: buildingId,
      areaPath: b.path,
      before: { memberId: b.stewardId, since: b.since },
      after: { tasksFilled: r.filled, tasksOpened: r.opened },
    });
    return r;
  });
  return {
    buildingId,
    memberId: null,
    since: null,
    tasksFilled: changes.filled,
    tasksOpened: changes.opened,
  };
}
