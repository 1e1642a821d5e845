/** docs/deliberation.md's flow table is the flow of geo/deliberation.ts, row for row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOW, PROPOSAL_STEPS } from '../../geo/deliberation.ts';

describe('docs/deliberation.md', () => {
  it("states the flow's steps, stages and capabilities as geo/deliberation.ts holds them", () => {
    const doc = readFileSync(new URL('../../docs/deliberation.md', import.meta.url), 'utf8');
    const rows = new Map<string, string[]>();
    for (const m of doc.matchAll(/^\| (\w+) +\| ([^|]+?) +\| (\w+) +\| (deliberation\.\w+) +\|$/gm))
      rows.set(m[1]!, [m[2]!.trim(), m[3]!, m[4]!]);
    expect([...rows.keys()].sort()).toEqual([...PROPOSAL_STEPS].sort());
    for (const step of PROPOSAL_STEPS) {
      const f = FLOW[step];
      expect(rows.get(step), step).toEqual([f.from.join(', ') || '—', f.to, f.capability]);
    }
  });
});
