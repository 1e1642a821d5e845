/** Placeholder until the party-organisation seed lands (issue 10): writes nothing yet. */
import type { Tx } from './write.ts';

export async function insertParty(_tx: Tx, _o: { seed: number; now: Date }): Promise<void> {}
