/**
 * Live events: every write sends one with pg_notify inside its transaction, so subscribers hear
 * of it only once it is committed, on PostgreSQL (LISTEN/NOTIFY, across every server process) and
 * on PGlite (in-process notifications) alike. The hub fans each event out to the SSE streams
 * whose account may see the record.
 *
 * Ended sessions travel the same way on a channel of their own: every process forgets them at
 * once and closes their streams. So do the command-center wall's alarms, raised or acknowledged.
 */
import type { Db } from '../db/client.ts';
import type { Executor } from '../db/queries/audit.ts';
import { pgNotify } from '../db/queries/notify.ts';
import type { AlarmRow } from '../db/queries/wall-alarms.ts';
import { matchesRule, NOUN_OF_KIND, readRule, type Actor, type ScopedRecord } from '../policy.ts';

export const EVENTS_CHANNEL = 'minqing_events';
export const SESSIONS_CHANNEL = 'minqing_sessions';
export const WALL_CHANNEL = 'minqing_wall';

export interface AreaIds {
  district: number;
  subdistrict: number;
  community: number;
  grid: number;
  compound: number | null;
}

export interface LiveEvent {
  kind: 'ticket' | 'whistle' | 'hazard' | 'patrol';
  op: 'created' | 'updated';
  id: number;
  code: string | null;
  status: string;
  category: string | null;
  position: [number, number] | null;
  areaIds: AreaIds;
  at: string;
  actor: string;
  /** What scope checks need; not sent to clients. */
  audience: {
    propertyCompanyIds: number[];
    departmentIds: number[];
    reporterAccountId: number | null;
    /** Hazards: the company managing the compound. */
    compoundCompanyId: number | null;
  };
}

export async function notify(tx: Executor, event: LiveEvent): Promise<void> {
  await pgNotify(tx, EVENTS_CHANNEL, JSON.stringify(event));
}

/**
 * Sessions that no longer hold: the ones with these token hashes (a sign-out), or every one of an
 * account (disabled, password changed), except perhaps the session that asked for it.
 */
export interface SessionsRevoked {
  tokenHashes?: string[];
  accountId?: number;
  exceptTokenHash?: string;
}

/**
 * Tells every app process, once the transaction commits, that these sessions ended. Call it in
 * the transaction that deletes them (sign-out, disabling an account, a new password).
 */
export async function notifySessionsRevoked(tx: Executor, r: SessionsRevoked): Promise<void> {
  await pgNotify(tx, SESSIONS_CHANNEL, JSON.stringify(r));
}

/** A wall alarm raised (`alarm`) or acknowledged (`ack`), as every wall's stream shows it. */
export interface WallNotice {
  type: 'alarm' | 'ack';
  alarm: AlarmRow;
}

/** Tells every app process's wall streams, once the transaction commits, of an alarm. */
export async function notifyWall(tx: Executor, notice: WallNotice): Promise<void> {
  await pgNotify(tx, WALL_CHANNEL, JSON.stringify(notice));
}

/** Whether a session (its token hash and account) is among those revoked. */
export function isRevoked(r: SessionsRevoked, tokenHash: string, accountId: number): boolean {
  if (r.tokenHashes?.includes(tokenHash)) return true;
  return r.accountId === accountId && r.exceptTokenHash !== tokenHash;
}

/** The event as the read rules see its record. */
export function scopedRecordOf(e: LiveEvent): ScopedRecord {
  return {
    areaIds: e.areaIds,
    status: e.status,
    category: e.category,
    reporterAccountId: e.audience.reporterAccountId,
    propertyCompanyIds: e.audience.propertyCompanyIds,
    departmentIds: e.audience.departmentIds,
    compoundCompanyId: e.audience.compoundCompanyId,
  };
}

/** Whether an actor may see an event: the read rule of its noun, as SQL applies it to rows. */
export function canSee(actor: Actor, e: LiveEvent): boolean {
  return matchesRule(readRule(actor, NOUN_OF_KIND[e.kind]), scopedRecordOf(e));
}

type Listener = (event: Omit<LiveEvent, 'audience'>) => void;

