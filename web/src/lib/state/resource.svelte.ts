import { isAbort } from '../api.ts';

/**
 * One piece of server data that depends on parameters (a list page, the whistles of an area…):
 * a load with other parameters aborts the one in flight; the same parameters twice are one
 * request unless forced; `refresh` reloads the last parameters after a short debounce, so a
 * burst of live events costs one request.
 */
export class Resource<T> {
  data = $state.raw<T | null>(null);
  loading = $state(false);
  /** the last failure as thrown (an ApiError…), for `errorText` to put into words */
  error = $state.raw<unknown>(null);
  /** When the shown data was received (ms since epoch). */
  loadedAt = $state(0);

  #controller: AbortController | null = null;
  #key: string | null = null;
  #fetch: ((signal: AbortSignal) => Promise<T>) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Loads `fetch` unless `key` is what is already shown or loading. */
  load(key: string, fetch: (signal: AbortSignal) => Promise<T>, force = false) {
    if (!force && key === this.#key) return;
    this.#key = key;
    this.#fetch = fetch;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    void this.#run(fetch);
  }

  /** Reloads the last parameters after `delayMs`; calls within the delay are merged. */
  refresh(delayMs = 400) {
    const fetch = this.#fetch;
    if (!fetch) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#fetch === fetch) void this.#run(fetch);
    }, delayMs);
  }

  /** Forgets the data and any request, e.g. on sign-out. */
  clear() {
    this.#controller?.abort();
    this.#controller = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#key = null;
    this.#fetch = null;
    this.data = null;
    this.loading = false;
    this.error = null;
  }

  async #run(fetch: (signal: AbortSignal) => Promise<T>) {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    try {
      const data = await fetch(controller.signal);
      if (controller.signal.aborted) return;
      this.data = data;
      this.error = null;
      this.loadedAt = Date.now();
    } catch (err) {
      if (isAbort(err) || controller.signal.aborted) return;
      this.error = err;
      // the same parameters may be tried again
      this.#key = null;
    } finally {
      if (this.#controller === controller) {
        this.loading = false;
        this.#controller = null;
      }
    }
  }
}
