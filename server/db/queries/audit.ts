import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../policy.ts';
import type { Db } from '../client.ts';
import { jsonb } from '../postgis.ts';
import type { Database } from '../schema.ts';

/** A connection or a transaction: writes take whichever the caller holds. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number;
  /** Ids of the areas the record lies in (root first), for filtering the log by area. */
  areaPath?: (number | null | undefined)[];
  before?: unknown;
  after?: unknown;
}

/** Appends one row to the audit log, in the caller's transaction. */
export async function insertAudit(tx: Executor, actor: Actor | null, e: AuditEntry) {
  await tx
    .insertInto('audit_log')
    .values({
      account_id: actor?.accountId ?? null,
      actor: actor?.username ?? 'anonymous',
      role: actor?.role ?? 'public',
      action: e.action,
      entity: e.entity,
      entity_id: String(e.entityId),
      area_path: (e.areaPath ?? []).filter((id): id is number => typeof id === 'number'),
      before: jsonb(e.before),
      after: jsonb(e.after),
    })
    .execute();
}

export interface AuditFilter {
  area?: number;
  actor?: string;
  entity?: string;
  action?: string;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

export async function listAudit(db: Db, f: AuditFilter) {
  let q = db.kysely
    .selectFrom('audit_log')
    .select([
      sql<number>`id::int`.as('id'),
      'at',
      'actor',
      'role',
      'action',
      'entity',
      sql<string>`entity_id`.as('entityId'),
      'before',
      'after',
    ])
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.area !== undefined) q = q.where(sql<boolean>`area_path @> ARRAY[${f.area}]::int[]`);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.before !== undefined) q = q.where(sql<boolean>`id < ${f.before}`);
  const rows = await q.execute();
  const more = rows.length > f.limit;
  const items = rows.slice(0, f.limit);
  return { items, nextBefore: more ? items[items.length - 1]!.id : null };
}

export async function countAudit(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(db.kysely);
  return r.rows[0]!.n;
}
