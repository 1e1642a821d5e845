/** Placeholder until the seed of mediation committees, rooms, mediators and cases lands (issue 11): writes nothing yet. */
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const MEDIATION_TABLES: readonly string[] = [];

export async function insertMediation(
  _tx: Tx,
  _o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {}
