/**
 * The demo accounts: one per role (two for the roles whose scope tests compare), bound to areas
 * and bodies chosen by SQL over the seeded city, so that the same usernames work at every scale.
 * Every account has the password DEMO_PASSWORD and is marked `demo`, which is what makes the
 * sign-in screen offer them; a database seeded without them (PostgreSQL by default) has none.
 */
import { sql } from 'kysely';
import { PUBLIC_DEMO_PASSWORD } from '../../geo/accounts.ts';
import type { Role } from '../../geo/operations.ts';
import type { Rng } from '../../geo/prng.ts';
import { createRng } from '../../geo/prng.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import type { Tx } from './write.ts';

/** The README's password; only the embedded demo has accounts with it (marked `demo`). */
export const DEMO_PASSWORD = PUBLIC_DEMO_PASSWORD;

export interface DemoAccount {
  username: string;
  role: Role;
  /** What the account is bound to, for the README and the sign-in page. */
  scope: { zh: string; en: string };
}

/** The seeded demo accounts, in the order the README lists them. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'city', role: 'city', scope: { zh: '全市', en: 'the whole city' } },
  { username: 'district', role: 'district', scope: { zh: '城关区', en: '城关区 (620102)' } },
  { username: 'district2', role: 'district', scope: { zh: '七里河区', en: '七里河区 (620103)' } },
  {
    username: 'subdistrict',
    role: 'subdistrict',
    scope: {
      zh: '城关区内有物业小区最多的街道',
      en: 'the subdistrict of 城关区 with the most compounds that have a property company',
    },
  },
  {
    username: 'community',
    role: 'community',
    scope: {
      zh: '该街道内有物业小区最多的社区',
      en: 'the community of that subdistrict with the most compounds that have a property company',
    },
  },
  {
    username: 'community2',
    role: 'community',
    scope: { zh: '七里河区的一个社区', en: 'a community in 七里河区' },
  },
  {
    username: 'gridworker',
    role: 'gridworker',
    scope: {
      zh: 'community 账号所在社区中小区最多的网格',
      en: 'the grid of `community` with the most compounds',
    },
  },
  {
    username: 'sentinel',
    role: 'sentinel',
    scope: { zh: 'community 账号所在社区', en: 'the community of `community`' },
  },
  {
    username: 'property',
    role: 'property_company',
    scope: {
      zh: '在 community 账号所在社区管理小区最多的物业企业',
      en: 'the property company managing the most compounds in `community`',
    },
  },
  {
    username: 'property2',
    role: 'property_company',
    scope: {
      zh: '在 community 账号所在社区没有小区的物业企业',
      en: 'a property company managing no compound in `community`',
    },
  },
  {
    username: 'department',
    role: 'department',
    scope: { zh: '市住房和城乡建设局', en: 'the housing bureau (housing)' },
  },
  {
    username: 'department2',
    role: 'department',
    scope: { zh: '市供水集团', en: 'the water utility (water)' },
  },
  {
    username: 'planner',
    role: 'planner',
    scope: { zh: '全市（仅汇总）', en: 'the whole city (aggregates only)' },
  },
  {
    username: 'mediator',
    role: 'mediator',
    scope: {
      zh: 'property 账号所属物业企业的物业纠纷人民调解委员会（专职调解员）',
      en: "a full-time mediator of the property-dispute mediation committee of `property`'s company",
    },
  },
  {
    username: 'mediator-director',
    role: 'mediator',
    scope: {
      zh: '同一调解委员会主任（可见全部当事人信息）',
      en: "the director of that committee (sees every case's parties)",
    },
  },
];

const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 4));

/** A plausible person's name: a common surname and a given name, as residents' names are built. */
export function personName(rng: Rng): string {
  return `${SURNAMES[rng.weighted(SURNAME_WEIGHTS)]}${rng.pick(GIVEN_NAMES)}`;
}

/**
 * The gridworker of a grid (网格员), the same for a seed whatever else is generated: patrols,
 * hazard reports and the `gridworker` account of that grid all carry this name.
 */
export function gridworkerName(seed: number, gridId: number): string {
  return personName(createRng(`minqing/${seed}/gridworkers/${gridId}`));
}

/** The areas and bodies the demo accounts are bound to. */
export interface DemoScopes {
  district: number;
  district2: number;
  subdistrict: number;
  community: number;
  community2: number;
  grid: number;
  company: number;
  company2: number;
  housing: number;
  water: number;
  names: Record<'subdistrict' | 'community' | 'community2' | 'company' | 'company2', string>;
}

