import { rateLimited } from './domain-error.ts';

/**
 * How many file exports run at once. An export of a million rows reads the database batch after
 * batch for half a minute, and on the embedded database every other request waits behind each
 * batch: one caller runs at most `perCaller` exports at a time and the server at most `total`.
 * One more is refused before any work starts, with a 429 that says when to try again.
 */
export class ExportSlots {
  readonly #byCaller = new Map<string, number>();
  #running = 0;

  constructor(
    readonly perCaller = 2,
    readonly total = 8,
  ) {}

  get running() {
    return this.#running;
  }

  /** A slot for `caller` (an account, or an address when signed out); call the answer to free it. */
  take(caller: string): () => void {
    const mine = this.#byCaller.get(caller) ?? 0;
    if (mine >= this.perCaller) {
      throw rateLimited(
        'exports_running',
        `You already have ${mine} exports running; let one finish (or cancel its download) and try again.`,
        10,
      );
    }
    if (this.#running >= this.total) {
      throw rateLimited(
        'exports_busy',
        `The server is producing ${this.#running} exports for others; try again in a minute.`,
        30,
      );
    }
    this.#byCaller.set(caller, mine + 1);
    this.#running++;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.#running--;
      const left = (this.#byCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.#byCaller.set(caller, left);
      else this.#byCaller.delete(caller);
    };
  }
}

/** The server's export slots (one process, one database pool). */
export const exportSlots = new ExportSlots();
