import { sql } from 'kysely';
import type { Executor } from './audit.ts';

/** Windows and thresholds of the sign-in limits, in seconds and counts. */
export interface SignInLimits {
  /** Failures for one account from one address. */
  pair: { max: number; windowSeconds: number };
  /** Distinct usernames failed from one address (spraying many accounts). */
  addressNames: { max: number; windowSeconds: number };
  /** Failures for one account from anywhere; past `max`, each failure locks it `lockSeconds`. */
  account: { max: number; windowSeconds: number; lockSeconds: number };
}

/** Seconds until each limit lets the next attempt through: 0 when it does now. */
export interface SignInWaits {
  pair: number;
  address: number;
  account: number;
}

/**
 * How long each limit holds this address and username, by the database's clock so that every
 * app process agrees. The attempt being checked (`attemptId`) does not count against itself;
 * attempts still being checked elsewhere do, so a burst of concurrent guesses gets no more tries
 * than a sequence of them.
 */
export async function signInWaits(
  db: Executor,
  attemptId: number,
  address: string,
  username: string,
  l: SignInLimits,
): Promise<SignInWaits> {
  const longest = Math.max(
    l.pair.windowSeconds,
    l.addressNames.windowSeconds,
    l.account.windowSeconds,
  );
  const pairRow = sql`address = ${address} AND username = ${username}
    AND at > now() - make_interval(secs => ${l.pair.windowSeconds})`;
  const addressRow = sql`address = ${address}
    AND at > now() - make_interval(secs => ${l.addressNames.windowSeconds})`;
  const accountRow = sql`username = ${username}
    AND at > now() - make_interval(secs => ${l.account.windowSeconds})`;
  const r = await sql<SignInWaits>`
    WITH f AS (
      SELECT address, username, at FROM sign_in_failures
      WHERE (address = ${address} OR username = ${username}) AND id <> ${attemptId}
        AND at > now() - make_interval(secs => ${longest})
    ), c AS (
      SELECT
        count(*) FILTER (WHERE ${pairRow}) AS pair_n,
        min(at) FILTER (WHERE ${pairRow}) AS pair_first,
        count(DISTINCT username) FILTER (WHERE ${addressRow}) AS address_names,
        min(at) FILTER (WHERE ${addressRow}) AS address_first,
        count(*) FILTER (WHERE ${accountRow}) AS account_n,
        max(at) FILTER (WHERE ${accountRow}) AS account_last
      FROM f
    )
    SELECT
      CASE WHEN pair_n >= ${l.pair.max} THEN ceil(extract(epoch FROM
        pair_first + make_interval(secs => ${l.pair.windowSeconds}) - now())) ELSE 0 END::int AS pair,
      CASE WHEN address_names >= ${l.addressNames.max} THEN ceil(extract(epoch FROM
        address_first + make_interval(secs => ${l.addressNames.windowSeconds}) - now())) ELSE 0 END::int
        AS address,
      CASE WHEN account_n >= ${l.account.max} THEN greatest(0, ceil(extract(epoch FROM
        account_last + make_interval(secs => ${l.account.lockSeconds}) - now()))) ELSE 0 END::int
        AS account
    FROM c`.execute(db);
  return r.rows[0]!;
}

/**
 * Records an attempt as a failure before its password is checked (a success takes it back),
 * sweeping rows older than every window as it goes; returns its id.
 */
export async function insertSignInFailure(
  db: Executor,
  address: string,
  username: string,
  keepSeconds: number,
): Promise<number> {
  await sql`DELETE FROM sign_in_failures
    WHERE at < now() - make_interval(secs => ${keepSeconds})`.execute(db);
  const r = await sql<{ id: string }>`INSERT INTO sign_in_failures (address, username)
    VALUES (${address}, ${username}) RETURNING id::text AS id`.execute(db);
  return Number(r.rows[0]!.id);
}

/** Takes back an attempt that was refused before its password was checked. */
export async function deleteSignInFailure(db: Executor, id: number) {
  await sql`DELETE FROM sign_in_failures WHERE id = ${id}`.execute(db);
}

/** A successful sign-in forgives that address's earlier mistakes for the account. */
export async function clearSignInFailures(db: Executor, address: string, username: string) {
  await sql`DELETE FROM sign_in_failures
    WHERE address = ${address} AND username = ${username}`.execute(db);
}
