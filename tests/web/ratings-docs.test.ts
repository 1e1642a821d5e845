import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cutoffsLine,
  FOLLOWUP_RED_MONTHS,
  methodTable,
  RATING_INDICATORS,
} from '../../geo/rating-method.ts';

// The documented method is the method: docs/ratings.md holds the module's own table.
/** A Markdown table's rows as trimmed cells (whatever the column padding Prettier gives it). */
const tableRows = (md: string) =>
  md
    .split('\n')
    .filter((l) => l.trim().startsWith('|') && !/^\|[\s|:-]+\|$/.test(l.trim()))
    .map((l) =>
      l
        .trim()
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );

describe('docs/ratings.md', () => {
  const doc = readFileSync('docs/ratings.md', 'utf8');
  it('holds the indicator table and the cutoffs generated from geo/rating-method.ts', () => {
    const rows = tableRows(doc).map((r) => JSON.stringify(r));
    for (const row of tableRows(methodTable())) expect(rows).toContain(JSON.stringify(row));
    expect(doc).toContain(cutoffsLine());
    for (const i of RATING_INDICATORS) expect(doc).toContain(`\`${i.key}\``);
  });
  it('states the follow-up rule with the module’s number of months', () => {
    expect(doc).toContain(`red in one of the last ${FOLLOWUP_RED_MONTHS} rated months`);
  });
});
