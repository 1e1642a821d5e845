import { api, type NewWhistle } from '../api.ts';
import { whistleArcs } from '../layers/whistles.ts';
import type { WhistleDetail, WhistleRow } from '../types.ts';
import type { DetailState } from './detail.svelte.ts';
import { Resource } from './resource.svelte.ts';
import type { SessionState } from './session.svelte.ts';
import type { WriteKind } from './tickets.svelte.ts';

/** 吹哨报到: the open whistles of the selected area (the arcs layer) and the writes on them. */
export class WhistlesState {
  open = new Resource<{ items: WhistleRow[]; total: number }>();

  constructor(
    private readonly session: SessionState,
    private readonly detail: DetailState,
    private readonly afterWrite: (kind: WriteKind) => void,
  ) {}

  // Derived, so that deck.gl sees the same arrays until the data really changes.
  data = $derived.by(() => {
    const items = this.open.data?.items ?? null;
    return { whistles: items, arcs: whistleArcs(items) };
  });

  load(area: number | null, visible: boolean) {
    if (!this.session.whistlesReadable || !visible) return;
    const q = { area: area ?? undefined, state: 'open' as const, limit: 500 };
    this.open.load(JSON.stringify(q), (signal) => api.whistles(q, signal));
  }

  async blow(body: NewWhistle, key: string): Promise<WhistleDetail> {
    const w = await api.blowWhistle(body, key);
    this.afterWrite('whistle');
    if (body.ticketId !== undefined && this.detail.ticket?.id === body.ticketId) {
      await this.detail.reloadTicket(body.ticketId);
    }
    return w;
  }

  async reportIn(id: number, note?: string): Promise<WhistleDetail> {
    const w = await api.reportIn(id, note);
    this.#after(w);
    return w;
  }

  async resolve(id: number, resolution: string): Promise<WhistleDetail> {
    const w = await api.resolveWhistle(id, resolution);
    this.#after(w);
    return w;
  }

  #after(w: WhistleRow) {
    if (this.detail.whistle?.id === w.id) this.detail.whistle = w;
    if (w.ticketId !== null && this.detail.ticket?.id === w.ticketId) {
      void this.detail.reloadTicket(w.ticketId);
    }
    this.afterWrite('whistle');
  }
}
