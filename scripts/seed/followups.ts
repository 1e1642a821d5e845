/** Placeholder until the 包抓落实 seed lands (issue 10): writes nothing yet. */
import type { Tx } from './write.ts';

export async function insertFollowups(_tx: Tx, _o: { seed: number; now: Date }): Promise<void> {}
