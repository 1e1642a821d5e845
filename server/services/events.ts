/**
 * Live events: every write sends one with pg_notify inside its transaction, so subscribers hear
 * of it only once it is committed, on PostgreSQL (LISTEN/NOTIFY, across every server process) and
 * on PGlite (in-process notifications) alike. The hub fans each event out to the SSE streams
 * whose account may see the record.
 */
import { sql } from 'kysely';
import { HAZARD_DEPARTMENT } from '../../geo/operations.ts';
import type { Db } from '../db/client.ts';
import type { Executor } from '../db/queries/audit.ts';
import type { Actor } from './actors.ts';

export const EVENTS_CHANNEL = 'minqing_events';

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
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`.execute(tx);
}

/** The same rules as `scopeCondition`, for one event instead of a table. */
export function canSee(actor: Actor, e: LiveEvent): boolean {
  const { scope } = actor;
  if (actor.role === 'planner') return false; // no personal data, and events carry titles' codes
  if (scope.kind === 'city') return true;
  if (scope.kind === 'area') {
    if (actor.role === 'sentinel') {
      return e.kind === 'ticket' && e.audience.reporterAccountId === actor.accountId;
    }
    return e.areaIds[scope.level as keyof AreaIds] === scope.id;
  }
  const companies = e.audience.propertyCompanyIds;
  const departments = e.audience.departmentIds;
  const mine =
    scope.kind === 'property_company'
      ? companies.includes(scope.id!)
      : departments.includes(scope.id!);
  switch (e.kind) {
    case 'ticket':
      return mine && e.status !== 'received';
    case 'whistle':
      return mine;
    case 'hazard':
      return scope.kind === 'property_company'
        ? e.audience.compoundCompanyId === scope.id
        : HAZARD_DEPARTMENT[e.category as keyof typeof HAZARD_DEPARTMENT] === scope.code;
    case 'patrol':
      return false;
  }
}

type Listener = (event: Omit<LiveEvent, 'audience'>) => void;

export class EventHub {
  private readonly subscribers = new Map<Listener, Actor>();
  private readonly observers = new Set<(event: LiveEvent) => void>();
  private unlisten: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: Db) {}

  /** Starts listening; retries every few seconds while the database is unreachable. */
  start(): Promise<void> {
    this.starting ??= this.listenUntilUp();
    return this.starting;
  }

  private async listenUntilUp(): Promise<void> {
    while (!this.closed) {
      try {
        this.unlisten = await this.db.listen(EVENTS_CHANNEL, (payload) => this.dispatch(payload));
        return;
      } catch (err) {
        console.error(`live events: cannot listen yet (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 3000));
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
    for (const [listener, actor] of this.subscribers) {
      if (canSee(actor, event)) listener(visible);
    }
  }

  subscribe(actor: Actor, listener: Listener): () => void {
    this.subscribers.set(listener, actor);
    return () => this.subscribers.delete(listener);
  }

  /** Every event, unfiltered: for server-side reactions such as dropping cached reads. */
  onAny(observe: (event: LiveEvent) => void): () => void {
    this.observers.add(observe);
    return () => this.observers.delete(observe);
  }

  get size() {
    return this.subscribers.size;
  }

  async close() {
    this.closed = true;
    this.subscribers.clear();
    await this.starting;
    await this.unlisten?.().catch(() => {});
  }
}
