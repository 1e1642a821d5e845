import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/client.ts';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  saveIdempotentResponse,
} from '../db/queries/idempotency.ts';
import type { Database } from '../db/schema.ts';
import { conflict, invalid } from './domain-error.ts';
import type { Actor } from './actors.ts';

export interface WriteResult<T> {
  status: 201 | 200;
  body: T;
  replayed: boolean;
}

/**
 * Runs a creating write in one transaction, keyed by the client's Idempotency-Key when given:
 * the key row is inserted first, so a concurrent retry waits on it and then reads the stored
 * answer; a failed write rolls the key back with everything else, so the retry can succeed.
 * `write` returns a small result (the new record's id); the caller reads the full record after
 * the commit, so a replay answers with the record as it is now.
 */
export async function idempotentWrite<T>(
  db: Db,
  actor: Actor,
  key: string | undefined,
  request: unknown,
  write: (tx: Transaction<Database>) => Promise<T>,
): Promise<WriteResult<T>> {
  if (key === undefined) {
    return db.kysely.transaction().execute(async (tx) => ({
      status: 201,
      body: await write(tx),
      replayed: false,
    }));
  }
  if (key.length < 1 || key.length > 200 || /[^\x21-\x7e]/.test(key)) {
    throw invalid(
      'idempotency_key_invalid',
      "header 'Idempotency-Key' must be 1 to 200 printable ASCII characters (a UUID is ideal)",
      'Idempotency-Key',
    );
  }
  const hash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  return db.kysely.transaction().execute(async (tx) => {
    if (!(await claimIdempotencyKey(tx, actor.accountId, key, hash))) {
      const prior = await findIdempotencyKey(tx, actor.accountId, key);
      if (prior.request_hash !== hash) {
        throw conflict(
          'idempotency_key_reused',
          `Idempotency-Key '${key}' was already used for a different request; use a new key for a new record.`,
        );
      }
      return { status: 201, body: prior.response as T, replayed: true };
    }
    const body = await write(tx);
    await saveIdempotentResponse(tx, actor.accountId, key, body);
    return { status: 201, body, replayed: false };
  });
}
