/** Placeholder until the credit seed lands (issue 10): writes nothing yet. */
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

export async function insertCredit(
  _tx: Tx,
  _o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {}
