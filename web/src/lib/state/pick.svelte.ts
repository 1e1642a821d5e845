import type { LonLat } from '../types.ts';
import { uuid } from '../uuid.ts';

/** A point picked on the map for a new ticket or hazard, with the key its POST will carry. */
export interface Draft {
  kind: 'ticket' | 'hazard';
  position: LonLat;
  /** Idempotency-Key: made when the form opens, reused by every retry of the same form */
  key: string;
}

export type MapMode = 'browse' | 'pick-ticket' | 'pick-hazard';

/** Picking a place on the map for a new ticket or hazard, and the form's draft. */
export class PickState {
  mode = $state<MapMode>('browse');
  draft = $state.raw<Draft | null>(null);

  start(kind: 'ticket' | 'hazard') {
    this.draft = null;
    this.mode = kind === 'ticket' ? 'pick-ticket' : 'pick-hazard';
  }

  /** A click on the map in a pick mode: the form opens for that point with a fresh key. */
  point(position: LonLat) {
    const kind = this.mode === 'pick-hazard' ? 'hazard' : 'ticket';
    this.mode = 'browse';
    this.draft = { kind, position, key: uuid() };
  }

  cancel() {
    this.mode = 'browse';
    this.draft = null;
  }
}
