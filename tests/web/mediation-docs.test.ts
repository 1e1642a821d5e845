import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { K_ANONYMITY } from '../../geo/k-anonymity.ts';
import { CASE_KINDS, CASE_OUTCOMES, nextSteps, OUTCOMES_OF } from '../../geo/mediation.ts';

const doc = readFileSync(new URL('../../docs/mediation.md', import.meta.url), 'utf8');

/** The flow table's row of a kind: its cells, trimmed. */
function row(kind: string): string[] {
  const line = doc.split('\n').find((l) => new RegExp(`^\\|\\s*${kind}\\s*\\|`).test(l));
  if (!line) throw new Error(`docs/mediation.md has no flow row for ${kind}`);
  return line
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim());
}
const steps = (cell: string) =>
  cell === '—' ? [] : cell.split(',').map((s) => s.trim().split(' ')[0]!);

describe('docs/mediation.md', () => {
  it('states the flow of geo/mediation.ts', () => {
    for (const kind of CASE_KINDS) {
      const [fromAccepted, fromInvestigating, fromMediating, outcomes] = row(kind);
      const early = (s: string) => s !== 'transferred' && s !== 'terminated';
      expect(steps(fromAccepted!)).toEqual(nextSteps(kind, 'accepted').filter(early));
      // A consultation is never investigated, only a dispute is mediated: those cells are '—'.
      const reaches = (s: 'investigating' | 'mediating') =>
        s === 'investigating' ? kind !== 'consultation' : kind === 'dispute';
      for (const [status, cell] of [
        ['investigating', fromInvestigating],
        ['mediating', fromMediating],
      ] as const)
        expect(steps(cell!)).toEqual(reaches(status) ? nextSteps(kind, status).filter(early) : []);
      const documented = [...outcomes!.matchAll(/`([a-z]+)`/g)]
        .map((m) => m[1]!)
        .filter((o) => (CASE_OUTCOMES as readonly string[]).includes(o));
      expect(documented).toEqual([...OUTCOMES_OF[kind]]);
    }
  });

  it('states k', () => {
    expect(doc).toContain(`k = ${K_ANONYMITY}`);
  });
});
