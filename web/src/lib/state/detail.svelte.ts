import { api, isAbort } from '../api.ts';
import type { HazardDetail, TicketDetail, WhistleRow } from '../types.ts';
import type { MapState } from './map.svelte.ts';

/** The detail card open on the right: one ticket, hazard or whistle at a time. */
export class DetailState {
  ticket = $state.raw<TicketDetail | null>(null);
  ticketLoading = $state(false);
  hazard = $state.raw<HazardDetail | null>(null);
  whistle = $state.raw<WhistleRow | null>(null);

  #ticketController: AbortController | null = null;
  #detailController: AbortController | null = null;

  constructor(private readonly map: MapState) {}

  get open(): boolean {
    return this.ticket !== null || this.hazard !== null || this.whistle !== null;
  }

  /** Opens a ticket's detail; `fly` also brings its point into view (from a list row). */
  async openTicket(id: number, options: { fly?: boolean } = {}) {
    this.#ticketController?.abort();
    const controller = new AbortController();
    this.#ticketController = controller;
    this.ticketLoading = true;
    this.hazard = null;
    this.whistle = null;
    try {
      const t = await api.ticket(id, controller.signal);
      if (controller.signal.aborted) return;
      this.ticket = t;
      if (options.fly && t.position) {
        this.map.saveCamera();
        this.map.flyTo(t.position);
      }
    } catch (err) {
      if (!isAbort(err)) this.ticket = null;
    } finally {
      if (this.#ticketController === controller) this.ticketLoading = false;
    }
  }

  /** Closes the ticket card; with `back`, the map returns to where it was before the card flew in. */
  closeTicket(options: { back?: boolean } = {}) {
    this.#ticketController?.abort();
    this.ticket = null;
    // Back where the card flew from, or (closed on the way to something else) nowhere to go back to.
    if (options.back) this.map.restoreCamera();
    else this.map.forgetCamera();
  }

  async openHazard(id: number, options: { fly?: boolean } = {}) {
    const signal = this.#newRequest();
    try {
      const h = await api.hazard(id, signal);
      if (signal.aborted) return;
      this.closeTicket();
      this.whistle = null;
      this.hazard = h;
      if (options.fly) {
        this.map.saveCamera();
        this.map.flyTo(h.position);
      }
    } catch (err) {
      if (!isAbort(err)) this.hazard = null;
    }
  }

  async openWhistle(id: number) {
    const signal = this.#newRequest();
    try {
      const w = await api.whistle(id, signal);
      if (signal.aborted) return;
      this.closeTicket();
      this.hazard = null;
      this.whistle = w;
    } catch (err) {
      if (!isAbort(err)) this.whistle = null;
    }
  }

  /** Closes whatever card is open; `back` returns the map to where it was before it. */
  close(options: { back?: boolean } = {}) {
    this.#detailController?.abort();
    this.closeTicket(options);
    this.hazard = null;
    this.whistle = null;
  }

  /** Shows a record a write returned, in place of the open card of the same record. */
  showTicket(t: TicketDetail) {
    this.close();
    this.ticket = t;
  }

  showHazard(h: HazardDetail) {
    this.close();
    this.hazard = h;
  }

  /** Re-reads the open ticket (after a live event or a whistle on it). */
  async reloadTicket(id: number) {
    try {
      const t = await api.ticket(id);
      if (this.ticket?.id === id) this.ticket = t;
    } catch {
      // gone from view (e.g. transferred away from this company): keep what is shown
    }
  }

  async reloadHazard(id: number) {
    try {
      const h = await api.hazard(id);
      if (this.hazard?.id === h.id) this.hazard = h;
    } catch {
      // keep what is shown
    }
  }

  async reloadWhistle(id: number) {
    try {
      const w = await api.whistle(id);
      if (this.whistle?.id === w.id) this.whistle = w;
    } catch {
      // keep what is shown
    }
  }

  #newRequest(): AbortSignal {
    this.#detailController?.abort();
    this.#detailController = new AbortController();
    return this.#detailController.signal;
  }
}
