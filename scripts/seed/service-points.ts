/** Placeholder until the seed of service points and 执法进小区 visits lands (issue 11): writes nothing yet. */
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const SERVICE_POINT_TABLES: readonly string[] = [];

export async function insertServicePoints(
  _tx: Tx,
  _o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {}
