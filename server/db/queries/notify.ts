import { sql } from 'kysely';
import type { Executor } from './audit.ts';

/** pg_notify inside the transaction: listeners hear of it only once it commits. */
export async function pgNotify(tx: Executor, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(tx);
}
