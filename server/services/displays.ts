/**
 * Display credentials (大屏授权): how an unattended wall reads the wall without a person's account.
 * The city administrator (`wall.manage`) issues a key, shown once, of which only the hash is kept;
 * the wall trades it for an HttpOnly cookie (`mq_display`) and reads the wall's aggregates with
 * it, nothing else (a display is no Actor, so every other endpoint treats it as the public).
 * Revoking the key, or its expiry, ends that access in every process within {@link CACHE_MS}:
 * the database is the truth and a lookup is trusted no longer than that.
 *
 * @example
 * const { url } = await displays.issue(city, { name: '市指挥中心 主屏', expiresInDays: 365 });
 * // url: '/wall#key=…' — the wall posts the key to /api/wall/display-session
 * await displays.revoke(city, id); // the wall's next request after ≤ 2 s gets a 401
 */
import { randomBytes } from 'node:crypto';
import type { Display, DisplayIssued, WallViewerInfo } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import { insertAudit } from '../db/queries/audit.ts';
import * as q from '../db/queries/displays.ts';
import { requireCapability, type Actor } from './actors.ts';
import { invalid, notFound, unauthenticated } from './domain-error.ts';
import { credentialTerms, KeyLookup, type KeyFound } from './key-lookup.ts';
import { hashToken } from './sessions.ts';
import type { DisplayPrincipal, WallViewer } from './wall-viewer.ts';

export const DISPLAY_COOKIE = 'mq_display';
/** How long any process trusts a key it looked up: the bound on a revocation's delay. */
export const CACHE_MS = 2_000;
/** A display's use is written at most this often (per address). */
export const TOUCH_SECONDS = 60;
/** The longest a cookie lives in the browser (browsers cap Max-Age at 400 days). */
export const COOKIE_MAX_SECONDS = 400 * 86_400;
export const NAME_MAX = 60;
export const EXPIRES_MAX_DAYS = 3650;

/** What the wall's live stream re-checks while it runs (implemented by {@link Displays}). */
export interface DisplayCheck {
  /** Whether the display's key is still usable (not revoked, not expired), as of ≤ 2 s ago. */
  stillValid(d: DisplayPrincipal): Promise<boolean>;
}

export interface IssueInput {
  name: string;
  playlistId?: number | null;
  expiresInDays?: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A credential as its managers see it: never the key, never its hash. */
function displayJson(r: q.DisplayRow): Display {
  return {
    id: r.id,
    name: r.name,
    playlistId: r.playlistId,
    createdAt: iso(r.createdAt)!,
    createdBy: r.createdBy,
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    revokedBy: r.revokedBy,
    lastSeenAt: iso(r.lastSeenAt),
    status: r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'active',
  };
}

const manager = (actor: Actor | null) =>
  requireCapability(actor, 'wall.manage', "manage the wall's display keys");

export class Displays implements DisplayCheck {
  /** Last recorded use per display in this process: id → when and from where. */
  private readonly touched = new Map<number, { at: number; address: string }>();
  private readonly keys: KeyLookup<DisplayPrincipal>;

  constructor(
    private readonly db: Db,
    options: { cacheMs?: number } = {},
  ) {
    this.keys = new KeyLookup(async (tokenHash) => {
      const row = await q.findUsableDisplay(this.db, tokenHash);
      return {
        principal: row
          ? { id: row.id, name: row.name, playlistId: row.playlistId, tokenHash }
          : null,
        expiresAt: row?.expiresAt ?? null,
      };
    }, options.cacheMs ?? CACHE_MS);
  }

  async issue(actor: Actor | null, input: IssueInput): Promise<DisplayIssued> {
    const a = manager(actor);
    const { name, days } = credentialTerms(input, NAME_MAX, EXPIRES_MAX_DAYS);
    const key = randomBytes(32).toString('base64url');
    const display = await this.db.kysely.transaction().execute(async (tx) => {
      const playlistId = input.playlistId ?? null;
      if (playlistId !== null && !(await q.playlistExists(tx, playlistId)))
        throw invalid(
          'no_such_playlist',
          `parameter 'playlistId': there is no playlist with id ${playlistId}`,
          'playlistId',
        );
      const id = await q.insertDisplay(tx, {
        name,
        tokenHash: hashToken(key),
        playlistId,
        createdBy: a.accountId,
        expiresInDays: days,
      });
      const created = displayJson((await q.findDisplay(tx, id))!);
      await insertAudit(tx, a, {
        action: 'display.issue',
        entity: 'display',
        entityId: id,
        after: created,
      });
      return created;
    });
    // A fragment never reaches a server's log or a proxy's.
    return { display, key, url: `/wall#key=${key}` };
  }

