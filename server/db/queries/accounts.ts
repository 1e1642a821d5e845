import { sql } from 'kysely';
import type { Role } from '../../../geo/operations.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { AccountRow } from '../../policy.ts';
import type { Db } from '../client.ts';
import { jsonb } from '../postgis.ts';
import type { Executor } from './audit.ts';

export const ACCOUNT_COLUMNS = sql`a.id, a.username, a.display_name AS "displayName", a.role,
  a.area_id AS "areaId", ar.level AS "areaLevel", ar.name AS "areaName",
  a.property_company_id AS "propertyCompanyId", pc.name AS "companyName",
  a.department_id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName"`;
export const ACCOUNT_JOINS = sql`LEFT JOIN areas ar ON ar.id = a.area_id
  LEFT JOIN property_companies pc ON pc.id = a.property_company_id
  LEFT JOIN departments d ON d.id = a.department_id`;

type Row = Omit<AccountRow, 'role' | 'areaLevel'> & { role: Role; areaLevel: AreaLevel | null };
/** An account as ACCOUNT_COLUMNS reads it, ready for actorFromAccount. */
export type AccountRowOf = Row;

export async function findAccountForSignIn(db: Db, username: string) {
  const r = await sql<Row & { passwordHash: string; disabled: boolean }>`
    SELECT ${ACCOUNT_COLUMNS}, a.password_hash AS "passwordHash", a.disabled
    FROM accounts a ${ACCOUNT_JOINS} WHERE a.username = ${username}`.execute(db.kysely);
  return r.rows[0];
}

/** The live session's account, or nothing when the token is unknown, expired or disabled. */
export async function findSessionAccount(db: Db, tokenHash: string) {
  const r = await sql<Row & { expiresAt: Date }>`
    SELECT ${ACCOUNT_COLUMNS}, s.expires_at AS "expiresAt"
    FROM sessions s JOIN accounts a ON a.id = s.account_id ${ACCOUNT_JOINS}
    WHERE s.token_hash = ${tokenHash} AND s.expires_at > now() AND NOT a.disabled`.execute(
    db.kysely,
  );
  return r.rows[0];
}

export async function insertSession(
  tx: Executor,
  tokenHash: string,
  accountId: number,
  expiresAt: Date,
) {
  await tx
    .insertInto('sessions')
    .values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt })
    .execute();
  // Expired sessions are swept as new ones start; no timer needed.
  await tx.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
}

