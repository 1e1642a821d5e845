/**
 * 吹哨报到 on stuck tickets: about one in thirty of the tickets received in the last two months
 * that are still open past their deadline got a whistle some hours after going overdue — the
 * community whistling the compound's property company (社区吹哨、物业报到), or, for tickets a
 * department answers, the subdistrict whistling that department and sometimes another
 * (街道吹哨、部门报到). Most bodies reported in, a quarter of them late; some whistles were resolved.
 *
 * The mix is then checked at "now": the demo community has an open whistle naming its property
 * company, and there are open whistles in every state (awaiting report-in, report-in late, in
 * progress, resolution late), so that every colour of the map's whistle layer can be seen.
 */
import { sql } from 'kysely';
import type { WhistleState } from '../../geo/operations.ts';
import {
  WHISTLE_DEFAULT_REPORT_HOURS,
  WHISTLE_DEFAULT_RESOLVE_HOURS,
} from '../../geo/operations.ts';
import { createRng, type Rng } from '../../geo/prng.ts';
import type { TicketCategory } from '../../geo/vocabulary.ts';
import { type DemoScopes, personName } from './accounts.ts';
import { beijingYmd } from './calendar.ts';
import type { Tx } from './write.ts';

const H = 3600;
const SHARE = 0.03;
const MIN_WHISTLES = 5;
const WINDOW_DAYS = 60;

const COMMUNITY_REASONS = [
  '超期未办结，物业响应迟缓，请物业负责人到社区报到',
  '居民多次反映，物业迟迟未到场处置',
  '涉及小区公共部位，需物业限期整改',
  '诉求超期，社区协调无果，吹哨督办',
];
const SUBDISTRICT_REASONS = [
  '超期未办结，涉及部门职责，请部门到场报到',
  '社区无法协调解决，提请街道吹哨',
  '涉及多部门职责交叉，需现场会商',
  '居民反映强烈，请职能部门限时处置',
];
const COMPANY_NOTES = [
  '已到场，安排维修人员处置',
  '项目经理已到现场对接',
  '已制定整改方案，限期完成',
];
const DEPARTMENT_NOTES = ['已派员到场会商', '已受理，列入本周处置计划', '已联系责任单位现场处置'];
const RESOLUTIONS = [
  '已处置完毕，居民认可',
  '经四方联席会议协商解决',
  '已明确责任主体并完成整改',
  '已落实整改，转入日常监管',
];
/** The department a subdistrict sometimes whistles as well, by category. */
const ALSO: Record<TicketCategory, string[]> = {
  parking: ['traffic_police', 'urban_management'],
  facilities: ['housing', 'water', 'gas', 'power', 'heating'],
  property_service: ['housing'],
  dispute: ['justice', 'police'],
  legal_aid: ['justice'],
  sanitation: ['urban_management', 'ecology'],
  noise: ['ecology', 'urban_management', 'police'],
  safety: ['fire', 'emergency', 'gas'],
  elder_child_care: ['civil_affairs', 'health'],
  other: ['urban_management', 'market_regulation'],
};

interface Stuck {
  id: number;
  dueS: number;
  company: number | null;
  dept: number | null;
  compound: number;
  community: number;
  subdistrict: number;
  title: string;
  category: TicketCategory;
}

interface Responder {
  company: number | null;
  dept: number | null;
  reportedS: number | null;
  person: string;
  note: string;
}

interface Whistle {
  ticket: Stuck | null;
  compound: number;
  community: number;
  subdistrict: number;
  level: 'community' | 'subdistrict';
  reason: string;
  blownS: number;
  resolvedS: number | null;
  resolution: string;
  responders: Responder[];
  /** Set aside for the demo community or a state: not rewritten again. */
  pinned: boolean;
  rng: Rng;
}

const reportDue = (w: Whistle) => w.blownS + WHISTLE_DEFAULT_REPORT_HOURS * H;
const resolveDue = (w: Whistle) => w.blownS + WHISTLE_DEFAULT_RESOLVE_HOURS * H;

