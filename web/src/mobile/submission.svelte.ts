/**
 * Sending one report until the server has answered, on a network that drops requests.
 *
 * A lost answer is the dangerous case: the ticket may exist already. So a network error, a
 * timeout or a 5xx is retried with the same Idempotency-Key and the same body, automatically
 * with a growing pause and at once when the phone comes back online or the user taps Retry; the
 * server answers the retry with the ticket it created the first time. A 4xx is the server's
 * final word about this body and goes back to the form.
 */
import { api, ApiError, NetworkError, type NewTicket, type TicketCreated } from './api.ts';

/** Pauses before automatic attempts 2, 3, …; after the last one the user decides. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export type SubmissionState =
  | { kind: 'idle' }
  | { kind: 'sending'; attempt: number }
  | { kind: 'waiting'; attempt: number; retryAt: number }
  | { kind: 'paused'; attempt: number }
  | { kind: 'rejected'; error: ApiError }
  | { kind: 'done'; ticket: TicketCreated; replayed: boolean; attempts: number };

export class Submission {
  state = $state.raw<SubmissionState>({ kind: 'idle' });
  /** The last transient failure, for the status line. */
  lastFailure = $state<string | null>(null);

  #body: NewTicket | null = null;
  #key = '';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight = false;
  #onOnline = () => this.retryNow();

  constructor(
    private readonly callbacks: {
      /** The server created (or had created) the ticket. */
      done: (ticket: TicketCreated, replayed: boolean) => void;
      /** The server refused the body; the form is editable again. */
      rejected: (error: ApiError) => void;
    },
  ) {}

  get busy() {
    const k = this.state.kind;
    return k === 'sending' || k === 'waiting' || k === 'paused';
  }

  /** Starts (or, after a reload, resumes) sending `body` under `key`. */
  start(body: NewTicket, key: string) {
    this.stop();
    this.#body = body;
    this.#key = key;
    this.#attempt = 0;
    this.lastFailure = null;
    window.addEventListener('online', this.#onOnline);
    void this.#send();
  }

  /** The Retry button, or the phone coming back online: no need to wait out the pause. */
  retryNow() {
    if (!this.#body || this.#inFlight) return;
    if (this.state.kind !== 'waiting' && this.state.kind !== 'paused') return;
    clearTimeout(this.#timer);
    void this.#send();
  }

  stop() {
    clearTimeout(this.#timer);
    window.removeEventListener('online', this.#onOnline);
    this.#body = null;
    this.state = { kind: 'idle' };
  }

  async #send() {
    const body = this.#body;
    if (!body || this.#inFlight) return;
    this.#inFlight = true;
    this.#attempt += 1;
    const attempt = this.#attempt;
    this.state = { kind: 'sending', attempt };
    try {
      const { ticket, replayed } = await api.createTicket(body, this.#key);
      if (this.#body !== body) return;
      this.stop();
      this.state = { kind: 'done', ticket, replayed, attempts: attempt };
      this.callbacks.done(ticket, replayed);
    } catch (err) {
      if (this.#body !== body) return;
      if (err instanceof ApiError && !err.retryable) {
        this.stop();
        this.state = { kind: 'rejected', error: err };
        this.callbacks.rejected(err);
        return;
      }
      this.lastFailure =
        err instanceof ApiError
          ? `${err.status} ${err.message}`
          : err instanceof NetworkError
            ? err.message
            : String(err);
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (delay === undefined) {
        this.state = { kind: 'paused', attempt };
      } else {
        this.state = { kind: 'waiting', attempt, retryAt: Date.now() + delay };
        this.#timer = setTimeout(() => void this.#send(), delay);
      }
    } finally {
      this.#inFlight = false;
    }
  }
}
