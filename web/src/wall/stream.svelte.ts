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

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly url = '/api/wall/stream',
  ) {}

  start() {
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
  }

  #connect() {
    if (this.#stopped) return;
    this.status = this.#failures === 0 ? 'connecting' : 'down';
    const source = new EventSource(this.url, { withCredentials: true });
    this.#source = source;
    source.addEventListener('hello', () => {
      this.#failures = 0;
      this.status = 'open';
      this.downSince = null;
      this.handlers.opened();
    });
    source.addEventListener('tick', (e) => {
      const tick = parse<WallTick>(e);
      if (tick) this.ticks = [tick, ...this.ticks].slice(0, TICKER_SIZE);
    });
    source.addEventListener('alarm', (e) => {
      const alarm = parse<Alarm>(e);
      if (alarm) this.handlers.alarm(alarm);
    });
    source.addEventListener('ack', (e) => {
      const alarm = parse<Alarm>(e);
      if (alarm) this.handlers.ack(alarm);
    });
    source.addEventListener('revoked', () => {
      // The key was revoked: the summary's 401 shows the sign-in message; nothing to retry.
      this.status = 'revoked';
      source.close();
      this.handlers.revoked();
    });
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

function parse<T>(e: Event): T | null {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