/** The state the server will show at `nowS` (WHISTLE_STATE in server/db/queries/whistles.ts). */
export function whistleState(w: Whistle, nowS: number): WhistleState {
  if (w.resolvedS !== null) return 'resolved';
  const pending = w.responders.some((r) => r.reportedS === null);
  if (pending) return nowS > reportDue(w) ? 'report_late' : 'awaiting_report';
  return nowS > resolveDue(w) ? 'resolve_late' : 'in_progress';
}

type OpenState = Exclude<WhistleState, 'resolved'>;

/**
 * When a whistle must have been blown to be in `state` at `nowS`: after its ticket went overdue,
 * and within the report-in (2 h) and resolution (72 h) clocks the state needs.
 */
function blownRange(w: Whistle, state: OpenState, nowS: number): [number, number] {
  const after = (w.ticket?.dueS ?? -Infinity) + 600;
  const ranges: Record<OpenState, [number, number]> = {
    awaiting_report: [nowS - 100 * 60, nowS - 10 * 60],
    report_late: [nowS - 40 * H, nowS - 3 * H],
    in_progress: [nowS - 70 * H, nowS - 3 * H],
    resolve_late: [nowS - 200 * H, nowS - 76 * H],
  };
  const [lo, hi] = ranges[state];
  return [Math.max(lo, after), hi];
}

function canForce(w: Whistle, state: OpenState, nowS: number): boolean {
  const [lo, hi] = blownRange(w, state, nowS);
  return !w.pinned && lo < hi;
}

/** Sets the clocks of a whistle so that it is in `state` at `nowS`. */
function force(w: Whistle, state: OpenState, nowS: number): void {
  const r = w.rng.fork(state);
  const [lo, hi] = blownRange(w, state, nowS);
  w.blownS = r.int(lo, hi);
  w.resolvedS = null;
  w.resolution = '';
  for (const x of w.responders) {
    x.reportedS =
      state === 'awaiting_report' || state === 'report_late'
        ? null
        : w.blownS + r.int(10 * 60, WHISTLE_DEFAULT_REPORT_HOURS * H - 60);
  }
  w.pinned = true;
}

async function loadStuck(tx: Tx, now: Date): Promise<Stuck[]> {
  // "The last two months" of the data, which may end before now on an older database.
  const r = await sql<{ body: string | null }>`
    WITH ref AS (SELECT least(${now}::timestamptz, max(received_at)) AS t FROM tickets)
    SELECT json_agg(json_build_array(t.id, extract(epoch FROM t.due_at)::int8,
      t.property_company_id, t.department_id, t.compound_id, t.community_id, t.subdistrict_id,
      t.title, t.category) ORDER BY t.id)::text AS body
    FROM tickets t, ref
    WHERE t.status NOT IN ('closed', 'resolved', 'rejected_duplicate')
      AND t.received_at >= ref.t - make_interval(days => ${WINDOW_DAYS})
      AND t.due_at < ${now}::timestamptz - interval '2 hours'
      AND t.compound_id IS NOT NULL
      AND (t.property_company_id IS NOT NULL OR t.department_id IS NOT NULL)`.execute(tx);
  const rows = JSON.parse(r.rows[0]?.body ?? '[]') as [
    number,
    number,
    number | null,
    number | null,
    number,
    number,
    number,
    string,
    TicketCategory,
  ][];
  return rows.map(
    ([id, dueS, company, dept, compound, community, subdistrict, title, category]) => ({
      id,
      dueS: Number(dueS),
      company,
      dept,
      compound,
      community,
      subdistrict,
      title,
      category,
    }),
  );
}

