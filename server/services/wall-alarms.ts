/**
 * The command-center wall's alarms and its live feed. An alarm is raised once per record: a
 * critical hazard in the transaction that takes it in, a late whistle or an overdue ticket in a
 * red compound by the deadline sweep. Every alarm raised or acknowledged is NOTIFYed on the wall
 * channel, so every process's wall streams hear of it once it commits.
 *
 * The feed turns the live events into the wall's ticks once per event, whatever the number of
 * walls: a kind, a status, a category code, a district and a rounded position; never a code, a
 * title, an actor or a resident.
 */
import type { WallTick } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import { insertAudit, type Executor } from '../db/queries/audit.ts';
import * as q from '../db/queries/wall-alarms.ts';
import type { Actor } from '../policy.ts';
import { requireCapability } from './actors.ts';
import { forbidden, invalid, notFound } from './domain-error.ts';
import { isRevoked, notifyWall, type EventHub, type LiveEvent } from './events.ts';
import type { DisplayCheck } from './displays.ts';
import type { DisplayPrincipal, WallViewer } from './wall-viewer.ts';

export type { AlarmRow } from '../db/queries/wall-alarms.ts';

/** Whether a display's key still holds: server/services/displays.ts (class Displays). */
export type { DisplayCheck } from './displays.ts';

/** Hours of alarms the workspace and the wall read back, at most and by default. */
export const ALARM_HOURS = { max: 48, default: 24 } as const;
const ALARM_LIST_LIMIT = 200;

/** Raises a critical hazard's alarm in its intake transaction; nothing for a lesser one. */
export async function raiseHazardAlarm(tx: Executor, hazardId: number): Promise<void> {
  const alarm = await q.raiseHazardAlarm(tx, hazardId);
  if (alarm) await notifyWall(tx, { type: 'alarm', alarm });
}

/** The alarms of the last `hours`, newest first, for any wall viewer. */
export async function listWallAlarms(
  db: Db,
  _viewer: WallViewer,
  hours: number,
  now = new Date(),
): Promise<{ asOf: string; items: q.AlarmRow[] }> {
  if (!Number.isInteger(hours) || hours < 1 || hours > ALARM_HOURS.max) {
    throw invalid('bad_hours', `parameter 'hours' must be a whole number from 1 to 48`, 'hours');
  }
  const items = await q.listAlarms(
    db,
    new Date(now.getTime() - hours * 3600_000),
    ALARM_LIST_LIMIT,
  );
  return { asOf: now.toISOString(), items };
}

/**
 * Acknowledges an alarm: the city any, a district those of its own district. A second
 * acknowledgement changes nothing and keeps the first acknowledger.
 */
