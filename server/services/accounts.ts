/**
 * Account management: who may create, rebind, disable and reset which accounts (geo/accounts.ts
 * says which roles each role manages; an area manager only reaches accounts inside its own
 * subtree), and changing one's own password. Every change is one transaction with its audit row;
 * disabling an account, resetting its password or rebinding it ends its sessions.
 *
 * The command line (`npm run accounts`) manages as `{ cli: 'who' }`: every account, audited as
 * `cli:who` with no account behind it. That is how a real deployment gets its first administrator.
 */
import {
  MANAGED_ROLES,
  passwordProblem,
  PASSWORD_PROBLEM_TEXT,
  USERNAME_PATTERN,
} from '../../geo/accounts.ts';
import { AREA_ROLE_LEVELS, isAreaRole, ROLES, type Role } from '../../geo/operations.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import * as q from '../db/queries/accounts.ts';
import { conflict, forbidden, invalid, notFound } from './domain-error.ts';
import { requireCapability, type Actor } from './actors.ts';
import { notifySessionsRevoked } from './events.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hashToken } from './sessions.ts';

/** A signed-in manager, or the command line run by an operator on the server. */
export type Manager = Actor | { cli: string };

const isCli = (m: Manager): m is { cli: string } => 'cli' in m;

export interface Binding {
  areaId?: number | null;
  propertyCompanyId?: number | null;
  departmentId?: number | null;
}

export interface NewAccount extends Binding {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  phone?: string | null;
}

export interface AccountUpdate extends Binding {
  displayName?: string;
  phone?: string | null;
  role?: Role;
}

/** The account as its managers see it (no password hash, ever). */
export function accountJson(a: q.ManagedAccountRow) {
  const scope = a.areaId
    ? { kind: 'area' as const, id: a.areaId, level: a.areaLevel, name: a.areaName ?? '' }
    : a.propertyCompanyId
      ? {
          kind: 'property_company' as const,
          id: a.propertyCompanyId,
          level: null,
          name: a.companyName ?? '',
        }
      : a.departmentId
        ? {
            kind: 'department' as const,
            id: a.departmentId,
            level: null,
            name: a.departmentName ?? '',
          }
        : { kind: 'city' as const, id: null, level: null, name: '兰州市' };
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    phone: a.phone,
    scope,
    disabled: a.disabled,
    demo: a.demo,
    createdAt: a.createdAt,
    passwordChangedAt: a.passwordChangedAt,
    disabledAt: a.disabledAt,
  };
}
export type AccountJson = ReturnType<typeof accountJson>;

/** The accounts a manager reaches; the command line reaches all. */
function managedScope(m: Manager): q.ManagedScope {
  if (isCli(m)) return { roles: MANAGED_ROLES.city };
  const a = requireCapability(m, 'accounts.manage', 'manage accounts');
  const roles = MANAGED_ROLES[a.role];
  if (a.scope.kind === 'city') return { roles };
  if (a.scope.kind === 'area' && a.scope.id !== null) return { roles, withinArea: a.scope.id };
  // A capability granted to a role without an area would reach nothing rather than everything.
  return { roles: [] };
}

function reaches(scope: q.ManagedScope, a: { role: Role; areaPath: number[] }): boolean {
  return (
    scope.roles.includes(a.role) &&
    (scope.withinArea === undefined || a.areaPath.includes(scope.withinArea))
  );
}

const roleLabel = (role: Role) => ROLES.find((r) => r.key === role)?.en ?? role;

export function listAccounts(db: Db, m: Manager, f: q.AccountFilter) {
  return q.listManagedAccounts(db, managedScope(m), f).then(({ items, total }) => ({
    items: items.map(accountJson),
    total,
    limit: f.limit,
    offset: f.offset,
  }));
}

/** Areas an account of `role` may be bound to by this manager, matching `q` by name or code. */
export async function bindingAreas(db: Db, m: Manager, role: Role, search?: string) {
  const scope = managedScope(m);
  if (!isAreaRole(role)) {
    throw invalid(
      'role_not_area_bound',
      `parameter 'role' must be a role bound to an area, not '${role}'`,
      'role',
    );
  }
  if (!scope.roles.includes(role)) {
    throw forbidden(
      'role_not_managed',
      `Your account may not manage ${roleLabel(role)} accounts.`,
      'role',
    );
  }
  const items = await q.searchBindingAreas(db, {
    level: AREA_ROLE_LEVELS[role],
    withinArea: scope.withinArea,
    q: search,
    limit: 50,
  });
  return { items };
}

