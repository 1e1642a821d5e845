import { sql } from 'kysely';
import { jsonb } from '../postgis.ts';
import type { Executor } from './audit.ts';

/**
 * Claims an Idempotency-Key for an account: true when this request is the first with it. The row
 * is inserted first, so a concurrent retry waits on it and then reads the stored answer.
 */
export async function claimIdempotencyKey(
  tx: Executor,
  accountId: number,
  key: string,
  requestHash: string,
): Promise<boolean> {
  const claimed = await sql`INSERT INTO idempotency_keys (account_id, key, request_hash)
    VALUES (${accountId}, ${key}, ${requestHash}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  return claimed.rows.length > 0;
}

export function findIdempotencyKey(tx: Executor, accountId: number, key: string) {
  return tx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response'])
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

export async function saveIdempotentResponse(
  tx: Executor,
  accountId: number,
  key: string,
  body: unknown,
) {
  await tx
    .updateTable('idempotency_keys')
    .set({ status: 201, response: jsonb(body) })
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
}
