/**
 * API keys: how another system reads or writes without a person's browser session — QGIS and GDAL
 * reading the OGC API and the vector tiles, a city system filing Open311 requests. The city
 * administrator (`accounts.manage` over the whole city) issues a key FOR an account: the key acts
 * as that account (its role's capabilities, area and field rules: a planner's key reads no
 * personal data) within the key's scopes (`read`, `open311`). The key is shown once; only its hash
 * is kept. Revoking it, its expiry, or disabling the account ends it in every process within
 * {@link CACHE_MS}.
 *
 * @example
 * const { key } = await keys.issue(city, { name: '规划局 QGIS', username: 'planner', scopes: ['read'] });
 * // ogrinfo "OAPIF:http://host/ogc" --config GDAL_HTTP_HEADERS "X-API-Key: <key>"
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import * as q from '../db/queries/api-keys.ts';
import { findManagedAccountByUsername } from '../db/queries/accounts.ts';
import { insertAudit } from '../db/queries/audit.ts';
import type { ApiKeyScope } from '../db/schema.ts';
import { actorFromAccount, requireCapability, type Actor } from './actors.ts';
import { forbidden, invalid, notFound } from './domain-error.ts';
import { credentialTerms, KeyLookup } from './key-lookup.ts';
import { hashToken } from './sessions.ts';

export const API_KEY_SCOPES = ['read', 'open311'] as const satisfies readonly ApiKeyScope[];
/** How long any process trusts a key it looked up: the bound on a revocation's delay. */
export const CACHE_MS = 2_000;
/** A key's use is written at most this often. */
export const TOUCH_SECONDS = 60;
export const NAME_MAX = 60;
export const EXPIRES_MAX_DAYS = 3650;
/** Keys start with this, so a leaked one is recognisable in logs and by secret scanners. */
export const KEY_PREFIX = 'mq_';

/** What a request carrying a usable key acts as. */
export interface ApiKeyPrincipal {
  id: number;
  name: string;
  scopes: readonly ApiKeyScope[];
  actor: Actor;
}

export interface ApiKeyJson {
  id: number;
  name: string;
  accountId: number;
  username: string;
  scopes: ApiKeyScope[];
  /** The key's first characters, to tell keys apart; never enough to use one. */
  prefix: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  status: 'active' | 'revoked' | 'expired';
}

export interface IssueApiKeyInput {
  name: string;
  /** The account the key acts as. */
  username: string;
  scopes: ApiKeyScope[];
  expiresInDays?: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function keyJson(r: q.ApiKeyRow): ApiKeyJson {
  return {
    id: r.id,
    name: r.name,
    accountId: r.accountId,
    username: r.username,
    scopes: r.scopes,
    prefix: r.prefix,
    createdAt: iso(r.createdAt)!,
    createdBy: r.createdBy,
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    revokedBy: r.revokedBy,
    lastUsedAt: iso(r.lastUsedAt),
    status: r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'active',
  };
}

/** Only the city's administrator: a key reaches past any one area's account management. */
function manager(actor: Actor | null): Actor {
  const a = requireCapability(actor, 'accounts.manage', 'manage API keys');
  if (a.scope.kind !== 'city')
    throw forbidden('city_only', 'Only the city administrator issues and revokes API keys.');
  return a;
}

export class ApiKeys {
  private readonly touched = new Map<number, number>();
  private readonly keys: KeyLookup<ApiKeyPrincipal>;

  constructor(private readonly db: Db) {
    this.keys = new KeyLookup(async (tokenHash) => {
      const row = await q.findUsableApiKey(this.db, tokenHash);
      return {
        principal: row
          ? { id: row.keyId, name: row.keyName, scopes: row.scopes, actor: actorFromAccount(row) }
          : null,
        expiresAt: row?.expiresAtMs ?? null,
      };
    }, CACHE_MS);
  }

  async issue(
    actor: Actor | null,
    input: IssueApiKeyInput,
  ): Promise<{ apiKey: ApiKeyJson; key: string }> {
    const a = manager(actor);
    const { name, days } = credentialTerms(input, NAME_MAX, EXPIRES_MAX_DAYS);
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0 || scopes.some((s) => !API_KEY_SCOPES.includes(s)))
      throw invalid(
        'field_invalid',
        `parameter 'scopes' must list one or more of ${API_KEY_SCOPES.join(', ')}`,
        'scopes',
      );
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const apiKey = await this.db.kysely.transaction().execute(async (tx) => {
      const account = await findManagedAccountByUsername(tx, input.username);
      if (!account)
        throw invalid(
          'no_such_account',
          `parameter 'username': there is no account named '${input.username}'`,
          'username',
        );
      if (account.disabled)
        throw invalid(
          'account_disabled',
          `parameter 'username': the account '${input.username}' is disabled`,
          'username',
        );
      const id = await q.insertApiKey(tx, {
        name,
        accountId: account.id,
        scopes,
        tokenHash: hashToken(key),
        prefix: key.slice(0, 8),
        createdBy: a.accountId,
        expiresInDays: days,
      });
      const created = keyJson((await q.findApiKey(tx, id))!);
      await insertAudit(tx, a, {
        action: 'api_key.issue',
        entity: 'api_key',
        entityId: id,
        after: created,
      });
      return created;
    });
    return { apiKey, key };
  }

  async list(actor: Actor | null): Promise<{ items: ApiKeyJson[] }> {
    manager(actor);
    return { items: (await q.listApiKeys(this.db)).map(keyJson) };
  }

  /** Revokes a key (again: no change, no second audit row); it stops working ≤ 2 s later. */
  async revoke(actor: Actor | null, id: number): Promise<ApiKeyJson> {
    const a = manager(actor);
    const apiKey = await this.db.kysely.transaction().execute(async (tx) => {
      const before = await q.findApiKey(tx, id);
      if (!before) throw notFound('api_key_not_found', `No API key with id ${id}`, 'id');
      if (!(await q.revokeApiKey(tx, id, a.accountId))) return keyJson(before);
      const after = keyJson((await q.findApiKey(tx, id))!);
      await insertAudit(tx, a, {
        action: 'api_key.revoke',
        entity: 'api_key',
        entityId: id,
        before: keyJson(before),
        after,
      });
      return after;
    });
    this.forget(id);
    return apiKey;
  }

  /** The principal of a key, or null when it is unknown, revoked, expired or its account disabled. */
  async resolve(token: string | undefined): Promise<ApiKeyPrincipal | null> {
    // A key is 46 characters; anything far longer is not one (and is not worth hashing).
    if (!token || token.length > 100) return null;
    const { principal } = await this.keys.find(hashToken(token));
    if (!principal) return null;
    await this.touch(principal.id);
    return principal;
  }

  private async touch(id: number) {
    const now = Date.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TOUCH_SECONDS * 1000) return;
    this.touched.set(id, now);
    await q.touchApiKey(this.db, id, TOUCH_SECONDS);
  }

  private forget(id: number) {
    this.keys.forget(id);
  }
}
