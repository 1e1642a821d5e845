/**
 * Who is asking: the signed-in account with its role, scope and capabilities, or `null` for the
 * public. Services take an Actor and never look at cookies or requests.
 */
import {
  AREA_ROLE_LEVELS,
  isAreaRole,
  ROLE_CAPABILITIES,
  type Capability,
  type Role,
} from '../../geo/operations.ts';
import type { AreaLevel } from '../../geo/vocabulary.ts';
import { forbidden, unauthorized } from '../errors.ts';

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
    can: new Set(ROLE_CAPABILITIES[a.role]),
  };
}

/** The account as the web sees it. */
export function publicAccount(actor: Actor) {
  const { code: _code, ...scope } = actor.scope;
  return {
    id: actor.accountId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    scope,
    can: [...actor.can],
  };
}

/** The signed-in actor, or a 401 for the public. */
export function signedIn(actor: Actor | null): Actor {
  if (!actor) throw unauthorized();
  return actor;
}

/** The signed-in actor holding a capability, else 401 (public) or 403 (role). */
export function requireCapability(
  actor: Actor | null,
  capability: Capability,
  doing: string,
): Actor {
  const a = signedIn(actor);
  if (!a.can.has(capability)) {
    throw forbidden(`A ${a.role} account may not ${doing}.`);
  }
  return a;
}

/** Whether this actor may see residents' names and phones unmasked on a record. */
export function seesPersonalData(
  actor: Actor,
  responder: { propertyCompanyId: number | null; departmentId: number | null },
): boolean {
  if (!actor.can.has('personal.read')) return false;
  if (actor.scope.kind === 'property_company')
    return responder.propertyCompanyId === actor.scope.id;
  if (actor.scope.kind === 'department') return responder.departmentId === actor.scope.id;
  return true;
}
