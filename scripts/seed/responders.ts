/**
 * Who answers a ticket: property companies (物业企业, with credit scores and the red/black list),
 * government departments and utilities, or the community itself (neither set on the ticket).
 */
import type { Rng } from '../../geo/prng.ts';
import type { TicketCategory } from '../../geo/vocabulary.ts';
import { companyName } from './names.ts';

export interface CompanyRow {
  id: number;
  name: string;
  creditScore: number;
  list: 'red' | 'black' | 'none';
  trustModel: boolean;
  /** Where it mostly works; null for the few city-wide firms. */
  districtCode: string | null;
  /** Relative market share: a few large firms, many small ones. */
  size: number;
}

export const DEPARTMENTS = [
  { code: 'housing', name: '市住房和城乡建设局' },
  { code: 'urban_management', name: '市城市管理局' },
  { code: 'justice', name: '市司法局' },
  { code: 'police', name: '市公安局' },
  { code: 'traffic_police', name: '市公安局交通警察支队' },
  { code: 'fire', name: '市消防救援支队' },
  { code: 'civil_affairs', name: '市民政局' },
  { code: 'market_regulation', name: '市市场监督管理局' },
  { code: 'ecology', name: '市生态环境局' },
  { code: 'health', name: '市卫生健康委员会' },
  { code: 'emergency', name: '市应急管理局' },
  { code: 'water', name: '市供水集团' },
  { code: 'heating', name: '市热力公司' },
  { code: 'gas', name: '市燃气集团' },
  { code: 'power', name: '国网兰州供电公司' },
] as const;
export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

/** Department ids are their 1-based position in DEPARTMENTS. */
export function departmentId(code: DepartmentCode): number {
  return DEPARTMENTS.findIndex((d) => d.code === code) + 1;
}

export function generateCompanies(
  rng: Rng,
  count: number,
  districtCodes: readonly string[],
): CompanyRow[] {
  const used = new Set<string>();
  const shares = [0.42, 0.22, 0.14, 0.15, 0.07];
  const rows: CompanyRow[] = [];
  for (let i = 0; i < count; i++) {
    const credit = Math.round(Math.min(99, Math.max(42, rng.normal(80, 9))) * 10) / 10;
    rows.push({
      id: i + 1,
      name: companyName(rng, used),
      creditScore: credit,
      list: 'none',
      trustModel: rng.chance(0.12),
      districtCode: rng.chance(0.06)
        ? null
        : districtCodes[rng.weighted(shares.slice(0, districtCodes.length))],
      size: 1 / (1 + rng.int(0, count)) ** 0.7,
    });
  }
  // 红黑榜: the best-rated firms make the red list, the worst the black list.
  const ranked = [...rows].sort((a, b) => b.creditScore - a.creditScore);
  ranked.slice(0, Math.round(count * 0.08)).forEach((c) => (c.list = 'red'));
  ranked.slice(count - Math.max(1, Math.round(count * 0.05))).forEach((c) => (c.list = 'black'));
  return rows;
}

export interface Route {
  companyId: number | null;
  departmentId: number | null;
}

/**
 * Routing by category: property matters go to the compound's company when it has one; with none
 * (无物业) they fall to the housing bureau or the community. Heating complaints go to the heat
 * utility in the heating season (1 November – 31 March in Lanzhou).
 */
export function routeTicket(
  rng: Rng,
  category: TicketCategory,
  companyId: number | null,
  inCompound: boolean,
  heatingSeason: boolean,
): Route {
  const company = (p: number): Route | null =>
    companyId !== null && inCompound && rng.chance(p) ? { companyId, departmentId: null } : null;
  const dept = (code: DepartmentCode): Route => ({
    companyId: null,
    departmentId: departmentId(code),
  });
  const community: Route = { companyId: null, departmentId: null };
  const pick = (options: [number, () => Route][]): Route =>
    options[rng.weighted(options.map((o) => o[0]))][1]();
  switch (category) {
    case 'parking':
      return (
        company(0.75) ??
        pick([
          [5, () => community],
          [3, () => dept('traffic_police')],
          [2, () => dept('urban_management')],
        ])
      );
    case 'facilities':
      if (heatingSeason && rng.chance(0.45)) return dept('heating');
      return (
        company(0.6) ??
        pick([
          [4, () => dept('housing')],
          [3, () => dept('water')],
          [1, () => dept('gas')],
          [1, () => dept('power')],
          [2, () => community],
        ])
      );
    case 'property_service':
      return (
        company(0.9) ??
        pick([
          [6, () => dept('housing')],
          [4, () => community],
        ])
      );
    case 'dispute':
      return (
        company(0.25) ??
        pick([
          [6, () => community],
          [3, () => dept('justice')],
          [1, () => dept('police')],
        ])
      );
    case 'legal_aid':
      return pick([
        [9, () => dept('justice')],
        [1, () => community],
      ]);
    case 'sanitation':
      return (
        company(0.7) ??
        pick([
          [7, () => dept('urban_management')],
          [3, () => community],
        ])
      );
    case 'noise':
      return pick([
        [5, () => dept('police')],
        [3, () => dept('ecology')],
        [2, () => dept('urban_management')],
      ]);
    case 'safety':
      return (
        company(0.2) ??
        pick([
          [5, () => dept('fire')],
          [2, () => dept('emergency')],
          [2, () => dept('gas')],
          [1, () => dept('power')],
        ])
      );
    case 'elder_child_care':
      return pick([
        [7, () => dept('civil_affairs')],
        [2, () => dept('health')],
        [1, () => community],
      ]);
    case 'other':
      return pick([
        [6, () => community],
        [2, () => dept('market_regulation')],
        [2, () => dept('urban_management')],
      ]);
  }
}
