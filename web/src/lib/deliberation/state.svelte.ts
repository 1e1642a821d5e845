import { Resource } from '../state/resource.svelte.ts';
import {
  deliberationApi,
  type EvidenceList,
  type Need,
  type Page,
  type ProjectDetail,
  type ProposalDetail,
  type ProposalList,
  type ProposalQuery,
  type Resource as ResourceRow,
} from './api.ts';
import { deliberationMapData } from './map-data.ts';

export type DeliberationView = 'proposals' | 'lists';

/**
 * The 议事协商 tab's state for the selected area: the proposal list with its filters, the open
 * proposal (its timeline, meeting and evidence), the three lists and the open project. After a
 * write everything shown is loaded again, and so is the map layer, so they never disagree.
 */
export class DeliberationState {
  readonly list = new Resource<ProposalList>();
  readonly detail = new Resource<ProposalDetail>();
  readonly evidence = new Resource<EvidenceList>();
  readonly needs = new Resource<Page<Need>>();
  readonly resources = new Resource<Page<ResourceRow>>();
  readonly projects = new Resource<Page<ProjectDetail>>();
  readonly project = new Resource<ProjectDetail>();
  view = $state<DeliberationView>('proposals');
  area = $state<number | null>(null);
  stage = $state<string | null>(null);
  topic = $state<string | null>(null);
  overdue = $state(false);
  offset = $state(0);
  openId = $state<number | null>(null);
  projectId = $state<number | null>(null);
  revision = $state(0);
  busy = $state(false);
  error = $state.raw<unknown>(null);

  get query(): ProposalQuery {
    return {
      area: this.area,
      stage: this.stage,
      topic: this.topic,
      overdue: this.overdue,
      offset: this.offset,
    };
  }

  load(area: number | null, signedIn: boolean, canPropose: boolean) {
    if (area !== this.area) {
      this.offset = 0;
      this.openId = null;
      this.projectId = null;
    }
    this.area = area;
    const rev = this.revision;
    const q = this.query;
    this.list.load(`${JSON.stringify(q)}:${rev}`, (s) => deliberationApi.proposals(q, s));
    const id = this.openId;
    if (id !== null) this.detail.load(`${id}:${rev}`, (s) => deliberationApi.proposal(id, s));
    else this.detail.clear();
    if (!signedIn || this.view !== 'lists') return;
    this.needs.load(`${area}:${rev}`, (s) => deliberationApi.needs(area, s));
    this.resources.load(`${area}:${rev}`, (s) => deliberationApi.resources(area, s));
    this.projects.load(`${area}:${rev}`, (s) => deliberationApi.projects(area, s));
    if (canPropose) this.evidence.load(`${area}:${rev}`, (s) => deliberationApi.evidence(area, s));
    const pid = this.projectId;
    if (pid !== null) this.project.load(`${pid}:${rev}`, (s) => deliberationApi.project(pid, s));
    else this.project.clear();
  }

  /** Runs a write, then reloads the panel (via `revision`) and the map layer. */
  async write<T>(run: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      const out = await run();
      this.revision++;
      void deliberationMapData.reload();
      return out;
    } catch (err) {
      this.error = err;
      return null;
    } finally {
      this.busy = false;
    }
  }
}

export const deliberation = new DeliberationState();
