/**
 * The wall's live stream (`GET /api/wall/stream`): ticks for the ticker, alarms and their
 * acknowledgements. It reconnects by itself with backoff (1 s, 2 s, 4 s … 10 s) whenever the
 * connection drops — a restarted server heals the wall without a reload — and says how long it
 * has been down, which the page turns into the stale warning.
 */
import type { Alarm, WallTick } from '../../../server/contract/wall.ts';

/** Ticks kept for the ticker. */
export const TICKER_SIZE = 12;
/** Retries wait 1, 2, 4, 8 s, then 10 s. */
export const streamRetryDelay = (failures: number) => Math.min(10_000, 1000 * 2 ** (failures - 1));

const EVENT_TYPES = ['hello', 'ping', 'tick', 'alarm', 'ack', 'revoked'] as const;
type EventType = (typeof EVENT_TYPES)[number];
/**
 * The server sends a `ping` every 15 s: a stream silent for this long is a dead connection (a
 * pulled cable, a proxy that dropped it) even if the browser has not noticed.
 */
export const SILENCE_MS = 45_000;

export type StreamStatus = 'connecting' | 'open' | 'down' | 'revoked';

export interface StreamHandlers {
  alarm(alarm: Alarm): void;
  ack(alarm: Alarm): void;
  /** The stream (re)opened: anything missed while it was down should be fetched again. */
  opened(): void;
  /** The display key was revoked or has expired. */
  revoked(): void;
}

export class WallStream {
  status = $state<StreamStatus>('connecting');
  /** Since when the stream has not been open (epoch ms); null while open. */
  downSince = $state<number | null>(Date.now());
  ticks = $state.raw<WallTick[]>([]);

  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #stopped = false;
  #heardAt = Date.now();
  #watchdog: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly url = '/api/wall/stream',
  ) {}

  start() {
    this.#stopped = false;
    this.#connect();
    this.#watchdog = setInterval(() => {
      const source = this.#source;
      if (source && this.status === 'open' && Date.now() - this.#heardAt > SILENCE_MS) {
        source.onerror?.(new Event('error'));
      }
    }, 5000);
  }

  stop() {
    this.#stopped = true;
    if (this.#watchdog) clearInterval(this.#watchdog);
    if (this.#timer) clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
  }

  /** One event as it came off the wire (also how the soak test feeds a day's events). */
  receive(type: EventType, data: string) {
    this.#heardAt = Date.now();
    switch (type) {
      case 'ping':
        return;
      case 'hello':
        this.#failures = 0;
        this.status = 'open';
        this.downSince = null;
        this.handlers.opened();
        return;
      case 'tick': {
        const tick = parse<WallTick>(data);
        if (tick) this.ticks = [tick, ...this.ticks.slice(0, TICKER_SIZE - 1)];
        return;
      }
      case 'alarm': {
        const alarm = parse<Alarm>(data);
        if (alarm) this.handlers.alarm(alarm);
        return;
      }
      case 'ack': {
        const alarm = parse<Alarm>(data);
        if (alarm) this.handlers.ack(alarm);
        return;
      }
      case 'revoked':
        // The key was revoked: the summary's 401 shows the message; nothing to retry.
        this.status = 'revoked';
        this.#source?.close();
        this.#source = null;
        this.handlers.revoked();
    }
  }

  #connect() {
    if (this.#stopped) return;
    this.status = this.#failures === 0 ? 'connecting' : 'down';
    const source = new EventSource(this.url, { withCredentials: true });
    this.#source = source;
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        if (this.#source === source) this.receive(type, (e as MessageEvent<string>).data);
      });
    }
    source.onerror = () => {
      if (this.#source !== source) return;
      source.close();
      this.#source = null;
      if (this.status === 'revoked' || this.#stopped) return;
      this.#failures += 1;
      this.status = 'down';
      this.downSince ??= Date.now();
      this.#timer = setTimeout(() => this.#connect(), streamRetryDelay(this.#failures));
    };
  }
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}
