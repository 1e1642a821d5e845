import { api } from '../api.ts';
import type { LiveEvent } from '../types.ts';

export type LiveStatus = 'off' | 'connecting' | 'open' | 'error';

export interface FeedItem {
  key: number;
  event: LiveEvent;
  /** when it arrived (ms since epoch) */
  receivedAt: number;
}

const KINDS = ['ticket', 'hazard', 'whistle', 'patrol'] as const;
const FEED_SIZE = 30;
const TOAST_MS = 6000;
const RETRY_MS = 5000;

/**
 * The live event stream (GET /api/events) of the signed-in account. EventSource reconnects by
 * itself after a dropped connection. When the server ends the session (signed out elsewhere,
 * disabled, expired) it says `session_ended` and closes: the stream stops and the app signs the
 * UI out. A refused reconnect (the stream cannot say why) asks GET /api/session before trying
 * again, so an ended session is not retried in a loop.
 */
export class LiveState {
  status = $state<LiveStatus>('off');
  /** newest first */
  feed = $state.raw<FeedItem[]>([]);
  toasts = $state.raw<FeedItem[]>([]);
  feedOpen = $state(false);

  #source: EventSource | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #next = 1;

  constructor(
    private readonly onEvent: (event: LiveEvent) => void,
    private readonly onSessionEnded: (reason: string) => void = () => {},
  ) {}

  connect() {
    if (this.#source || typeof EventSource === 'undefined') return;
    this.status = 'connecting';
    const source = new EventSource('/api/events');
    this.#source = source;
    source.addEventListener('ready', () => {
      if (this.#source === source) this.status = 'open';
    });
    source.onopen = () => {
      if (this.#source === source) this.status = 'open';
    };
    source.onerror = () => {
      if (this.#source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.status = 'error';
        this.#source = null;
        this.#retry = setTimeout(() => {
          this.#retry = null;
          void this.#reconnect();
        }, RETRY_MS);
      } else {
        this.status = 'connecting';
      }
    };
    source.addEventListener('session_ended', (msg) => {
      if (this.#source !== source) return;
      let reason = 'expired';
      try {
        const data = JSON.parse((msg as MessageEvent<string>).data) as { reason?: unknown };
        if (typeof data.reason === 'string') reason = data.reason;
      } catch {
        // no reason given: the session is over all the same
      }
      this.#end(reason);
    });
    for (const kind of KINDS) {
      source.addEventListener(kind, (msg) => {
        let event: LiveEvent;
        try {
          event = JSON.parse((msg as MessageEvent<string>).data) as LiveEvent;
        } catch {
          return;
        }
        this.#push(event);
        this.onEvent(event);
      });
    }
  }

  /** After a refused connection: reconnect only while the session still holds. */
  async #reconnect() {
    try {
      const { account } = await api.session();
      if (!account) return this.#end('expired');
    } catch {
      // the server is unreachable: try the stream again, it will say
    }
    if (this.status === 'error') this.connect();
  }

  #end(reason: string) {
    this.#source?.close();
    this.disconnect();
    this.onSessionEnded(reason);
  }

  disconnect() {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#source?.close();
    this.#source = null;
    this.status = 'off';
    this.feed = [];
    this.toasts = [];
  }

  dismiss(key: number) {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }

  #push(event: LiveEvent) {
    const item: FeedItem = { key: this.#next++, event, receivedAt: Date.now() };
    this.feed = [item, ...this.feed].slice(0, FEED_SIZE);
    // Track points are not events; patrol starts and check-ins are, but are no news to toast.
    if (event.kind === 'patrol') return;
    this.toasts = [item, ...this.toasts].slice(0, 3);
    setTimeout(() => this.dismiss(item.key), TOAST_MS);
  }
}
