import { Resource } from '../state/resource.svelte.ts';
import {
  mediationApi,
  servicePointsApi,
  type CaseQuery,
  type EnforcementVisitList,
  type MediationCase,
  type MediationCaseList,
  type MediationOverview,
  type ServicePointCollection,
} from './api.ts';
import { enforcementMapData, mediationMapData, servicePointsMapData } from './map-state.ts';

export const CASE_PAGE = 20;

/**
 * The 调解与服务 tab's state for the selected area: the committees' figures, the case list (with
 * its filters) and the open case, the area's service points, and its 执法进小区 visits. A write
 * reloads what it changed, the map layers too, so the map and the panel agree.
 */
export class MediationState {
  readonly overview = new Resource<MediationOverview>();
  readonly cases = new Resource<MediationCaseList>();
  readonly current = new Resource<MediationCase>();
  readonly points = new Resource<ServicePointCollection>();
  readonly visits = new Resource<EnforcementVisitList>();
  area = $state<number | null>(null);
  kind = $state<string | null>(null);
  status = $state<string | null>('open');
  mine = $state(false);
  offset = $state(0);
  topic = $state<string | null>(null);
  caseId = $state<number | null>(null);
  revision = $state(0);
  busy = $state(false);
  error = $state.raw<unknown>(null);

  get caseQuery(): CaseQuery {
    return {
      area: this.area,
      kind: this.kind,
      status: this.status,
      mine: this.mine,
      offset: this.offset,
      limit: CASE_PAGE,
    };
  }

  load(area: number | null, can: { cases: boolean; points: boolean; visits: boolean }) {
    if (area !== this.area) this.offset = 0;
    this.area = area;
    const rev = this.revision;
    if (can.cases) {
      this.overview.load(`${area}:${rev}`, (s) => mediationApi.overview(area, s));
      const q = this.caseQuery;
      this.cases.load(`${JSON.stringify(q)}:${rev}`, (s) => mediationApi.cases(q, s));
      const id = this.caseId;
      if (id !== null) this.current.load(`${id}:${rev}`, (s) => mediationApi.case(id, s));
      else this.current.clear();
    }
    if (can.points && area !== null)
      this.points.load(`${area}:${rev}`, (s) => servicePointsApi.list({ area }, s));
    else this.points.clear();
    if (can.visits) {
      const q = { area, topic: this.topic, offset: 0 };
      this.visits.load(`${JSON.stringify(q)}:${rev}`, (s) => servicePointsApi.visits(q, s));
    }
  }

  /** Runs a write, then reloads the panel and the map layers. */
  async write<T>(run: () => Promise<T>, reload: () => void): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      const out = await run();
      this.revision++;
      reload();
      void mediationMapData.reload();
      void servicePointsMapData.reload();
      void enforcementMapData.reload();
      return out;
    } catch (err) {
      this.error = err;
      return null;
    } finally {
      this.busy = false;
    }
  }
}

export const mediation = new MediationState();