async function oneRow<T>(tx: Tx, what: string, query: ReturnType<typeof sql<T>>): Promise<T> {
  const r = await query.execute(tx);
  const row = r.rows[0];
  if (!row) throw new Error(`Cannot seed the demo accounts: no ${what} in the seeded city`);
  return row;
}

/** Picks the scopes by SQL over the seeded data, so that they exist at every scale. */
export async function pickScopes(tx: Tx): Promise<DemoScopes> {
  const district = await oneRow(
    tx,
    'district 620102',
    sql<{ id: number }>`SELECT id FROM areas WHERE level = 'district' AND code = '620102'`,
  );
  const district2 = await oneRow(
    tx,
    'district 620103',
    sql<{ id: number }>`SELECT id FROM areas WHERE level = 'district' AND code = '620103'`,
  );
  // Compounds with and without a property company per area of a level, over the compound paths.
  const managed = (level: number) => sql`
    SELECT a.path[${level}] AS id,
      count(*) FILTER (WHERE k.property_company_id IS NOT NULL)::int AS n_with,
      count(*) FILTER (WHERE k.property_company_id IS NULL)::int AS n_without
    FROM areas a JOIN compounds k ON k.area_id = a.id
    WHERE a.level = 'compound' GROUP BY 1`;
  const subdistrict = await oneRow(
    tx,
    'subdistrict of 城关区 with a managed compound',
    sql<{ id: number; name: string }>`
      SELECT s.id, s.name FROM areas s JOIN (${managed(2)}) m ON m.id = s.id
      WHERE s.level = 'subdistrict' AND s.parent_id = ${district.id} AND m.n_with > 0
      ORDER BY m.n_with DESC, s.code, s.id LIMIT 1`,
  );
  // A community where both 社区吹哨 (a managed compound) and its refusal (无物业) can be shown.
  const community = await oneRow(
    tx,
    'community with a managed compound',
    sql<{ id: number; name: string }>`
      SELECT c.id, c.name FROM areas c JOIN (${managed(3)}) m ON m.id = c.id
      WHERE c.level = 'community' AND c.parent_id = ${subdistrict.id} AND m.n_with > 0
      ORDER BY (m.n_without > 0) DESC, m.n_with DESC, c.code, c.id LIMIT 1`,
  );
  const community2 = await oneRow(
    tx,
    'community of 七里河区 with a managed compound',
    sql<{ id: number; name: string }>`
      SELECT c.id, c.name FROM areas c JOIN (${managed(3)}) m ON m.id = c.id
      WHERE c.level = 'community' AND c.path[1] = ${district2.id} AND m.n_with > 0
      ORDER BY m.n_with DESC, c.code, c.id LIMIT 1`,
  );
  const grid = await oneRow(
    tx,
    'grid in the community',
    sql<{ id: number }>`
      SELECT g.id FROM areas g JOIN areas c ON c.parent_id = g.id AND c.level = 'compound'
      WHERE g.level = 'grid' AND g.parent_id = ${community.id}
      GROUP BY g.id ORDER BY count(*) DESC, g.id LIMIT 1`,
  );
  const company = await oneRow(
    tx,
    'property company in the community',
    sql<{ id: number; name: string }>`
      SELECT p.id, p.name FROM property_companies p
      JOIN compounds k ON k.property_company_id = p.id
      JOIN areas a ON a.id = k.area_id AND a.path[3] = ${community.id}
      GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`,
  );
  // Prefer a company with work in community2, so that its account has something of its own to see.
  const company2 = await oneRow(
    tx,
    'property company outside the community',
    sql<{ id: number; name: string }>`
      SELECT p.id, p.name FROM property_companies p
      LEFT JOIN compounds k ON k.property_company_id = p.id
      LEFT JOIN areas a ON a.id = k.area_id
      GROUP BY p.id
      HAVING count(*) FILTER (WHERE a.path[3] = ${community.id}) = 0
      ORDER BY count(*) FILTER (WHERE a.path[3] = ${community2.id}) DESC, count(a.id) DESC, p.id
      LIMIT 1`,
  );
  const dept = (code: string) =>
    oneRow(
      tx,
      `department ${code}`,
      sql<{ id: number }>`SELECT id FROM departments WHERE code = ${code}`,
    );
  return {
    district: district.id,
    district2: district2.id,
    subdistrict: subdistrict.id,
    community: community.id,
    community2: community2.id,
    grid: grid.id,
    company: company.id,
    company2: company2.id,
    housing: (await dept('housing')).id,
    water: (await dept('water')).id,
    names: {
      subdistrict: subdistrict.name,
      community: community.name,
      community2: community2.name,
      company: company.name,
      company2: company2.name,
    },
  };
}

