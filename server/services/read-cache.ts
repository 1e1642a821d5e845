import { NOUN_OF_KIND, type Noun } from '../policy.ts';

/** The kinds of record a cached read is computed from: a write to one of them may change it. */
export type CacheNoun = Noun;

export const CACHE_NOUNS: readonly CacheNoun[] = ['tickets', 'hazards', 'whistles', 'patrols'];

/**
 * What a cached answer depends on, so that a write drops only the answers it can change.
 *
 * @example
 * // A community's KPIs: tickets, hazards and whistles inside community 812.
 * { nouns: ['tickets', 'hazards', 'whistles'], area: 812 }
 * // A ticket layer's viewport: tickets inside the box, anywhere in the city.
 * { nouns: ['tickets'], bbox: [103.8, 36.0, 103.9, 36.1] }
 */
export interface CacheTags {
  nouns: readonly CacheNoun[];
  /** The area whose subtree the answer covers; absent for the whole city. */
  area?: number;
  /** The answer holds only records inside this box [west, south, east, north]. */
  bbox?: readonly [number, number, number, number];
  /** Counts or KPIs over many records, which may lag writes briefly (see {@link ReadCache}). */
  aggregate?: boolean;
}

/** Until told otherwise, an answer depends on everything, anywhere. */
const EVERYTHING: CacheTags = { nouns: CACHE_NOUNS };

/** A committed write, as its live event describes it. */
export interface CacheChange {
  kind: 'ticket' | 'whistle' | 'hazard' | 'patrol';
  /** The record's areas, district to compound. */
  areaIds: { [L in 'district' | 'subdistrict' | 'community' | 'grid' | 'compound']: number | null };
  position: [number, number] | null;
}

/** With a margin for coordinates rounded on their way into the event. */
const inBox = ([x, y]: [number, number], [w, s, e, n]: readonly number[]) =>
  x >= w! - 1e-6 && x <= e! + 1e-6 && y >= s! - 1e-6 && y <= n! + 1e-6;

interface Entry {
  tags: CacheTags;
  value: Promise<unknown>;
  /** When the load began (epoch ms): the answer is as of then. */
  at: number;
  /** The sequence number when the load began; undefined while it waits for the one before. */
  startSeq: number | undefined;
  /** The sequence number of the last write that touched the answer after its load began. */
  staleSeq: number;
  settled: boolean;
  /** How long the load took (ms), once settled. */
  costMs: number;
  /** Aggregates: the answer before, served while this one loads. */
  previous?: Entry;
}

/** An aggregate may lag writes by this many times its own cost... */
const LAG_PER_COST = 10;
/** ...and never by more than this. */
const MAX_LAG_MS = 5_000;

/**
 * Deduplicates concurrent identical reads and keeps their results briefly. PGlite runs one query
 * at a time, so a wall display and a dozen supervisors asking for the same view must cost one
 * query, not a queue of them. Failures are never cached.
 *
 * A write (`invalidate`, from any process by NOTIFY) touches only the answers it can change:
 * those computed from its kind of record, over an area on its path (or the whole city), or a box
 * that holds it. Answers stay exact: a read that arrives after the write never gets an answer
 * loaded before it; if such a load is still running, the read waits for it and then for one fresh
 * load, which every read arriving meanwhile shares, so a key costs at most one query at a time.
 *
 * Aggregates (`tags.aggregate`: KPIs and counts over a whole district or the city) change with
 * nearly every write, and recomputing them per write would keep the database busy with nothing
 * else. After a write, such an answer is served as it was until it is ten times its own cost old
 * (at most 5 s), then refreshed in the background while the previous answer is still served.
 * So an aggregate spends at most about a tenth of the time being recomputed, and lags writes by
 * ten times its cost: a community's KPIs (a few ms) by milliseconds, the city's by a second or two.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
  ) {}

  get<T>(key: string, load: () => Promise<T>, tags: CacheTags = EVERYTHING): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      const fresh = hit.startSeq === undefined || hit.startSeq > hit.staleSeq;
      if (tags.aggregate) {
        if (!hit.settled && hit.previous) return hit.previous.value as Promise<T>;
        if (!fresh && hit.settled) {
          if (now - hit.at >= Math.min(MAX_LAG_MS, LAG_PER_COST * hit.costMs))
            void this.start(key, tags, load, undefined, hit);
          return hit.value as Promise<T>;
        }
      }
      if (fresh) return hit.value as Promise<T>;
      if (!hit.settled) return this.start(key, tags, load, hit.value);
    }
    return this.start(key, tags, load);
  }

  private start<T>(
    key: string,
    tags: CacheTags,
    load: () => Promise<T>,
    after?: Promise<unknown>,
    previous?: Entry,
  ): Promise<T> {
    const entry: Entry = {
      tags,
      value: undefined as unknown as Promise<T>,
      at: Date.now(),
      startSeq: undefined,
      staleSeq: 0,
      settled: false,
      costMs: 0,
      previous,
    };
    const begin = () => {
      entry.startSeq = ++this.seq;
      entry.at = Date.now();
      return load();
    };
    const value = after
      ? after.then(
          () => begin(),
          () => begin(),
        )
      : begin();
    entry.value = value;
    this.entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
        entry.costMs = Date.now() - entry.at;
        entry.previous = undefined;
      },
      () => {
        if (this.entries.get(key) !== entry) return;
        // A failed refresh leaves the answer before it in place, still due for a refresh.
        if (entry.previous) this.entries.set(key, entry.previous);
        else this.entries.delete(key);
      },
    );
    if (this.entries.size > this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  /** Drops the answers a committed write can have changed; returns how many. */
  invalidate(change: CacheChange): number {
    const noun = NOUN_OF_KIND[change.kind];
    const path = Object.values(change.areaIds).filter((id): id is number => id !== null);
    const p = change.position;
    let dropped = 0;
    for (const [key, e] of this.entries) {
      const t = e.tags;
      if (!t.nouns.includes(noun)) continue;
      if (t.area !== undefined && !path.includes(t.area)) continue;
      if (t.bbox && p && !inBox(p, t.bbox)) continue;
      dropped++;
      // An exact answer that has loaded is simply gone; an aggregate's is kept to serve while
      // due. A load that has begun may have missed the write: mark it, later reads know.
      if (e.settled && !t.aggregate) this.entries.delete(key);
      else if (e.startSeq !== undefined) e.staleSeq = ++this.seq;
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}

/**
 * Reads of records that change only through one router (the walls' playlists, the party
 * organisation, colours and follow-up plans, credit and cases): keys carry a generation that each
 * of the router's writes moves on, so the next read in this process loads afresh. Another process
 * on the same PostgreSQL sees a write when its cached answer expires (the cache's lifetime).
 *
 * @example
 * const party = new Generations(cache, 'party');
 * party.get(`coverage:${rule}`, () => coverage(db, actor));
 * return c.json(party.changed(await assignSteward(db, actor, id, body)), 200);
 */
export class Generations {
  private generation = 0;

  constructor(
    private readonly cache: ReadCache,
    private readonly prefix: string,
  ) {}

  get<T>(key: string, load: () => Promise<T>, tags: CacheTags = { nouns: [] }): Promise<T> {
    return this.cache.get(`${this.prefix}:${this.generation}:${key}`, load, tags);
  }

  /** Passes a write's answer through, making every earlier read of this router stale. */
  changed<T>(value: T): T {
    this.generation++;
    return value;
  }
}
