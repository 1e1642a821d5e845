import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/accounts.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as failures from '../db/queries/sign-in-failures.ts';
import type { SignInLimits } from '../db/queries/sign-in-failures.ts';
import { DomainError, unauthenticated } from './domain-error.ts';
import { actorFromAccount, type Actor } from './actors.ts';
import { isRevoked, notifySessionsRevoked, type SessionsRevoked } from './events.ts';
import {
  HashingBusy,
  passwordHashing,
  UNUSABLE_HASH,
  verifyPassword,
  type HashingGate,
} from './passwords.ts';

export type { SignInLimits } from '../db/queries/sign-in-failures.ts';

export const SESSION_COOKIE = 'mq_session';
export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 3600_000;
/** Sliding expiry is written (and the cookie sent again) at most once per this interval. */
const EXTEND_AFTER_MS = 3600_000;
/**
 * How long a process trusts a session it looked up. Revocations reach every process at once by
 * NOTIFY; this only bounds how long one missed while the listening connection was down, or an
 * account disabled without a revocation, goes unseen.
 */
const CACHE_MS = 5_000;
/** Revocations are remembered this long, against a lookup already running when one arrived. */
const REVOCATION_MEMORY_MS = 60_000;

/**
 * Per address and account first, so that a guesser elsewhere cannot lock the real user out; per
 * address over many accounts (spraying); and per account from anywhere, with a high threshold and
 * a short lock, against guessing spread over many addresses.
 */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = Object.freeze({
  pair: { max: 5, windowSeconds: 300 },
  addressNames: { max: 20, windowSeconds: 300 },
  account: { max: 30, windowSeconds: 900, lockSeconds: 60 },
});

/** A refusal that says when to come back (the route sends it as `Retry-After`). */
export class TooManyRequests extends DomainError {
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', 'rate_limited', message, undefined, retryAfterSeconds);
  }
}

export interface ResolvedSession {
  actor: Actor;
  tokenHash: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The expiry moved forward: the cookie should be sent again with a fresh lifetime. */
  extended: boolean;
}

export interface SessionsOptions {
  limits?: SignInLimits;
  hashing?: HashingGate;
}