interface AccountRow {
  username: string;
  displayName: string;
  role: Role;
  areaId: number | null;
  companyId: number | null;
  departmentId: number | null;
}

/**
 * Inserts the demo accounts with one shared hash (scrypt is deliberately slow: hashing thirteen
 * times would add most of a second to every seed). Returns the account ids by username.
 */
export async function insertAccounts(
  tx: Tx,
  scopes: DemoScopes,
  passwordHash: string,
  seed: number,
): Promise<Record<string, number>> {
  const rng = createRng(`minqing/${seed}/accounts`);
  const surname = () => SURNAMES[rng.int(0, 20)];
  const area = (username: string, role: Role, areaId: number, displayName: string) => ({
    username,
    role,
    displayName,
    areaId,
    companyId: null,
    departmentId: null,
  });
  const rows: AccountRow[] = [
    area('district', 'district', scopes.district, '城关区指挥中心'),
    area('district2', 'district', scopes.district2, '七里河区指挥中心'),
    area('subdistrict', 'subdistrict', scopes.subdistrict, `${scopes.names.subdistrict}综治中心`),
    area('community', 'community', scopes.community, `${scopes.names.community} ${surname()}书记`),
    area(
      'community2',
      'community',
      scopes.community2,
      `${scopes.names.community2} ${surname()}书记`,
    ),
    area('gridworker', 'gridworker', scopes.grid, gridworkerName(seed, scopes.grid)),
    area('sentinel', 'sentinel', scopes.community, `快递员 ${surname()}师傅`),
    {
      username: 'property',
      role: 'property_company',
      displayName: scopes.names.company,
      areaId: null,
      companyId: scopes.company,
      departmentId: null,
    },
    {
      username: 'property2',
      role: 'property_company',
      displayName: scopes.names.company2,
      areaId: null,
      companyId: scopes.company2,
      departmentId: null,
    },
    {
      username: 'department',
      role: 'department',
      displayName: '市住房和城乡建设局',
      areaId: null,
      companyId: null,
      departmentId: scopes.housing,
    },
    {
      username: 'department2',
      role: 'department',
      displayName: '市供水集团',
      areaId: null,
      companyId: null,
      departmentId: scopes.water,
    },
    {
      username: 'city',
      role: 'city',
      displayName: '全市指挥中心值班长',
      areaId: null,
      companyId: null,
      departmentId: null,
    },
    {
      username: 'planner',
      role: 'planner',
      displayName: '市住建局规划科',
      areaId: null,
      companyId: null,
      departmentId: null,
    },
    // The mediation seed (scripts/seed/mediation.ts) binds these to mediators of the committee
    // sponsored by `property`'s company, by username.
    {
      username: 'mediator',
      role: 'mediator',
      displayName: `${surname()}调解员`,
      areaId: null,
      companyId: null,
      departmentId: null,
    },
    {
      username: 'mediator-director',
      role: 'mediator',
      displayName: `${surname()}主任`,
      areaId: null,
      companyId: null,
      departmentId: null,
    },
  ];
  // Insert in the README's order, so ids read the same on every database.
  const order = new Map(DEMO_ACCOUNTS.map((a, i) => [a.username, i]));
  rows.sort((a, b) => order.get(a.username)! - order.get(b.username)!);
  const r = await sql<{ id: number; username: string }>`
    INSERT INTO accounts (username, display_name, role, area_id, property_company_id,
      department_id, password_hash, demo)
    SELECT u.username, u.display_name, u.role, nullif(u.area, 0), nullif(u.company, 0),
      nullif(u.dept, 0), ${passwordHash}, true
    FROM unnest(${rows.map((a) => a.username)}::text[], ${rows.map((a) => a.displayName)}::text[],
      ${rows.map((a) => a.role)}::text[], ${rows.map((a) => a.areaId ?? 0)}::int4[],
      ${rows.map((a) => a.companyId ?? 0)}::int4[], ${rows.map((a) => a.departmentId ?? 0)}::int4[])
      WITH ORDINALITY AS u(username, display_name, role, area, company, dept, n)
    ORDER BY u.n
    RETURNING id, username`.execute(tx);
  if (r.rows.length !== rows.length) {
    throw new Error(`Wrote ${r.rows.length} of ${rows.length} demo accounts`);
  }
  return Object.fromEntries(r.rows.map((x) => [x.username, x.id]));
}