interface Subscriber {
  actor: Actor;
  /** The stream's session, so that revoking it ends the stream. */
  tokenHash: string | undefined;
  end: (why: 'revoked' | 'closing') => void;
}

export class EventHub {
  private readonly subscribers = new Map<Listener, Subscriber>();
  private readonly observers = new Set<(event: LiveEvent) => void>();
  private readonly revocationObservers = new Set<(r: SessionsRevoked) => void>();
  private readonly wallObservers = new Set<(notice: WallNotice) => void>();
  private unlisten: (() => Promise<void>)[] = [];
  private starting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: Db) {}

  /** Starts listening; retries every few seconds while the database is unreachable. */
  start(): Promise<void> {
    this.starting ??= this.listenUntilUp();
    return this.starting;
  }

  private async listenUntilUp(): Promise<void> {
    const channels: [string, (payload: string) => void][] = [
      [EVENTS_CHANNEL, (payload) => this.dispatch(payload)],
      [SESSIONS_CHANNEL, (payload) => this.dispatchRevoked(payload)],
      [WALL_CHANNEL, (payload) => this.dispatchWall(payload)],
    ];
    for (const [channel, onPayload] of channels) {
      while (!this.closed) {
        try {
          this.unlisten.push(await this.db.listen(channel, onPayload));
          break;
        } catch (err) {
          console.error(`live events: cannot listen yet (${(err as Error).message}); retrying`);
          await new Promise((r) => setTimeout(r, 3000));
        }
      }
    }
  }

  private dispatch(payload: string) {
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      return;
    }
    for (const observe of this.observers) observe(event);
    const { audience: _audience, ...visible } = event;
    for (const [listener, { actor }] of this.subscribers) {
      if (canSee(actor, event)) listener(visible);
    }
  }

  private dispatchRevoked(payload: string) {
    let revoked: SessionsRevoked;
    try {
      revoked = JSON.parse(payload) as SessionsRevoked;
    } catch {
      return;
    }
    for (const observe of this.revocationObservers) observe(revoked);
    for (const [listener, s] of this.subscribers) {
      if (s.tokenHash && isRevoked(revoked, s.tokenHash, s.actor.accountId)) {
        this.subscribers.delete(listener);
        s.end('revoked');
      }
    }
  }

  private dispatchWall(payload: string) {
    let notice: WallNotice;
    try {
      notice = JSON.parse(payload) as WallNotice;
    } catch {
      return;
    }
    for (const observe of this.wallObservers) observe(notice);
  }

  /**
   * Delivers the events `actor` may see to `listener` until unsubscribed; `end` is called once,
   * after which nothing more is delivered, when the session `tokenHash` is revoked or the hub
   * closes.
   */
  subscribe(
    actor: Actor,
    listener: Listener,
    session: { tokenHash?: string; end?: (why: 'revoked' | 'closing') => void } = {},
  ): () => void {
    this.subscribers.set(listener, {
      actor,
      tokenHash: session.tokenHash,
      end: session.end ?? (() => {}),
    });
    return () => this.subscribers.delete(listener);
  }

  /** Every event, unfiltered: for server-side reactions such as dropping cached reads. */
  onAny(observe: (event: LiveEvent) => void): () => void {
    this.observers.add(observe);
    return () => this.observers.delete(observe);
  }

  /** Every revocation, from this process or another: for dropping cached sessions. */
  onRevoked(observe: (r: SessionsRevoked) => void): () => void {
    this.revocationObservers.add(observe);
    return () => this.revocationObservers.delete(observe);
  }

  /** Every wall alarm raised or acknowledged, from this process or another. */
  onWall(observe: (notice: WallNotice) => void): () => void {
    this.wallObservers.add(observe);
    return () => this.wallObservers.delete(observe);
  }

  get size() {
    return this.subscribers.size;
  }

  async close() {
    this.closed = true;
    // Streams end with the hub instead of waiting for events that will never come.
    const ending = [...this.subscribers.values()];
    this.subscribers.clear();
    for (const s of ending) s.end('closing');
    await this.starting;
    await Promise.all(this.unlisten.map((u) => u().catch(() => {})));
  }
}