interface Cached {
  actor: Actor;
  expiresAt: number;
  checkedAt: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * The key a client's failures are counted under: an IPv4 address, or an IPv6 address cut to its
 * /64 (one subscriber gets a whole /64, so single IPv6 addresses cost an attacker nothing).
 */
export function addressKey(raw: string | undefined): string {
  if (!raw) return 'local';
  let a = raw.trim().toLowerCase();
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  if (isIP(a) === 4) return a;
  if (isIP(a) !== 6) return 'local';
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** A full hashing queue as the client sees it; any other error as it was. */
const busy = (err: unknown) =>
  err instanceof HashingBusy
    ? new TooManyRequests(
        `Many people are signing in right now; try again in ${err.retryAfterSeconds} s.`,
        err.retryAfterSeconds,
      )
    : err;

const minutes = (seconds: number) => {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return `${m} minute${m === 1 ? '' : 's'}`;
};

/**
 * Sessions with a short in-memory cache: on PGlite every query waits its turn, so a page's burst
 * of requests should not each look the session up. A revocation (sign-out, from any process)
 * drops the entry everywhere as soon as its NOTIFY arrives (`forget`).
 */
export class Sessions {
  private readonly cache = new Map<string, Cached>();
  private readonly revocations: { seq: number; at: number; r: SessionsRevoked }[] = [];
  private seq = 0;
  private readonly limits: SignInLimits;
  private readonly hashing: HashingGate;

  constructor(
    private readonly db: Db,
    options: SessionsOptions = {},
  ) {
    this.limits = options.limits ?? DEFAULT_SIGN_IN_LIMITS;
    this.hashing = options.hashing ?? passwordHashing;
  }

  /**
   * Checks a password from the client at `address`. The answer for an unknown username is the
   * answer for a wrong password, in the same time: both hash, both count against the limits.
   */
  async signIn(
    username: string,
    password: string,
    address: string,
  ): Promise<{ token: string; actor: Actor }> {
    const name = username.toLowerCase();
    // A full queue refuses at once, before any query: under a flood that is most of the work.
    try {
      this.hashing.checkRoom();
    } catch (err) {
      throw busy(err);
    }
    const attempt = await failures.insertSignInFailure(this.db.kysely, address, name, this.keep);
    const refusal = await this.refusal(attempt, username, name, address);
    let ok: boolean;
    let account: Awaited<ReturnType<typeof q.findAccountForSignIn>>;
    try {
      if (refusal) throw refusal;
      account = await q.findAccountForSignIn(this.db, name);
      ok = await this.hashing.run(() =>
        verifyPassword(password, account?.passwordHash ?? UNUSABLE_HASH),
      );
    } catch (err) {
      // A refused attempt is no guess: were it counted, a locked client would keep itself locked.
      await failures.deleteSignInFailure(this.db.kysely, attempt);
      throw busy(err);
    }
    if (!account || !ok || account.disabled) {
      // The username as typed and where from; never the password.
      await insertAudit(this.db.kysely, null, {
        action: 'session.fail',
        entity: 'session',
        entityId: name,
        after: {
          username: name,
          address,
          reason: !account ? 'unknown_account' : !ok ? 'wrong_password' : 'disabled',
        },
      });
      throw unauthenticated('invalid_credentials', 'Wrong username or password.');
    }
    const actor = actorFromAccount(account);
    const token = randomBytes(32).toString('base64url');
    await this.db.kysely.transaction().execute(async (tx) => {
      await failures.clearSignInFailures(tx, address, name);
      await q.insertSession(tx, hashToken(token), account.id, new Date(Date.now() + SESSION_MS));
      await insertAudit(tx, actor, {
        action: 'session.create',
        entity: 'account',
        entityId: account.id,
      });
    });
    return { token, actor };
  }

  /** Failures are kept as long as the longest window that counts them. */
  private get keep() {
    const l = this.limits;
    return Math.max(l.pair.windowSeconds, l.addressNames.windowSeconds, l.account.windowSeconds);
  }

  /** Why this attempt may not be checked now, or null when it may. */
  private async refusal(attempt: number, username: string, name: string, address: string) {
    const waits = await failures.signInWaits(this.db.kysely, attempt, address, name, this.limits);
    if (waits.pair > 0) {
      return new TooManyRequests(
        `Too many failed sign-ins for '${username}' from this address; try again in ${minutes(waits.pair)}.`,
        waits.pair,
      );
    }
    // Without a socket ('local': in-process requests) there is no client to tell apart.
    if (waits.address > 0 && address !== 'local') {
      return new TooManyRequests(
        `Too many failed sign-ins from this address; try again in ${minutes(waits.address)}.`,
        waits.address,
      );
    }
    if (waits.account > 0) {
      return new TooManyRequests(
        `Too many failed sign-ins for '${username}'; try again in ${minutes(waits.account)}.`,
        waits.account,
      );
    }
    return null;
  }

  /**
   * The session of a cookie's token, or null. With `extend` (every request but a stream's own
   * re-checks), an expiry more than an hour old slides forward and `extended` says so.
   */
  async resolve(
    token: string | undefined,
    { extend = true }: { extend?: boolean } = {},
  ): Promise<ResolvedSession | null> {
    if (!token || token.length > 100) return null;
    const tokenHash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(tokenHash);
    if (hit && now - hit.checkedAt < CACHE_MS && hit.expiresAt > now) {
      return { actor: hit.actor, tokenHash, expiresAt: hit.expiresAt, extended: false };
    }
    const asked = this.seq;
    const row = await q.findSessionAccount(this.db, tokenHash);
    // A revocation that arrived while the lookup ran may have missed it: trust the revocation.
    if (!row || this.revokedSince(asked, tokenHash, row.id)) {
      this.cache.delete(tokenHash);
      return null;
    }
    let expiresAt = new Date(row.expiresAt).getTime();
    let extended = false;
    if (extend && expiresAt - now < SESSION_MS - EXTEND_AFTER_MS) {
      expiresAt = now + SESSION_MS;
      await q.extendSession(this.db, tokenHash, new Date(expiresAt));
      extended = true;
    }
    const actor = actorFromAccount(row);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { actor, expiresAt, checkedAt: now });
    return { actor, tokenHash, expiresAt, extended };
  }

  private revokedSince(seq: number, tokenHash: string, accountId: number) {
    return this.revocations.some((e) => e.seq > seq && isRevoked(e.r, tokenHash, accountId));
  }

  /** Drops revoked sessions from the cache; called for every revocation, from any process. */
  forget(r: SessionsRevoked): void {
    for (const [hash, c] of this.cache) {
      if (isRevoked(r, hash, c.actor.accountId)) this.cache.delete(hash);
    }
    const now = Date.now();
    while (this.revocations.length && now - this.revocations[0]!.at > REVOCATION_MEMORY_MS)
      this.revocations.shift();
    this.revocations.push({ seq: ++this.seq, at: now, r });
  }

  async signOut(token: string | undefined, actor: Actor | null): Promise<void> {
    if (!token) return;
    const tokenHash = hashToken(token);
    this.forget({ tokenHashes: [tokenHash] });
    await this.db.kysely.transaction().execute(async (tx) => {
      const accountId = await q.deleteSession(tx, tokenHash);
      if (accountId === undefined) return;
      await insertAudit(tx, actor, {
        action: 'session.delete',
        entity: 'account',
        entityId: accountId,
      });
      // Every process closes this session's streams and forgets it once this commits.
      await notifySessionsRevoked(tx, { tokenHashes: [tokenHash] });
    });
  }
}
