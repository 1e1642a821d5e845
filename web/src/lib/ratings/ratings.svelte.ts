import { Resource } from '../state/resource.svelte.ts';
import {
  ratingsApi,
  type CompoundExplanation,
  type Evidence,
  type NewFollowup,
  type RatingSummary,
} from './api.ts';

/**
 * What the ratings panel shows for the selected area: above a compound the summary of its
 * children and its red list; at a compound its colour explained, one indicator's evidence and its
 * follow-up plans. Writes reload the explanation, so the panel shows what the server holds.
 */
export class RatingsState {
  readonly summary = new Resource<RatingSummary>();
  readonly compound = new Resource<CompoundExplanation>();
  readonly evidence = new Resource<Evidence>();
  /** The month shown at a compound (null: the latest). */
  period = $state<string | null>(null);
  /** The indicator drilled into, if any. */
  indicator = $state<string | null>(null);
  busy = $state(false);
  error = $state.raw<unknown>(null);

  showArea(area: number | null) {
    this.summary.load(`s:${area}`, (signal) => ratingsApi.summary(area, signal));
  }

  showCompound(id: number, force = false) {
    const period = this.period;
    this.compound.load(
      `c:${id}:${period}`,
      (signal) => ratingsApi.compound(id, period, signal),
      force,
    );
  }

  setPeriod(id: number, period: string | null) {
    this.period = period;
    this.indicator = null;
    this.evidence.clear();
    this.showCompound(id);
  }

  drill(id: number, indicator: string | null, period: string) {
    this.indicator = indicator;
    if (indicator === null) return this.evidence.clear();
    this.evidence.load(`e:${id}:${indicator}:${period}`, (signal) =>
      ratingsApi.evidence(id, indicator, period, signal),
    );
  }

  async #write(id: number, run: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await run();
      this.showCompound(id, true);
      return true;
    } catch (err) {
      this.error = err;
      return false;
    } finally {
      this.busy = false;
    }
  }

  openFollowup(body: NewFollowup) {
    return this.#write(body.compoundId, () => ratingsApi.openFollowup(body));
  }

  markStep(compoundId: number, followupId: number, stepId: number, done: boolean) {
    return this.#write(compoundId, () => ratingsApi.markStep(followupId, stepId, done));
  }

  close(compoundId: number, followupId: number, status: 'done' | 'cancelled', outcome: string) {
    return this.#write(compoundId, () => ratingsApi.close(followupId, status, outcome));
  }

  clear() {
    this.summary.clear();
    this.compound.clear();
    this.evidence.clear();
    this.period = null;
    this.indicator = null;
  }
}
