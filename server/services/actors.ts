/**
 * Who is asking: the signed-in account with its role, scope and capabilities, or `null` for the
 * public. Services take an Actor and never look at cookies or requests.
 */
import type { Capability } from '../policy.ts';
import type { Actor } from '../policy.ts';
import { forbidden, unauthenticated } from './domain-error.ts';

export { actorFromAccount, type AccountRow, type Actor, type ScopeKind } from '../policy.ts';

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
  if (!actor) throw unauthenticated();
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
    throw forbidden('missing_capability', `A ${a.role} account may not ${doing}.`);
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
