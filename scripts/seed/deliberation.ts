/** Placeholder until the seed of proposals, joint meetings and the three lists lands (issue 11): writes nothing yet. */
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const DELIBERATION_TABLES: readonly string[] = [];

export async function insertDeliberation(
  _tx: Tx,
  _o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {}
