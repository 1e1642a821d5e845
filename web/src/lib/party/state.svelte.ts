import { Resource } from '../state/resource.svelte.ts';
import {
  partyApi,
  type GapKind,
  type GapQuery,
  type GapStatus,
  type GapTaskList,
  type PartyCoverage,
  type PartyTree,
} from './api.ts';
import { partyMapData } from './map-data.ts';

export const GAP_PAGE = 20;

/**
 * The 党建 tab's state for the selected area: coverage of its children, its gap list (with the
 * filters), the organisation tree of a compound or community, and the writes that fill or follow
 * gaps. After a write everything it shows is loaded again, and so is the map's coverage layer
 * (`partyMapData`), so the map and the panel never disagree.
 */
export class PartyState {
  readonly coverage = new Resource<PartyCoverage>();
  readonly gaps = new Resource<GapTaskList>();
  readonly tree = new Resource<PartyTree>();
  area = $state<number | null>(null);
  level = $state<string | null>(null);
  kind = $state<GapKind | null>(null);
  status = $state<GapStatus>('active');
  overdue = $state(false);
  offset = $state(0);
  /** bumped by every write: keys include it, so a write reloads what it changed */
  revision = $state(0);
  busy = $state(false);
  error = $state.raw<unknown>(null);

  get gapQuery(): GapQuery {
    return {
      area: this.area,
      kind: this.kind,
      status: this.status,
      overdue: this.overdue,
      limit: GAP_PAGE,
      offset: this.offset,
    };
  }

  /** Loads what the selected area shows (the tree only for a compound or a community). */
  load(area: number | null, level: string | null) {
    if (area !== this.area) this.offset = 0;
    this.area = area;
    this.level = level;
    const rev = this.revision;
    this.coverage.load(`${area}:${rev}`, (s) => partyApi.coverage(area, s));
    const q = this.gapQuery;
    this.gaps.load(`${JSON.stringify(q)}:${rev}`, (s) => partyApi.gaps(q, s));
    if (area !== null && (level === 'compound' || level === 'community'))
      this.tree.load(`${area}:${rev}`, (s) => partyApi.tree(area, s));
    else this.tree.clear();
  }

  /** Runs a write, then reloads the panel and the map layer. */
  async write<T>(run: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      const out = await run();
      this.revision++;
      this.load(this.area, this.level);
      void partyMapData.reload();
      return out;
    } catch (err) {
      this.error = err;
      return null;
    } finally {
      this.busy = false;
    }
  }

  clear() {
    this.coverage.clear();
    this.gaps.clear();
    this.tree.clear();
  }
}

export const party = new PartyState();
