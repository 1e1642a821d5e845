import { sql } from 'kysely';
import type { Role } from '../../../geo/operations.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { AccountRow } from '../../services/actors.ts';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';

const ACCOUNT_COLUMNS = sql`a.id, a.username, a.display_name AS "displayName", a.role,
  a.area_id AS "areaId", ar.level AS "areaLevel", ar.name AS "areaName",
  a.property_company_id AS "propertyCompanyId", pc.name AS "companyName",
  a.department_id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName"`;
const ACCOUNT_JOINS = sql`LEFT JOIN areas ar ON ar.id = a.area_id
  LEFT JOIN property_companies pc ON pc.id = a.property_company_id
  LEFT JOIN departments d ON d.id = a.department_id`;

type Row = Omit<AccountRow, 'role' | 'areaLevel'> & { role: Role; areaLevel: AreaLevel | null };

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