function whistleFor(t: Stuck, rng: Rng, nowS: number, departments: Map<string, number>): Whistle {
  const level = t.company !== null ? 'community' : 'subdistrict';
  let blownS = t.dueS + rng.int(2 * H, 30 * H);
  if (blownS > nowS - 600)
    blownS = Math.round(t.dueS + (nowS - 600 - t.dueS) * rng.range(0.3, 0.9));
  const bodies: { company: number | null; dept: number | null }[] =
    level === 'community'
      ? [{ company: t.company, dept: null }]
      : [{ company: null, dept: t.dept }];
  if (level === 'subdistrict' && rng.chance(0.3)) {
    const also = departments.get(rng.pick(ALSO[t.category]));
    if (also !== undefined && also !== t.dept) bodies.push({ company: null, dept: also });
  }
  const w: Whistle = {
    ticket: t,
    compound: t.compound,
    community: t.community,
    subdistrict: t.subdistrict,
    level,
    reason: `「${t.title}」${rng.pick(level === 'community' ? COMMUNITY_REASONS : SUBDISTRICT_REASONS)}`,
    blownS,
    resolvedS: null,
    resolution: '',
    responders: [],
    pinned: false,
    rng,
  };
  const due = reportDue(w);
  w.responders = bodies.map((b) => {
    let reportedS: number | null = null;
    if (rng.chance(0.7)) {
      reportedS = rng.chance(0.25)
        ? due + rng.int(600, 18 * H)
        : blownS + rng.int(600, WHISTLE_DEFAULT_REPORT_HOURS * H - 60);
      if (reportedS > nowS) reportedS = null;
    }
    return {
      ...b,
      reportedS,
      person: personName(rng),
      note: rng.pick(b.company !== null ? COMPANY_NOTES : DEPARTMENT_NOTES),
    };
  });
  const reported = w.responders.map((x) => x.reportedS);
  if (resolveDue(w) < nowS && reported.every((x) => x !== null) && rng.chance(0.4)) {
    const at = Math.max(...(reported as number[])) + rng.int(4 * H, 90 * H);
    if (at <= nowS) {
      w.resolvedS = at;
      w.resolution = rng.pick(RESOLUTIONS);
    }
  }
  return w;
}

export function generateWhistles(
  stuck: Stuck[],
  opts: {
    seed: number;
    nowS: number;
    scopes: DemoScopes;
    departments: Map<string, number>;
    /** A compound of the demo community that the demo company manages. */
    companyCompound: { id: number; community: number; subdistrict: number };
  },
): Whistle[] {
  const base = createRng(`minqing/${opts.seed}/whistles`);
  const draws = stuck.map((t) => ({ t, rng: base.fork(t.id) }));
  const picked = new Set(draws.filter((d) => d.rng.chance(SHARE)).map((d) => d.t.id));
  // A small city has few stuck tickets: top up with those of the lowest draw.
  const rest = draws
    .filter((d) => !picked.has(d.t.id))
    .map((d) => ({ id: d.t.id, u: d.rng.fork('top-up').next() }))
    .sort((a, b) => a.u - b.u);
  while (picked.size < MIN_WHISTLES && rest.length > 0) picked.add(rest.shift()!.id);
  const whistles = draws
    .filter((d) => picked.has(d.t.id))
    .map((d) => whistleFor(d.t, d.rng, opts.nowS, opts.departments));

  // The demo community's supervisor and property company must each find an open whistle.
  const { scopes, nowS } = opts;
  const mine = (w: Whistle) =>
    w.community === scopes.community && w.responders.some((r) => r.company === scopes.company);
  if (!whistles.some((w) => mine(w) && whistleState(w, nowS) !== 'resolved')) {
    let w = whistles.find((x) => mine(x) && canForce(x, 'awaiting_report', nowS));
    if (!w) {
      const t = stuck.find(
        (x) =>
          !picked.has(x.id) && x.community === scopes.community && x.company === scopes.company,
      );
      if (t) {
        w = whistleFor(t, base.fork(t.id), nowS, opts.departments);
        whistles.push(w);
        rest.splice(
          rest.findIndex((x) => x.id === t.id),
          1,
        );
      }
    }
    if (!w || !canForce(w, 'awaiting_report', nowS)) {
      // No stuck ticket of the company there: a whistle about the compound itself.
      const rng = base.fork(`compound/${opts.companyCompound.id}`);
      w = {
        ticket: null,
        compound: opts.companyCompound.id,
        community: opts.companyCompound.community,
        subdistrict: opts.companyCompound.subdistrict,
        level: 'community',
        reason: '小区消防通道长期被占用，物业多次整改不到位',
        blownS: nowS - H,
        resolvedS: null,
        resolution: '',
        responders: [
          {
            company: scopes.company,
            dept: null,
            reportedS: null,
            person: personName(rng),
            note: rng.pick(COMPANY_NOTES),
          },
        ],
        pinned: false,
        rng,
      };
      whistles.push(w);
    }
    force(w, 'awaiting_report', nowS);
  }

  // Every open state on the map: a whistle taken from the most common state, or one more.
  const states = ['awaiting_report', 'report_late', 'in_progress', 'resolve_late'] as const;
  for (const state of states) {
    const count = (s: WhistleState) => whistles.filter((w) => whistleState(w, nowS) === s).length;
    if (count(state) > 0) continue;
    let donor = whistles
      .filter((w) => canForce(w, state, nowS) && count(whistleState(w, nowS)) > 1)
      .sort((a, b) => count(whistleState(b, nowS)) - count(whistleState(a, nowS)))[0];
    if (!donor) {
      const t = rest.find((x) => {
        const d = draws.find((y) => y.t.id === x.id)!;
        return canForce(whistleFor(d.t, d.rng.fork('state'), nowS, opts.departments), state, nowS);
      });
      if (!t) continue;
      rest.splice(rest.indexOf(t), 1);
      const d = draws.find((y) => y.t.id === t.id)!;
      donor = whistleFor(d.t, d.rng.fork('state'), nowS, opts.departments);
      whistles.push(donor);
    }
    force(donor, state, nowS);
  }
  return whistles.sort((a, b) => a.blownS - b.blownS || (a.ticket?.id ?? 0) - (b.ticket?.id ?? 0));
}

