import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/accounts.ts';
import { insertAudit } from '../db/queries/audit.ts';
import { ApiError, unauthorized } from '../errors.ts';
import { actorFromAccount, type Actor } from './actors.ts';
import { verifyPassword } from './passwords.ts';

export const SESSION_COOKIE = 'mq_session';
export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 3600_000;
/** Sliding expiry is written at most once per this interval per session. */
const EXTEND_AFTER_MS = 3600_000;
const CACHE_MS = 30_000;
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

interface Cached {
  actor: Actor;
  expiresAt: number;
  checkedAt: number;
}

/** Sessions with a short in-memory cache: on PGlite every query waits its turn, so a page's
 * burst of requests should not each look the session up. Signing out drops the entry. */
export class Sessions {
  private readonly cache = new Map<string, Cached>();
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly db: Db) {}

  async signIn(username: string, password: string): Promise<{ token: string; actor: Actor }> {
    const key = username.toLowerCase();
    const now = Date.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      const wait = Math.ceil((recent[0]! + FAILURE_WINDOW_MS - now) / 60_000);
      throw new ApiError(
        429,
        'too_many_requests',
        `Too many failed sign-ins for '${username}'; try again in ${wait} minute(s).`,
      );
    }
    const account = await q.findAccountForSignIn(this.db, key);
    // Verify even for an unknown user, so the answer takes as long either way.
    const ok = await verifyPassword(
      password,
      account?.passwordHash ??
        'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!account || !ok || account.disabled) {
      recent.push(now);
      this.failures.set(key, recent);
      throw unauthorized('Wrong username or password.');
    }
    this.failures.delete(key);
    const actor = actorFromAccount(account);
    const token = randomBytes(32).toString('base64url');
    await this.db.kysely.transaction().execute(async (tx) => {
      await q.insertSession(tx, hashToken(token), account.id, new Date(now + SESSION_MS));
      await insertAudit(tx, actor, {
        action: 'session.create',
        entity: 'account',
        entityId: account.id,
      });
    });
    return { token, actor };
  }

  async resolve(token: string | undefined): Promise<Actor | null> {
    if (!token || token.length > 100) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && now - hit.checkedAt < CACHE_MS && hit.expiresAt > now) return hit.actor;
    const row = await q.findSessionAccount(this.db, hash);
    if (!row) {
      this.cache.delete(hash);
      return null;
    }
    let expiresAt = new Date(row.expiresAt).getTime();
    if (expiresAt - now < SESSION_MS - EXTEND_AFTER_MS) {
      expiresAt = now + SESSION_MS;
      await q.extendSession(this.db, hash, new Date(expiresAt));
    }
    const actor = actorFromAccount(row);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, expiresAt, checkedAt: now });
    return actor;
  }

  async signOut(token: string | undefined, actor: Actor | null): Promise<void> {
    if (!token) return;
    const hash = hashToken(token);
    this.cache.delete(hash);
    await this.db.kysely.transaction().execute(async (tx) => {
      const accountId = await q.deleteSession(tx, hash);
      if (accountId !== undefined) {
        await insertAudit(tx, actor, {
          action: 'session.delete',
          entity: 'account',
          entityId: accountId,
        });
      }
    });
  }
}