/** The roles bound to an organisation rather than an area, and how each binding is checked. */
const ORG_ROLES = ['property_company', 'department'] as const;
type OrgRole = (typeof ORG_ROLES)[number];
const ORG_BINDINGS: Record<
  OrgRole,
  {
    field: 'propertyCompanyId' | 'departmentId';
    code: string;
    noun: string;
    find: (tx: Executor, id: number) => Promise<string | undefined>;
  }
> = {
  property_company: {
    field: 'propertyCompanyId',
    code: 'no_such_company',
    noun: 'property company',
    find: q.findCompanyName,
  },
  department: {
    field: 'departmentId',
    code: 'no_such_department',
    noun: 'department',
    find: q.findDepartmentName,
  },
};

/** The company or department an account of `role` is bound to: required, and it must exist. */
async function requireOrg(tx: Executor, role: OrgRole, id: number | null | undefined) {
  const { field, code, noun, find } = ORG_BINDINGS[role];
  if (id === undefined || id === null) {
    throw invalid('field_missing', `parameter '${field}' is required for a ${role} account`, field);
  }
  if (!(await find(tx, id))) {
    throw invalid(code, `parameter '${field}': there is no ${noun} with id ${id}`, field);
  }
  return id;
}

/** Checks the binding a role needs against the database and the manager's reach. */
async function resolveBinding(
  tx: Executor,
  scope: q.ManagedScope,
  role: Role,
  b: Binding,
): Promise<{
  areaId: number | null;
  propertyCompanyId: number | null;
  departmentId: number | null;
  areaPath: number[];
}> {
  if (!scope.roles.includes(role)) {
    throw forbidden(
      'role_not_managed',
      `Your account may not manage ${roleLabel(role)} accounts.`,
      'role',
    );
  }
  const extra = (field: keyof Binding, forRole: string) => {
    if (b[field] !== undefined && b[field] !== null) {
      throw invalid(
        'field_not_for_role',
        `parameter '${field}' is only for ${forRole} accounts, not ${role}`,
        field,
      );
    }
  };
  if (isAreaRole(role)) {
    extra('propertyCompanyId', 'property_company');
    extra('departmentId', 'department');
    const level = AREA_ROLE_LEVELS[role];
    if (b.areaId === undefined || b.areaId === null) {
      throw invalid(
        'field_missing',
        `parameter 'areaId' is required for a ${role} account: a ${level} id`,
        'areaId',
      );
    }
    const area = await q.findBindingArea(tx, b.areaId);
    if (!area)
      throw invalid(
        'no_such_area',
        `parameter 'areaId': there is no area with id ${b.areaId}`,
        'areaId',
      );
    if (area.level !== level) {
      throw invalid(
        'area_level_mismatch',
        `parameter 'areaId' must be a ${level} for a ${role} account (${area.name} is a ${area.level})`,
        'areaId',
      );
    }
    if (scope.withinArea !== undefined && !area.path.includes(scope.withinArea)) {
      throw forbidden(
        'outside_scope',
        `${area.name} is outside your area: you may not bind accounts to it.`,
        'areaId',
      );
    }
    return { areaId: area.id, propertyCompanyId: null, departmentId: null, areaPath: area.path };
  }
  extra('areaId', 'district, subdistrict, community, gridworker and sentinel');
  const org = role === 'property_company' || role === 'department' ? role : undefined;
  for (const other of ORG_ROLES) {
    if (other !== org) extra(ORG_BINDINGS[other].field, other);
  }
  if (!org) return { areaId: null, propertyCompanyId: null, departmentId: null, areaPath: [] };
  const id = await requireOrg(tx, org, b[ORG_BINDINGS[org].field]);
  return {
    areaId: null,
    propertyCompanyId: org === 'property_company' ? id : null,
    departmentId: org === 'department' ? id : null,
    areaPath: [],
  };
}

