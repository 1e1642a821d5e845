/** Placeholder until the seed of trust-property ledgers lands (issue 11): writes nothing yet. */
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const LEDGER_TABLES: readonly string[] = [];

export async function insertLedgers(
  _tx: Tx,
  _o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {}
