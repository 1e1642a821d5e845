import type { Db } from '../db/client.ts';
import * as q from '../db/queries/audit.ts';
import { requireCapability, type Actor } from './actors.ts';

/** The append-only audit log, newest first: for accounts with `audit.read` (the city). */
export function listAudit(db: Db, actor: Actor | null, f: Parameters<typeof q.listAudit>[1]) {
  requireCapability(actor, 'audit.read', 'read the audit log');
  return q.listAudit(db, f);
}
