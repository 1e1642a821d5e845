/**
 * The party organisation's pure rules, shared by the server and the web: how personal data is
 * masked for roles that may not see it, and how coverage figures become shares, a score and a
 * ranking. No database, no DOM.
 */

/** The kinds of gap (缺口) the gap map counts, in the order the UI lists them. */
export const GAP_KINDS = [
  'no_property_company',
  'no_owners_committee',
  'no_party_branch',
  'no_building_steward',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];

/**
 * A name with all but its first character hidden.
 *
 * @example
 * maskName('张建国'); // '张**'
 * maskName('欧阳娜'); // '欧**'
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/**
 * A phone number with its middle digits hidden (the 3–4–4 mask Chinese services use).
 *
 * @example
 * maskPhone('13812345678'); // '138****5678'
 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** What coverage is counted from, for one area (or the sum of several). */
export interface CoverageCounts {
  compounds: number;
  withCompany: number;
  withCommittee: number;
  withBranch: number;
  demonstration: number;
  buildings: number;
  buildingsWithSteward: number;
  /** compounds without a company or an owners' committee (they need 包联 and 包抓) */
  needPairing: number;
  /** …of them, those with both a 包联 and a 包抓 org */
  paired: number;
  openGaps: number;
  overdueGaps: number;
}

export interface CoverageShares {
  company: number | null;
  committee: number | null;
  branch: number | null;
  steward: number | null;
  /** mean of the four shares, 0–100 (one decimal); null for an area with no compound */
  score: number | null;
}

const share = (n: number, of: number) => (of === 0 ? null : n / of);

/**
 * The shares of an area's compounds with a company, a committee, a branch, and of its buildings
 * with a 党员中心户; the score is their mean in percent (shares without a denominator are left out).
 *
 * @example
 * coverageShares({ compounds: 4, withCompany: 2, withCommittee: 1, withBranch: 4, buildings: 10,
 *   buildingsWithSteward: 5, ... }).score; // (0.5 + 0.25 + 1 + 0.5) / 4 * 100 = 56.3
 */
export function coverageShares(c: CoverageCounts): CoverageShares {
  const parts = {
    company: share(c.withCompany, c.compounds),
    committee: share(c.withCommittee, c.compounds),
    branch: share(c.withBranch, c.compounds),
    steward: share(c.buildingsWithSteward, c.buildings),
  };
  const known = Object.values(parts).filter((x): x is number => x !== null);
  const score =
    known.length === 0
      ? null
      : Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 1000) / 10;
  return { ...parts, score };
}

/** Sums coverage counts (an area's from its children's). */
export function sumCoverage(rows: readonly CoverageCounts[]): CoverageCounts {
  const out: CoverageCounts = {
    compounds: 0,
    withCompany: 0,
    withCommittee: 0,
    withBranch: 0,
    demonstration: 0,
    buildings: 0,
    buildingsWithSteward: 0,
    needPairing: 0,
    paired: 0,
    openGaps: 0,
    overdueGaps: 0,
  };
  for (const r of rows)
    for (const k of Object.keys(out) as (keyof CoverageCounts)[]) out[k] += r[k];
  return out;
}

/**
 * Ranks (1 = best) by score, highest first; ties share a rank (1, 2, 2, 4); areas without a
 * score come last, unranked (null).
 *
 * @example
 * rankByScore([{ score: 80 }, { score: 90 }, { score: 80 }, { score: null }]);
 * // [2, 1, 2, null]
 */
export function rankByScore(rows: readonly { score: number | null }[]): (number | null)[] {
  return rows.map((r) =>
    r.score === null ? null : 1 + rows.filter((o) => o.score !== null && o.score > r.score!).length,
  );
}

/** Whether a task is past its due date on `today` (YYYY-MM-DD, Beijing time). */
export function isOverdue(t: { status: string; dueOn: string | null }, today: string): boolean {
  return t.status !== 'closed' && t.dueOn !== null && t.dueOn < today;
}
