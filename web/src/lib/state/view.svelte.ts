import { translator, type Translate } from '../i18n.ts';
import {
  COLOR_BY,
  defaultFilters,
  defaultLayers,
  defaultWorkspace,
  encodeView,
  kpiQuery,
  ticketQuery,
  type Camera,
  type ColorBy,
  type Lang,
  type LayerConfigs,
  type HazardListConfig,
  type LayerId,
  type PanelTab,
  type SortOrder,
  type TicketFilters,
  type TicketListConfig,
  type ViewConfig,
  type WorkspaceConfig,
} from '../view-config.ts';

/** The shareable part of the UI (language, selection, filters, layers, camera), kept in the URL. */
export class ViewState {
  lang = $state<Lang>('zh');
  area = $state<number | null>(null);
  filters = $state<TicketFilters>(defaultFilters());
  layers = $state<LayerConfigs>(defaultLayers());
  workspace = $state<WorkspaceConfig>(defaultWorkspace());
  camera = $state.raw<ViewConfig['camera']>(null);

  constructor(initial: ViewConfig) {
    this.lang = initial.lang;
    this.area = initial.area;
    this.filters = initial.filters;
    this.layers = initial.layers;
    this.workspace = initial.workspace;
    this.camera = initial.camera;
  }

  get t(): Translate {
    return translator(this.lang);
  }

  get config(): ViewConfig {
    return $state.snapshot({
      lang: this.lang,
      area: this.area,
      filters: this.filters,
      layers: this.layers,
      workspace: this.workspace,
      camera: this.camera,
    }) as ViewConfig;
  }

  get query(): string {
    return encodeView(this.config);
  }

  /** The ticket query as a string, so effects can depend on the filters' value, not identity. */
  get ticketQuery(): Record<string, string> {
    return ticketQuery($state.snapshot(this.filters) as TicketFilters);
  }

  /** The filter as the KPIs read it: period, category, channel (the map filter drives them too). */
  get range(): Record<string, string> {
    return kpiQuery($state.snapshot(this.filters) as TicketFilters);
  }

  toggleLang() {
    this.lang = this.lang === 'zh' ? 'en' : 'zh';
  }

  setVisible(id: LayerId, visible: boolean) {
    this.layers[id].visible = visible;
  }

  setColorBy<L extends LayerId>(id: L, colorBy: ColorBy<L>) {
    if ((COLOR_BY[id] as readonly string[]).includes(colorBy))
      this.layers[id].colorBy = colorBy as never;
  }

  /** Sets one part of the map filter; the list goes back to its first page. */
  setFilter(kind: 'category' | 'channel' | 'status', keys: string[]) {
    this.filters[kind] = kind === 'status' && keys.length === 0 ? [] : keys;
    this.workspace.tickets.page = 0;
  }

  toggleFilter(kind: 'category' | 'channel' | 'status', key: string) {
    this.workspace.tickets.page = 0;
    const list = this.filters[kind];
    if (kind === 'status') {
      // Picking a status leaves the 'open' shortcut; emptying the list means every status.
      const base = list.filter((k) => k !== 'open');
      this.filters.status = base.includes(key) ? base.filter((k) => k !== key) : [...base, key];
      return;
    }
    this.filters[kind] = list.includes(key) ? list.filter((k) => k !== key) : [...list, key];
  }

  setStatusMode(mode: 'open' | 'all') {
    this.workspace.tickets.page = 0;
    this.filters.status = mode === 'open' ? ['open'] : [];
  }

  setRange(from: string, to: string) {
    this.workspace.tickets.page = 0;
    this.filters.from = from;
    this.filters.to = to;
  }

  resetFilters() {
    this.workspace.tickets.page = 0;
    this.filters = defaultFilters();
  }

  setTab(tab: PanelTab) {
    this.workspace.tab = tab;
  }

  /** Changes the ticket list's filters or sort; any change but the page goes back to page 1. */
  setTicketList(patch: Partial<TicketListConfig>) {
    Object.assign(this.workspace.tickets, { page: 0 }, patch);
  }

  setHazardList(patch: Partial<HazardListConfig>) {
    Object.assign(this.workspace.hazards, { page: 0 }, patch);
  }

  /** Header click: the same column flips the order, another column sorts descending. */
  sortTickets(sort: TicketListConfig['sort']) {
    const c = this.workspace.tickets;
    const order: SortOrder = c.sort === sort && c.order === 'desc' ? 'asc' : 'desc';
    this.setTicketList({ sort, order });
  }

  sortHazards(sort: HazardListConfig['sort']) {
    const c = this.workspace.hazards;
    const order: SortOrder = c.sort === sort && c.order === 'desc' ? 'asc' : 'desc';
    this.setHazardList({ sort, order });
  }

  setCamera(camera: Camera) {
    this.camera = camera;
  }
}