function checkPassword(username: string, password: string, field: string) {
  const problem = passwordProblem(username, password);
  if (problem)
    throw invalid(
      `password_${problem}`,
      `parameter '${field}' ${PASSWORD_PROBLEM_TEXT[problem]}`,
      field,
    );
}

async function audit(
  tx: Executor,
  m: Manager,
  e: { action: string; entityId: number; areaPath: number[]; before?: unknown; after?: unknown },
) {
  if (isCli(m)) await q.insertCliAudit(tx, `cli:${m.cli}`, e);
  else await insertAudit(tx, m, { ...e, entity: 'account' });
}

/**
 * Ends an account's sessions (but `exceptTokenHash`) in the database and, once the transaction
 * commits, in every process's session cache.
 */
async function endSessions(tx: Executor, accountId: number, exceptTokenHash?: string) {
  const n = await q.deleteSessionsOf(tx, accountId, exceptTokenHash);
  await notifySessionsRevoked(tx, { accountId, exceptTokenHash });
  return n;
}

/** A managed account for a write, locked; 404 when it is not one this manager reaches. */
async function lockManaged(tx: Executor, scope: q.ManagedScope, id: number) {
  const a = await q.findManagedAccount(tx, id, true);
  if (!a || !reaches(scope, a))
    throw notFound('account_not_found', `No account with id ${id} that you manage`);
  return a;
}

function notSelf(m: Manager, id: number, doing: string) {
  if (!isCli(m) && m.accountId === id) {
    throw forbidden(
      'own_account',
      `You may not ${doing} your own account; ask the account above you.`,
    );
  }
}

export async function createAccount(db: Db, m: Manager, input: NewAccount): Promise<AccountJson> {
  const scope = managedScope(m);
  // The API checks this at its edge too; the command line reaches this service directly.
  if (!USERNAME_PATTERN.test(input.username)) {
    throw invalid(
      'field_invalid',
      `parameter 'username' must be 2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit`,
      'username',
    );
  }
  checkPassword(input.username, input.password, 'password');
  const passwordHash = await hashPassword(input.password);
  return db.kysely.transaction().execute(async (tx) => {
    const binding = await resolveBinding(tx, scope, input.role, input);
    const id = await q.insertAccount(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      phone: input.phone ?? null,
      areaId: binding.areaId,
      propertyCompanyId: binding.propertyCompanyId,
      departmentId: binding.departmentId,
      passwordHash,
    });
    if (id === undefined)
      throw conflict('username_taken', `The username '${input.username}' is taken.`, 'username');
    const created = accountJson((await q.findManagedAccount(tx, id))!);
    await audit(tx, m, {
      action: 'account.create',
      entityId: id,
      areaPath: binding.areaPath,
      after: created,
    });
    return created;
  });
}

/** Changes the name, phone, role or binding; a changed role or binding ends the sessions. */
export async function updateAccount(
  db: Db,
  m: Manager,
  id: number,
  input: AccountUpdate,
): Promise<AccountJson> {
  const scope = managedScope(m);
  return db.kysely.transaction().execute(async (tx) => {
    const before = await lockManaged(tx, scope, id);
    const role = input.role ?? before.role;
    const rebinding =
      input.role !== undefined ||
      input.areaId !== undefined ||
      input.propertyCompanyId !== undefined ||
      input.departmentId !== undefined;
    const changes: q.AccountChanges = { displayName: input.displayName, phone: input.phone };
    let areaPath = before.areaPath;
    if (rebinding) {
      notSelf(m, id, 'rebind');
      // A new role takes a whole new binding; the same role may keep what it is not given.
      const given: Binding =
        input.role !== undefined && input.role !== before.role
          ? input
          : {
              areaId: input.areaId ?? before.areaId,
              propertyCompanyId: input.propertyCompanyId ?? before.propertyCompanyId,
              departmentId: input.departmentId ?? before.departmentId,
            };
      const binding = await resolveBinding(tx, scope, role, given);
      Object.assign(changes, {
        role,
        areaId: binding.areaId,
        propertyCompanyId: binding.propertyCompanyId,
        departmentId: binding.departmentId,
      });
      areaPath = binding.areaPath;
    }
    await q.updateAccount(tx, id, changes);
    const sessionsEnded = rebinding ? await endSessions(tx, id) : 0;
    const after = accountJson((await q.findManagedAccount(tx, id))!);
    await audit(tx, m, {
      action: 'account.update',
      entityId: id,
      // Filed under both places, so that either area's log shows the move.
      areaPath: [...new Set([...before.areaPath, ...areaPath])],
      before: accountJson(before),
      after: { ...after, sessionsEnded },
    });
    return after;
  });
}