  async list(actor: Actor | null): Promise<{ items: Display[] }> {
    manager(actor);
    return { items: (await q.listDisplays(this.db)).map(displayJson) };
  }

  /** Revokes a key (again: no change, no second audit row); every wall using it stops ≤ 2 s later. */
  async revoke(actor: Actor | null, id: number): Promise<Display> {
    const a = manager(actor);
    const display = await this.db.kysely.transaction().execute(async (tx) => {
      const before = await q.findDisplay(tx, id);
      if (!before) throw notFound('display_not_found', `No display key with id ${id}`, 'id');
      if (!(await q.revokeDisplay(tx, id, a.accountId))) return displayJson(before);
      const after = displayJson((await q.findDisplay(tx, id))!);
      await insertAudit(tx, a, {
        action: 'display.revoke',
        entity: 'display',
        entityId: id,
        before: displayJson(before),
        after,
      });
      return after;
    });
    this.forget(id);
    return display;
  }

  /**
   * The display of a key (from the `mq_display` cookie), or null when it is unknown, revoked or
   * expired. With `address`, records the use (at most once a minute per address).
   */
  async resolve(token: string | undefined, address?: string): Promise<DisplayPrincipal | null> {
    // A key is 43 characters; anything far longer is not one (and is not worth hashing).
    if (!token || token.length > 100) return null;
    const principal = await this.byHash(hashToken(token));
    if (principal && address !== undefined) await this.touch(principal.id, address);
    return principal;
  }

  async stillValid(d: DisplayPrincipal): Promise<boolean> {
    const now = await this.byHash(d.tokenHash);
    return now?.id === d.id;
  }

  /**
   * A wall adopting its key: the display and how long its cookie may live (until the key
   * expires, at most 400 days). The first session from each address is audited.
   */
  async openSession(
    key: string,
    address: string,
  ): Promise<{ display: DisplayPrincipal; maxAgeSeconds: number }> {
    const token = key.trim();
    const { principal: display, expiresAt } =
      token && token.length <= 100
        ? await this.lookup(hashToken(token))
        : { principal: null, expiresAt: null };
    if (!display)
      throw unauthenticated(
        'display_key_invalid',
        'This display key is not valid: it was revoked, has expired or was copied incompletely. ' +
          'Ask the city administrator for a new wall link (大屏管理 → 大屏授权).',
      );
    await this.touch(display.id, address);
    await this.db.kysely.transaction().execute(async (tx) => {
      if (await q.sessionSeenFrom(tx, display.id, address)) return;
      await q.insertDisplayAudit(tx, display, {
        action: 'display.session',
        after: { name: display.name, address },
      });
    });
    const untilExpiry =
      expiresAt === null ? COOKIE_MAX_SECONDS : Math.floor((expiresAt - Date.now()) / 1000);
    return { display, maxAgeSeconds: Math.max(1, Math.min(COOKIE_MAX_SECONDS, untilExpiry)) };
  }

  /** Who is looking at the wall, as the wall may show it. */
  viewerInfo(viewer: WallViewer): WallViewerInfo {
    return viewer.kind === 'display'
      ? { kind: 'display', name: viewer.display.name, playlistId: viewer.display.playlistId }
      : { kind: 'account', name: viewer.actor.displayName, playlistId: null };
  }

  private async byHash(tokenHash: string): Promise<DisplayPrincipal | null> {
    return (await this.lookup(tokenHash)).principal;
  }

  /** The display of a key's hash and when the key expires, from the cache when fresh enough. */
  private lookup(tokenHash: string): Promise<KeyFound<DisplayPrincipal>> {
    return this.keys.find(tokenHash);
  }

  private async touch(id: number, address: string) {
    const now = Date.now();
    const last = this.touched.get(id);
    if (last && last.address === address && now - last.at < TOUCH_SECONDS * 1000) return;
    this.touched.set(id, { at: now, address });
    await q.touchDisplay(this.db, id, address, TOUCH_SECONDS);
  }

  /** Drops a revoked display from this process's cache at once. */
  private forget(id: number) {
    this.keys.forget(id);
    this.touched.delete(id);
  }
}
