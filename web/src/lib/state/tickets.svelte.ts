import { api, type NewTicket, type TicketTransition } from '../api.ts';
import type { BBox, Page, TicketDetail, TicketRow } from '../types.ts';
import { ticketListQuery, type TicketFilters, type TicketListConfig } from '../view-config.ts';
import type { DetailState } from './detail.svelte.ts';
import type { PickState } from './pick.svelte.ts';
import { PointsState } from './points.svelte.ts';
import { Resource } from './resource.svelte.ts';
import type { SessionState } from './session.svelte.ts';

/** How many points one viewport request may bring; the server says when it cut the list. */
export const TICKET_LIMIT = 20000;

export type WriteKind = 'ticket' | 'hazard' | 'whistle';

/** Tickets: the viewport's points, the workspace list, and the writes that change them. */
export class TicketsState {
  points = new PointsState('tickets', TICKET_LIMIT);
  list = new Resource<Page<TicketRow>>();

  constructor(
    private readonly session: SessionState,
    private readonly detail: DetailState,
    private readonly pick: PickState,
    private readonly afterWrite: (kind: WriteKind) => void,
  ) {}

  get loading(): boolean {
    return this.points.loading || this.list.loading || this.detail.ticketLoading;
  }

  /** The viewport's points for the map filter; the public gets none (and no 401). */
  requestPoints(bbox: BBox, query: Record<string, string>, visible: boolean) {
    if (!this.session.pointsReadable) this.points.clear();
    else if (visible) this.points.request(bbox, query);
  }

  loadList(filters: TicketFilters, config: TicketListConfig, area: number | null) {
    if (!this.session.listsReadable) return this.list.clear();
    const q = ticketListQuery(filters, config, area);
    this.list.load(JSON.stringify(q), (signal) => api.ticketList(q, signal));
  }

  clear() {
    this.points.clear();
    this.list.clear();
  }

  async transition(id: number, body: TicketTransition): Promise<TicketDetail> {
    const t = await api.transitionTicket(id, body);
    if (this.detail.ticket?.id === id) this.detail.ticket = t;
    this.afterWrite('ticket');
    return t;
  }

  async create(body: NewTicket, key: string): Promise<TicketDetail> {
    const t = await api.createTicket(body, key);
    this.pick.draft = null;
    this.detail.showTicket(t);
    this.afterWrite('ticket');
    return t;
  }
}