async function setDisabled(db: Db, m: Manager, id: number, disabled: boolean) {
  const scope = managedScope(m);
  if (disabled) notSelf(m, id, 'disable');
  return db.kysely.transaction().execute(async (tx) => {
    const before = await lockManaged(tx, scope, id);
    if (before.disabled === disabled) return accountJson(before);
    await q.setAccountDisabled(tx, id, disabled);
    const sessionsEnded = disabled ? await endSessions(tx, id) : 0;
    await audit(tx, m, {
      action: disabled ? 'account.disable' : 'account.enable',
      entityId: id,
      areaPath: before.areaPath,
      before: { disabled: before.disabled },
      after: disabled ? { disabled, sessionsEnded } : { disabled },
    });
    return accountJson((await q.findManagedAccount(tx, id))!);
  });
}

/** Disables an account and ends its sessions: it can no longer sign in or act. */
export const disableAccount = (db: Db, m: Manager, id: number) => setDisabled(db, m, id, true);
export const enableAccount = (db: Db, m: Manager, id: number) => setDisabled(db, m, id, false);

/** Sets a new password chosen by the manager and ends the account's sessions. */
export async function resetPassword(
  db: Db,
  m: Manager,
  id: number,
  password: string,
): Promise<AccountJson> {
  const scope = managedScope(m);
  notSelf(m, id, 'reset the password of');
  const hash = await hashPassword(password);
  return db.kysely.transaction().execute(async (tx) => {
    const before = await lockManaged(tx, scope, id);
    checkPassword(before.username, password, 'password');
    await q.setAccountPassword(tx, id, hash);
    const sessionsEnded = await endSessions(tx, id);
    await audit(tx, m, {
      action: 'account.reset_password',
      entityId: id,
      areaPath: before.areaPath,
      after: { sessionsEnded },
    });
    return accountJson((await q.findManagedAccount(tx, id))!);
  });
}

/**
 * Any signed-in account changes its own password, proving the current one. Its other sessions
 * end; the one making the request stays signed in.
 */
export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  sessionToken: string | undefined,
): Promise<void> {
  checkPassword(actor.username, input.newPassword, 'newPassword');
  const stored = await q.findPasswordHash(db.kysely, actor.accountId);
  if (!stored || !(await verifyPassword(input.currentPassword, stored))) {
    throw forbidden(
      'wrong_password',
      `parameter 'currentPassword' is not your current password`,
      'currentPassword',
    );
  }
  if (input.currentPassword === input.newPassword) {
    throw invalid(
      'password_unchanged',
      `parameter 'newPassword' must differ from the current password`,
      'newPassword',
    );
  }
  const hash = await hashPassword(input.newPassword);
  await db.kysely.transaction().execute(async (tx) => {
    const me = await q.findManagedAccount(tx, actor.accountId, true);
    if (!me) throw notFound('account_not_found', 'Your account no longer exists');
    await q.setAccountPassword(tx, actor.accountId, hash);
    const sessionsEnded = await endSessions(
      tx,
      actor.accountId,
      sessionToken ? hashToken(sessionToken) : undefined,
    );
    await insertAudit(tx, actor, {
      action: 'account.change_password',
      entity: 'account',
      entityId: actor.accountId,
      areaPath: me.areaPath,
      after: { sessionsEnded },
    });
  });
}

/** The command line's lookups go by username. */
export async function accountIdByUsername(db: Db, username: string): Promise<number> {
  const a = await q.findManagedAccountByUsername(db.kysely, username);
  if (!a) throw notFound('account_not_found', `No account named '${username}'`);
  return a.id;
}

/**
 * What the sign-in screen may say: the demo accounts (all with the README's password) exist only
 * in a database seeded with them, the embedded demo.
 */
export async function demoInfo(db: Db) {
  const usernames = await q.listDemoUsernames(db);
  return { demo: usernames.length > 0, usernames };
}