export async function insertWhistles(
  tx: Tx,
  opts: { seed: number; now: Date; scopes: DemoScopes; accounts: Record<string, number> },
): Promise<{ whistles: number; reportIns: number; states: Record<string, number> }> {
  const nowS = Math.floor(opts.now.getTime() / 1000);
  const { scopes, accounts } = opts;
  const depts = await sql<{ id: number; code: string }>`SELECT id, code FROM departments`.execute(
    tx,
  );
  const departments = new Map(depts.rows.map((d) => [d.code, d.id]));
  const companyCompound = (
    await sql<{ id: number; community: number; subdistrict: number }>`
      SELECT a.id, a.path[3] AS community, a.path[2] AS subdistrict FROM areas a
      JOIN compounds k ON k.area_id = a.id
      WHERE a.level = 'compound' AND a.path[3] = ${scopes.community}
        AND k.property_company_id = ${scopes.company}
      ORDER BY (a.path[4] = ${scopes.grid}) DESC, a.id LIMIT 1`.execute(tx)
  ).rows[0];
  if (!companyCompound)
    throw new Error('The demo company manages no compound of the demo community');
  const whistles = generateWhistles(await loadStuck(tx, opts.now), {
    seed: opts.seed,
    nowS,
    scopes,
    departments,
    companyCompound,
  });
  const base = (
    await sql<{ n: number }>`SELECT coalesce(max(id), 0)::int AS n FROM whistles`.execute(tx)
  ).rows[0].n;
  // W + Beijing date + the number within that day, as the server numbers new ones.
  let day = '';
  let n = 0;
  const codes = whistles.map((w) => {
    const ymd = beijingYmd(w.blownS);
    n = ymd === day ? n + 1 : 1;
    day = ymd;
    return `W${ymd}${String(n).padStart(3, '0')}`;
  });
  const blownBy = (w: Whistle) =>
    w.level === 'community' && w.community === scopes.community
      ? accounts.community
      : w.level === 'subdistrict' && w.subdistrict === scopes.subdistrict
        ? accounts.subdistrict
        : 0;
  await sql`
    INSERT INTO whistles (id, code, level, ticket_id, compound_id, district_id, subdistrict_id,
      community_id, grid_id, geom, reason, blown_by, blown_by_name, blown_at, report_due_at,
      resolve_due_at, resolved_at, resolution)
    SELECT ${base} + u.n, u.code, u.level, nullif(u.ticket, 0), c.id, c.path[1], c.path[2],
      c.path[3], c.path[4], coalesce(t.geom, c.label_point), u.reason, nullif(u.by, 0),
      CASE WHEN u.level = 'community' THEN cm.name ELSE sd.name END,
      to_timestamp(u.blown), to_timestamp(u.blown + ${WHISTLE_DEFAULT_REPORT_HOURS * H}),
      to_timestamp(u.blown + ${WHISTLE_DEFAULT_RESOLVE_HOURS * H}),
      to_timestamp(nullif(u.resolved, 0)), nullif(u.resolution, '')
    FROM unnest(${codes}::text[], ${whistles.map((w) => w.level)}::text[],
      ${whistles.map((w) => w.ticket?.id ?? 0)}::int4[], ${whistles.map((w) => w.compound)}::int4[],
      ${whistles.map((w) => w.reason)}::text[], ${whistles.map(blownBy)}::int4[],
      ${whistles.map((w) => w.blownS)}::int8[], ${whistles.map((w) => w.resolvedS ?? 0)}::int8[],
      ${whistles.map((w) => w.resolution)}::text[])
      WITH ORDINALITY AS u(code, level, ticket, compound, reason, by, blown, resolved, resolution, n)
    JOIN areas c ON c.id = u.compound
    JOIN areas cm ON cm.id = c.path[3]
    JOIN areas sd ON sd.id = c.path[2]
    LEFT JOIN tickets t ON t.id = nullif(u.ticket, 0)`.execute(tx);

  const ri = whistles.flatMap((w, i) => w.responders.map((r) => ({ ...r, whistle: base + i + 1 })));
  const reporter = (r: Responder) =>
    r.reportedS === null
      ? 0
      : r.company !== null
        ? r.company === scopes.company
          ? accounts.property
          : r.company === scopes.company2
            ? accounts.property2
            : 0
        : r.dept === scopes.housing
          ? accounts.department
          : r.dept === scopes.water
            ? accounts.department2
            : 0;
  await sql`
    INSERT INTO whistle_report_ins (whistle_id, property_company_id, department_id, reported_at,
      reported_by, reported_by_name, note)
    SELECT u.whistle, nullif(u.company, 0), nullif(u.dept, 0), to_timestamp(nullif(u.reported, 0)),
      nullif(u.by, 0),
      CASE WHEN u.reported > 0 THEN coalesce(a.display_name, coalesce(pc.name, d.name) || ' ' || u.person) END,
      CASE WHEN u.reported > 0 THEN u.note END
    FROM unnest(${ri.map((r) => r.whistle)}::int4[], ${ri.map((r) => r.company ?? 0)}::int4[],
      ${ri.map((r) => r.dept ?? 0)}::int4[], ${ri.map((r) => r.reportedS ?? 0)}::int8[],
      ${ri.map(reporter)}::int4[], ${ri.map((r) => r.person)}::text[], ${ri.map((r) => r.note)}::text[])
      AS u(whistle, company, dept, reported, by, person, note)
    LEFT JOIN accounts a ON a.id = nullif(u.by, 0)
    LEFT JOIN property_companies pc ON pc.id = nullif(u.company, 0)
    LEFT JOIN departments d ON d.id = nullif(u.dept, 0)`.execute(tx);
  await sql`SELECT setval(pg_get_serial_sequence('whistles', 'id'),
    (SELECT coalesce(max(id), 0) + 1 FROM whistles), false)`.execute(tx);
  const states: Record<string, number> = {};
  for (const w of whistles) {
    const s = whistleState(w, nowS);
    states[s] = (states[s] ?? 0) + 1;
  }
  return { whistles: whistles.length, reportIns: ri.length, states };
}
