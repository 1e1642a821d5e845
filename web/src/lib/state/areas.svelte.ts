import { api, isAbort } from '../api.ts';
import type { CompoundTiles } from '../layers/compounds.ts';
import { areaLabels, type Label } from '../layers/labels.ts';
import type { AreasLayerData } from '../layers/areas.ts';
import type { AreaCollection, AreaDetail, BBox } from '../types.ts';

export interface SelectOptions {
  range: Record<string, string | undefined>;
  /** Called as soon as the area's detail (with its bbox) arrives, before its children load. */
  onDetail?: (detail: AreaDetail) => void;
  /** Map zoom the children will be seen at, for the server's simplification. */
  zoomFor?: (bbox: BBox) => number;
}

/**
 * The area hierarchy as the user drills through it: the city's districts, every compound (for
 * the rating dots), and the selected area with its detail, children and siblings.
 */
export class AreasState {
  districts = $state.raw<AreaCollection | null>(null);
  /** The compound tiles' source (null until the map starts), see layers/compounds.ts. */
  compoundTiles = $state.raw<CompoundTiles | null>(null);
  selectedId = $state<number | null>(null);
  detail = $state.raw<AreaDetail | null>(null);
  children = $state.raw<AreaCollection | null>(null);
  siblings = $state.raw<AreaCollection | null>(null);
  #selecting = $state(false);
  /** Compound tiles asked for and not yet arrived. */
  #tilesPending = $state(0);
  detailLoading = $state(false);
  /** the last failure as thrown (an ApiError…), for `errorText` to put into words */
  error = $state.raw<unknown>(null);

  #controller: AbortController | null = null;
  #detailController: AbortController | null = null;

  async loadBase(signal?: AbortSignal) {
    this.districts = await api.areas({ level: 'district', zoom: 9 }, signal);
    return this.districts;
  }

  /** Drilling (detail and children), or compound tiles still on their way. */
  get loading(): boolean {
    return this.#selecting || this.#tilesPending > 0;
  }

  set loading(v: boolean) {
    this.#selecting = v;
  }

  /**
   * Points the compounds layer at the vector tiles. Their fetches are counted, so the map reads
   * as settled only once the tiles in view have arrived.
   */
  loadCompounds() {
    if (this.compoundTiles) return;
    const origin = typeof window === 'undefined' ? '' : window.location.origin;
    this.compoundTiles = {
      url: `${origin}/tiles/compounds/{z}/{x}/{y}.mvt`,
      fetch: (input, init) => {
        this.#tilesPending++;
        return fetch(input, init).finally(() => this.#tilesPending--);
      },
      loaded: () => {},
    };
  }

  /** Areas to click into: children, or at the last level the selected area and its siblings. */
  main = $derived.by((): AreaCollection | null => {
    if (this.selectedId === null) return this.districts;
    if (this.children && this.children.features.length > 0) return this.children;
    return this.siblings;
  });

  /** The selected area's siblings as outlines, while its children are the ones to click. */
  context = $derived.by((): AreaCollection | null => {
    if (this.selectedId === null || this.main === this.siblings) return null;
    return this.siblings;
  });

  // Derived, not a getter: a new array each time would make deck.gl rebuild the text layer.
  labels = $derived.by((): Label[] => areaLabels(this.main, this.selectedId));

  get layerData(): AreasLayerData {
    return { main: this.main, context: this.context, selectedId: this.selectedId };
  }

  async select(id: number | null, options: SelectOptions): Promise<AreaDetail | null> {
    this.#controller?.abort();
    this.#detailController?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    this.selectedId = id;
    this.error = null;
    if (id === null) {
      this.children = null;
      this.siblings = null;
      this.loading = false;
      await this.#loadDetail('city', options.range);
      return null;
    }
    this.loading = true;
    this.detailLoading = true;
    try {
      const detail = await api.area(id, options.range, signal);
      if (signal.aborted) return null;
      this.detail = detail;
      this.detailLoading = false;
      options.onDetail?.(detail);
      const area = { ...detail.area, id };
      const zoom = area.bbox && options.zoomFor ? options.zoomFor(area.bbox) : 12;
      const [children, siblings] = await Promise.all([
        area.childLevel && area.childrenCount !== 0
          ? api.areas({ parent: area.id, zoom }, signal)
          : Promise.resolve(null),
        area.parentId === null
          ? Promise.resolve(this.districts)
          : api.areas({ parent: area.parentId, zoom }, signal),
      ]);
      if (signal.aborted) return null;
      this.children = children;
      this.siblings = siblings;
      return detail;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return null;
      this.error = err;
      return null;
    } finally {
      if (this.#controller === controller) {
        this.loading = false;
        this.detailLoading = false;
      }
    }
  }

  /** Reloads the selected area's KPIs, e.g. for a new filter (period, category, channel). */
  refreshDetail(range: Record<string, string | undefined>) {
    return this.#loadDetail(this.selectedId ?? 'city', range);
  }

  /** The detail shown in the panel: the selected area's, or the city's when none is selected. */
  get shownDetail(): AreaDetail | null {
    const d = this.detail;
    if (!d) return null;
    return d.area.id === (this.selectedId ?? 'city') ? d : null;
  }

  async #loadDetail(id: number | 'city', range: Record<string, string | undefined>) {
    this.#detailController?.abort();
    const controller = new AbortController();
    this.#detailController = controller;
    this.detailLoading = true;
    try {
      const detail = await api.area(id, range, controller.signal);
      if (!controller.signal.aborted && (this.selectedId ?? 'city') === id) this.detail = detail;
    } catch (err) {
      // A server without the city roll-up still shows the districts' own totals.
      if (!isAbort(err) && id !== 'city') this.error = err;
    } finally {
      if (this.#detailController === controller) this.detailLoading = false;
    }
  }
}
