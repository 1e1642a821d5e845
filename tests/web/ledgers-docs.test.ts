import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_THRESHOLDS,
  CSV_ERROR_CODES,
  CSV_LIMITS,
  DISCLOSURE_STATUSES,
  DUE_DAY,
  FLAG_RULES,
  LEDGER_CATEGORIES,
} from '../../geo/ledgers.ts';
import { ledgersEn, ledgersZh } from '../../web/src/lib/i18n-ledgers.ts';

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

// The documented method is the method: docs/ledgers.md holds geo/ledgers.ts's tables.
describe('docs/ledgers.md', () => {
  const doc = readFileSync('docs/ledgers.md', 'utf8');
  const rows = tableRows(doc);
  it('lists every category with its section and Chinese name', () => {
    for (const c of LEDGER_CATEGORIES)
      expect(rows).toContainEqual([`\`${c.key}\``, `\`${c.section}\``, c.zh]);
  });
  it('states every threshold, rule, status, the due day and the limits', () => {
    for (const [k, v] of Object.entries(ANOMALY_THRESHOLDS))
      expect(rows).toContainEqual([`\`${k}\``, String(v)]);
    for (const r of FLAG_RULES)
      expect(
        rows.some((x) => x[0] === `\`${r}\``),
        r,
      ).toBe(true);
    for (const s of DISCLOSURE_STATUSES)
      expect(
        rows.some((x) => x[0] === `\`${s}\``),
        s,
      ).toBe(true);
    expect(doc).toContain(`\`DUE_DAY = ${DUE_DAY}\``);
    expect(doc).toContain(
      `at most ${CSV_LIMITS.maxRows} rows and ${CSV_LIMITS.maxBytes / 1024} KB`,
    );
  });
});

describe('ledger words', () => {
  it('name every category, status and flag rule in both languages', () => {
    const keys = [
      ...LEDGER_CATEGORIES.map((c) => `ledgers.cat.${c.key}`),
      ...DISCLOSURE_STATUSES.map((s) => `ledgers.status.${s}`),
      ...FLAG_RULES.map((r) => `ledgers.flag.${r}`),
      ...CSV_ERROR_CODES.map((c) => `ledgers.csv.${c}`),
    ];
    for (const k of keys) {
      expect(ledgersZh, k).toHaveProperty([k]);
      expect(ledgersEn, k).toHaveProperty([k]);
    }
    // The same placeholders in both languages.
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(ledgersZh) as (keyof typeof ledgersZh)[])
      expect(holes(ledgersEn[k]), k).toEqual(holes(ledgersZh[k]));
  });
});
