import type { Db } from '../db/client.ts';
import * as q from '../db/queries/audit.ts';
import { requireCapability, type Actor } from './actors.ts';
import { exportPace, keysetBatches } from './exports.ts';

/** The append-only audit log, newest first: for accounts with `audit.read` (the city). */
export function listAudit(db: Db, actor: Actor | null, f: Parameters<typeof q.listAudit>[1]) {
  requireCapability(actor, 'audit.read', 'read the audit log');
  return q.listAudit(db, f);
}

/** The audit log of the filter as a file, newest first, in keyset batches on the id. */
export function exportAudit(
  db: Db,
  actor: Actor | null,
  f: Omit<Parameters<typeof q.listAudit>[1], 'limit'>,
) {
  requireCapability(actor, 'audit.read', 'read the audit log');
  return keysetBatches(
    async (after: number | null, size) =>
      (await q.listAudit(db, { ...f, before: after ?? f.before, limit: size })).items,
    (row) => row.id,
    exportPace(db.kind),
  );
}