export async function extendSession(db: Db, tokenHash: string, expiresAt: Date) {
  await db.kysely
    .updateTable('sessions')
    .set({ expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(tx: Executor, tokenHash: string) {
  const r = await tx
    .deleteFrom('sessions')
    .where('token_hash', '=', tokenHash)
    .returning('account_id')
    .executeTakeFirst();
  return r?.account_id;
}

// ---- account management ----

/** An account as its managers see it: never the password hash. */
export interface ManagedAccountRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  phone: string | null;
  areaId: number | null;
  areaLevel: AreaLevel | null;
  areaName: string | null;
  /** The bound area's path (district first, the area itself last); empty for other scopes. */
  areaPath: number[];
  propertyCompanyId: number | null;
  companyName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  disabled: boolean;
  demo: boolean;
  createdAt: Date;
  passwordChangedAt: Date | null;
  disabledAt: Date | null;
}

const MANAGED_COLUMNS = sql`a.id, a.username, a.display_name AS "displayName", a.role, a.phone,
  a.area_id AS "areaId", ar.level AS "areaLevel", ar.name AS "areaName",
  coalesce(ar.path, '{}') AS "areaPath",
  a.property_company_id AS "propertyCompanyId", pc.name AS "companyName",
  a.department_id AS "departmentId", d.name AS "departmentName",
  a.disabled, a.demo, a.created_at AS "createdAt",
  a.password_changed_at AS "passwordChangedAt", a.disabled_at AS "disabledAt"`;

/** Which accounts a manager reaches: all (the city), or some roles inside an area subtree. */
export interface ManagedScope {
  roles: readonly Role[];
  /** Only accounts bound inside this area's subtree; undefined for the whole city. */
  withinArea?: number;
}

function managedCondition(scope: ManagedScope) {
  const roles = sql<boolean>`a.role = ANY(${[...scope.roles]}::text[])`;
  return scope.withinArea === undefined
    ? roles
    : sql<boolean>`${roles} AND ar.path @> ARRAY[${scope.withinArea}]::int[]`;
}

export interface AccountFilter {
  q?: string;
  role?: Role;
  disabled?: boolean;
  limit: number;
  offset: number;
}

export async function listManagedAccounts(db: Db, scope: ManagedScope, f: AccountFilter) {
  const where = [managedCondition(scope)];
  if (f.role) where.push(sql<boolean>`a.role = ${f.role}`);
  if (f.disabled !== undefined) where.push(sql<boolean>`a.disabled = ${f.disabled}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql<boolean>`(a.username ILIKE ${like} OR a.display_name ILIKE ${like}
      OR ar.name ILIKE ${like} OR pc.name ILIKE ${like} OR d.name ILIKE ${like})`);
  }
  const cond = sql.join(where, sql` AND `);
  const rows = await sql<ManagedAccountRow & { total: number }>`
    SELECT ${MANAGED_COLUMNS}, count(*) OVER ()::int AS total
    FROM accounts a ${ACCOUNT_JOINS}
    WHERE ${cond}
    ORDER BY a.disabled, a.id
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  let total = rows.rows[0]?.total;
  if (total === undefined) {
    // Past the last page the window count is gone with the rows.
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM accounts a ${ACCOUNT_JOINS} WHERE ${cond}`.execute(db.kysely);
    total = r.rows[0]!.n;
  }
  return { items: rows.rows.map(({ total: _t, ...row }) => row), total };
}

/** One account with what its manager needs to know; `forUpdate` locks its row. */
export async function findManagedAccount(tx: Executor, id: number, forUpdate = false) {
  const r = await sql<ManagedAccountRow>`
    SELECT ${MANAGED_COLUMNS} FROM accounts a ${ACCOUNT_JOINS}
    WHERE a.id = ${id} ${forUpdate ? sql`FOR UPDATE OF a` : sql``}`.execute(tx);
  return r.rows[0];
}

export async function findManagedAccountByUsername(tx: Executor, username: string) {
  const r = await sql<ManagedAccountRow>`
    SELECT ${MANAGED_COLUMNS} FROM accounts a ${ACCOUNT_JOINS}
    WHERE a.username = ${username}`.execute(tx);
  return r.rows[0];
}

export async function findPasswordHash(tx: Executor, id: number): Promise<string | undefined> {
  const r = await sql<{ hash: string }>`
    SELECT password_hash AS hash FROM accounts WHERE id = ${id}`.execute(tx);
  return r.rows[0]?.hash;
}

export async function findBindingArea(tx: Executor, id: number) {
  const r = await sql<{ id: number; level: AreaLevel; name: string; path: number[] }>`
    SELECT id, level, name, path FROM areas WHERE id = ${id}`.execute(tx);
  return r.rows[0];
}

export async function findCompanyName(tx: Executor, id: number) {
  const r = await sql<{ name: string }>`
    SELECT name FROM property_companies WHERE id = ${id}`.execute(tx);
  return r.rows[0]?.name;
}

export async function findDepartmentName(tx: Executor, id: number) {
  const r = await sql<{ name: string }>`SELECT name FROM departments WHERE id = ${id}`.execute(tx);
  return r.rows[0]?.name;
}

export interface NewAccountRow {
  username: string;
  displayName: string;
  role: Role;
  phone: string | null;
  areaId: number | null;
  propertyCompanyId: number | null;
  departmentId: number | null;
  passwordHash: string;
}

/** Inserts an account; undefined when the username is taken. */
export async function insertAccount(tx: Executor, a: NewAccountRow): Promise<number | undefined> {
  const r = await sql<{ id: number }>`
    INSERT INTO accounts (username, display_name, role, phone, area_id, property_company_id,
      department_id, password_hash, password_changed_at)
    VALUES (${a.username}, ${a.displayName}, ${a.role}, ${a.phone}, ${a.areaId},
      ${a.propertyCompanyId}, ${a.departmentId}, ${a.passwordHash}, now())
    ON CONFLICT (username) DO NOTHING
    RETURNING id`.execute(tx);
  return r.rows[0]?.id;
}

export async function setAccountDisabled(tx: Executor, id: number, disabled: boolean) {
  await sql`UPDATE accounts SET disabled = ${disabled},
      disabled_at = CASE WHEN ${disabled} THEN now() END
    WHERE id = ${id}`.execute(tx);
}

export async function setAccountPassword(tx: Executor, id: number, passwordHash: string) {
  await sql`UPDATE accounts SET password_hash = ${passwordHash}, password_changed_at = now()
    WHERE id = ${id}`.execute(tx);
}

export interface AccountChanges {
  displayName?: string;
  phone?: string | null;
  role?: Role;
  areaId?: number | null;
  propertyCompanyId?: number | null;
  departmentId?: number | null;
}

export async function updateAccount(tx: Executor, id: number, c: AccountChanges) {
  const set: ReturnType<typeof sql>[] = [];
  if (c.displayName !== undefined) set.push(sql`display_name = ${c.displayName}`);
  if (c.phone !== undefined) set.push(sql`phone = ${c.phone}`);
  if (c.role !== undefined) set.push(sql`role = ${c.role}`);
  if (c.areaId !== undefined) set.push(sql`area_id = ${c.areaId}`);
  if (c.propertyCompanyId !== undefined)
    set.push(sql`property_company_id = ${c.propertyCompanyId}`);
  if (c.departmentId !== undefined) set.push(sql`department_id = ${c.departmentId}`);
  if (set.length === 0) return;
  await sql`UPDATE accounts SET ${sql.join(set)} WHERE id = ${id}`.execute(tx);
}

/** Ends an account's sessions (all, or all but the one making the request); returns how many. */
export async function deleteSessionsOf(
  tx: Executor,
  accountId: number,
  exceptTokenHash?: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH gone AS (
      DELETE FROM sessions WHERE account_id = ${accountId}
        ${exceptTokenHash ? sql`AND token_hash <> ${exceptTokenHash}` : sql``}
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`.execute(tx);
  return r.rows[0]!.n;
}

/** Enabled demo accounts, in the README's order: the sign-in screen offers them. */
export async function listDemoUsernames(db: Db): Promise<string[]> {
  const r = await sql<{ username: string }>`
    SELECT username FROM accounts WHERE demo AND NOT disabled ORDER BY id`.execute(db.kysely);
  return r.rows.map((x) => x.username);
}

/** Counts that say whether a database is ready to sign in to. */
export async function accountCounts(tx: Executor) {
  const r = await sql<{ accounts: number; cityAdmins: number; demo: number }>`
    SELECT count(*)::int AS accounts,
      count(*) FILTER (WHERE role = 'city' AND NOT disabled)::int AS "cityAdmins",
      count(*) FILTER (WHERE demo AND NOT disabled)::int AS demo
    FROM accounts`.execute(tx);
  return r.rows[0]!;
}

/** Areas of one level whose name or code matches, inside a subtree when given. */
export async function searchBindingAreas(
  db: Db,
  f: { level: AreaLevel; withinArea?: number; q?: string; limit: number },
) {
  const where = [sql<boolean>`a.level = ${f.level}`];
  if (f.withinArea !== undefined) where.push(sql<boolean>`a.path @> ARRAY[${f.withinArea}]::int[]`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql<boolean>`(a.name ILIKE ${like} OR a.code LIKE ${like})`);
  }
  const r = await sql<{
    id: number;
    level: AreaLevel;
    name: string;
    code: string | null;
    parents: string;
  }>`
    SELECT a.id, a.level, a.name, a.code,
      coalesce((SELECT string_agg(p.name, ' / ' ORDER BY array_position(a.path, p.id))
        FROM areas p WHERE p.id = ANY(a.path) AND p.id <> a.id), '') AS parents
    FROM areas a WHERE ${sql.join(where, sql` AND `)}
    ORDER BY a.path, a.id LIMIT ${f.limit}`.execute(db.kysely);
  return r.rows;
}

/** An audit row written by the command line (no account, no session). */
export async function insertCliAudit(
  tx: Executor,
  who: string,
  e: { action: string; entityId: number; areaPath: number[]; before?: unknown; after?: unknown },
) {
  await tx
    .insertInto('audit_log')
    .values({
      account_id: null,
      actor: who,
      role: 'cli',
      action: e.action,
      entity: 'account',
      entity_id: String(e.entityId),
      area_path: e.areaPath,
      before: jsonb(e.before),
      after: jsonb(e.after),
    })
    .execute();
}

/** The command line names areas and departments by their official codes too. */
export async function findAreaIdByCode(tx: Executor, code: string) {
  const r = await sql<{ id: number }>`SELECT id FROM areas WHERE code = ${code}`.execute(tx);
  return r.rows[0]?.id;
}

export async function findDepartmentIdByCode(tx: Executor, code: string) {
  const r = await sql<{ id: number }>`SELECT id FROM departments WHERE code = ${code}`.execute(tx);
  return r.rows[0]?.id;
}