export async function acknowledgeWallAlarm(
  db: Db,
  actor: Actor | null,
  id: number,
): Promise<q.AlarmRow> {
  const a = requireCapability(actor, 'wall.ack', "acknowledge the wall's alarms");
  return db.kysely.transaction().execute(async (tx) => {
    const alarm = await q.findAlarm(tx, id, true);
    if (!alarm) throw notFound('alarm_not_found', `No wall alarm with id ${id}`);
    if (a.scope.kind !== 'city' && a.scope.id !== alarm.district.id) {
      throw forbidden(
        'outside_scope',
        `Alarm ${id} is in ${alarm.district.name}, outside your area (${a.scope.name}).`,
      );
    }
    if (alarm.acknowledgedAt) return alarm;
    const at = new Date();
    const after = (await q.acknowledgeAlarm(tx, id, {
      accountId: a.accountId,
      name: `${a.displayName}（${a.scope.name}）`,
      at,
    }))!;
    await insertAudit(tx, a, {
      action: 'wall_alarm.ack',
      entity: 'wall_alarm',
      entityId: id,
      areaPath: [alarm.district.id],
      before: { acknowledgedAt: null },
      after: { kind: after.kind, acknowledgedAt: after.acknowledgedAt },
    });
    await notifyWall(tx, { type: 'ack', alarm: after });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// The deadline sweep

/** How often every server process sweeps. */
export const SWEEP_INTERVAL_MS = 15_000;
/** The first sweep ever looks back this far, so that a fresh start does not flood the wall. */
const FIRST_LOOKBACK_MS = 10 * 60_000;
/**
 * After an outage the sweep catches up at most this far: deadlines passed while no server ran
 * longer ago than this are history, not alarms.
 */
const MAX_CATCH_UP_MS = 60 * 60_000;

const SWEEPS: { name: string; raise: typeof q.raiseLateWhistles }[] = [
  { name: 'whistle_late', raise: q.raiseLateWhistles },
  { name: 'ticket_overdue_red', raise: q.raiseOverdueRedTickets },
];

/**
 * Raises the deadline alarms: for each kind, in one transaction, it locks the kind's watermark,
 * raises the alarms whose deadline passed in (watermark, now], advances the watermark and
 * NOTIFYs each new alarm. Processes sweeping at once take turns on the lock, so each alarm is
 * raised (and announced) once.
 */
export class AlarmSweeper {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  /** Sweeps now and then every interval, until `stop`. Errors are logged, never thrown. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      // One sweep at a time in a process: a slow database must not pile them up.
      if (this.running) return;
      this.running = this.sweep()
        .catch((err: unknown) =>
          console.error(`wall alarms: sweep failed (${(err as Error).message}); will retry`),
        )
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    tick();
  }

  /** Stops sweeping; resolves once a sweep under way has ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep up to `now`: the alarms it raised (none when another process got there first). */
  async sweep(now = new Date()): Promise<q.AlarmRow[]> {
    const raised: q.AlarmRow[] = [];
    for (const s of SWEEPS) {
      raised.push(
        ...(await this.db.kysely.transaction().execute(async (tx) => {
          const watermark = await q.lockSweep(
            tx,
            s.name,
            new Date(now.getTime() - FIRST_LOOKBACK_MS),
          );
          const from = new Date(Math.max(watermark.getTime(), now.getTime() - MAX_CATCH_UP_MS));
          if (from >= now) return [];
          const alarms = await s.raise(tx, from, now);
          await q.advanceSweep(tx, s.name, now);
          for (const alarm of alarms) await notifyWall(tx, { type: 'alarm', alarm });
          return alarms;
        })),
      );
    }
    return raised;
  }
}

// ---------------------------------------------------------------------------------------------
// The live feed

/** The wall's kinds of message; `data` is JSON, serialized once for every wall. */
export interface WallMessage {
  event: 'tick' | 'alarm' | 'ack';
  data: string;
}

/** District names are looked up again at most this often (they hardly ever change). */
const NAMES_TTL_MS = 10 * 60_000;
/** A display key's validity is shared by every stream of that key for this long. */
const DISPLAY_CHECK_TTL_MS = 1_500;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** What a wall may know of a live event: nothing that names a record or a person. */
export function wallTick(e: LiveEvent, districtName: string): WallTick {
  return {
    kind: e.kind,
    op: e.op,
    status: e.status,
    category: e.category,
    district: { id: e.areaIds.district, name: districtName },
    position: e.position ? [round3(e.position[0]), round3(e.position[1])] : null,
    at: e.at,
  };
}

interface FeedListener {
  send: (m: WallMessage) => void;
  end: () => void;
}

/**
 * One subscription to the hub for all the walls of this process: each event becomes one tick,
 * serialized once, handed to every wall stream. No wall stream queries the database, except
 * for its viewer's check, which streams of the same display share.
 */
export class WallFeed {
  private readonly listeners = new Set<FeedListener>();
  private names: Map<number, string> = new Map();
  private namesAt = 0;
  private namesLoading: Promise<void> | null = null;
  /** Ticks leave in the order the events came, even while the names are being read. */
  private chain: Promise<void> = Promise.resolve();
  private readonly checks = new Map<string, { at: number; valid: Promise<boolean> }>();
  private readonly unhook: (() => void)[];

  constructor(
    private readonly db: Db,
    private readonly hub: EventHub,
    private readonly displays?: DisplayCheck,
  ) {
    this.unhook = [
      hub.onAny((e) => this.onEvent(e)),
      hub.onWall((n) => this.broadcast({ event: n.type, data: JSON.stringify(n.alarm) })),
    ];
  }

  /** Hands every wall message to `send` until unsubscribed; `end` is called if the feed closes. */
  subscribe(send: (m: WallMessage) => void, end: () => void = () => {}): () => void {
    const l = { send, end };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get size() {
    return this.listeners.size;
  }

  /** Calls `end` once the session is revoked, in any process (a sign-out, a disabled account). */
  onSessionRevoked(session: { tokenHash: string; accountId: number }, end: () => void) {
    return this.hub.onRevoked((r) => {
      if (isRevoked(r, session.tokenHash, session.accountId)) end();
    });
  }

  /**
   * Whether a display's key still holds; streams of the same display share one answer for a
   * moment. Without a DisplayCheck nothing can vouch for a display, so none is kept. A failed
   * check (the database away) keeps the wall: nothing can be revoked while it is away either.
   */
  displayStillValid(d: DisplayPrincipal): Promise<boolean> {
    if (!this.displays) return Promise.resolve(false);
    const now = Date.now();
    const hit = this.checks.get(d.tokenHash);
    if (hit && now - hit.at < DISPLAY_CHECK_TTL_MS) return hit.valid;
    for (const [k, v] of this.checks) if (now - v.at >= DISPLAY_CHECK_TTL_MS) this.checks.delete(k);
    const valid = this.displays.stillValid(d).catch((err: unknown) => {
      console.error(`wall stream: display check failed (${(err as Error).message})`);
      return true;
    });
    this.checks.set(d.tokenHash, { at: now, valid });
    return valid;
  }

  /** Ends every stream (the server is closing) and stops listening. */
  close(): void {
    for (const u of this.unhook) u();
    const ending = [...this.listeners];
    this.listeners.clear();
    for (const l of ending) l.end();
  }

  private broadcast(m: WallMessage) {
    for (const l of this.listeners) l.send(m);
  }

  private onEvent(e: LiveEvent) {
    // With no wall watching there is nothing to build.
    if (this.listeners.size === 0) return;
    this.chain = this.chain
      .then(async () => {
        const name = await this.districtName(e.areaIds.district);
        this.broadcast({ event: 'tick', data: JSON.stringify(wallTick(e, name)) });
      })
      .catch((err: unknown) =>
        console.error(`wall stream: cannot build a tick (${(err as Error).message})`),
      );
  }

  private async districtName(id: number): Promise<string> {
    if (Date.now() - this.namesAt >= NAMES_TTL_MS) {
      this.namesLoading ??= q
        .districtNames(this.db)
        .then((names) => {
          this.names = names;
          this.namesAt = Date.now();
        })
        .catch((err: unknown) => {
          console.error(`wall stream: cannot read district names (${(err as Error).message})`);
          // Not again for half a minute: a database away must not be asked on every event.
          this.namesAt = Date.now() - NAMES_TTL_MS + 30_000;
        })
        .finally(() => {
          this.namesLoading = null;
        });
      await this.namesLoading;
    }
    return this.names.get(id) ?? '';
  }
}
