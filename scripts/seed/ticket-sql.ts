/**
 * Writes tickets and their event timelines. Each batch is one statement: the tickets arrive as
 * integer arrays (small codes packed into one integer), the INSERT into `tickets` runs as a
 * data-modifying CTE, and the timeline of every ticket is expanded in SQL from its own timestamps
 * (joined to a small table of the steps each kind of timeline takes), so millions of event rows
 * never cross from JavaScript. Intermediate times (dispatched, accepted, …) are spread between receipt and
 * resolution (or "now", for open tickets) with jitter from a hash of the ticket id.
 */
import { type RawBuilder, sql } from 'kysely';
import type { TicketStatus } from '../../geo/vocabulary.ts';
import { DEPARTMENTS } from './responders.ts';
import { beijingYmd, type SeedWindow } from './calendar.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import {
  CATEGORIES,
  CHANNELS,
  DEADLINE_H,
  type Detour,
  DETOURS,
  STATUSES,
  TIMELINES,
  TITLE_LIST,
  type TicketColumns,
} from './tickets.ts';
import { storedCell } from '../../server/db/backfill.ts';
import type { Tx } from './write.ts';
import { toE7 } from './write.ts';

/** Bit layout of the packed small codes. */
const PACK = {
  category: [0, 15],
  channel: [4, 7],
  status: [7, 15],
  urgent: [11, 1],
  detour: [12, 7],
  reached: [15, 15],
  satisfaction: [19, 7],
  title: [22, 127],
} as const;
if (TITLE_LIST.length > PACK.title[1])
  throw new Error('Too many ticket titles for the packed code');

const field = (name: keyof typeof PACK): RawBuilder<number> =>
  sql<number>`((u.packed >> ${sql.lit(PACK[name][0])}) & ${sql.lit(PACK[name][1])})`;

interface Step {
  status: TicketStatus;
  at: string;
  actor: string;
  note: string;
}

// SQL over the columns of `k` below: fixed text, never user input. Detours reuse the plain steps
// and add their own; intermediate times of a detour sit between the plain ones around it.
const STEP = {
  received: { status: 'received', at: 'k.received_at', actor: 'k.receiver', note: 'k.title' },
  dispatched: {
    status: 'dispatched',
    at: 'k.at_dispatched',
    actor: 'k.hub',
    note: `'派单至' || k.responder_name`,
  },
  accepted: {
    status: 'accepted',
    at: 'k.at_accepted',
    actor: 'k.responder_name',
    note: `'已接单'`,
  },
  inProgress: {
    status: 'in_progress',
    at: 'k.at_progress',
    actor: 'k.responder_name',
    note: `'已安排人员现场处置'`,
  },
  resolved: {
    status: 'resolved',
    at: 'k.resolved_at',
    actor: 'k.responder_name',
    note: `'已办结，待回访'`,
  },
  closed: {
    status: 'closed',
    at: 'k.closed_at',
    actor: `'12345回访员'`,
    note: `CASE WHEN k.sat > 0 THEN '回访满意度' || k.sat || '星' ELSE '回访未接通，按期办结' END`,
  },
  dispatchedWrong: {
    status: 'dispatched',
    at: 'k.at_dispatched',
    actor: 'k.hub',
    note: `'派单至' || k.wrong`,
  },
  returned: {
    status: 'returned',
    at: 'k.at_dispatched + (k.at_accepted - k.at_dispatched) * 0.35',
    actor: 'k.wrong',
    note: `'非本单位职责，申请退回'`,
  },
  redispatched: {
    status: 'dispatched',
    at: 'k.at_dispatched + (k.at_accepted - k.at_dispatched) * 0.7',
    actor: 'k.hub',
    note: `'重新派单至' || k.responder_name`,
  },
  acceptedWrong: { status: 'accepted', at: 'k.at_accepted', actor: 'k.wrong', note: `'已接单'` },
  transferred: {
    status: 'transferred',
    at: 'k.at_accepted + (k.at_progress - k.at_accepted) * 0.35',
    actor: 'k.hub',
    note: `'转派至' || k.responder_name`,
  },
  acceptedAgain: {
    status: 'accepted',
    at: 'k.at_accepted + (k.at_progress - k.at_accepted) * 0.7',
    actor: 'k.responder_name',
    note: `'已接单'`,
  },
  firstResolved: {
    status: 'resolved',
    at: 'k.at_progress + (k.work_end - k.at_progress) * 0.55',
    actor: 'k.responder_name',
    note: `'已办结，待回访'`,
  },
  reopened: {
    status: 'reopened',
    at: 'k.at_progress + (k.work_end - k.at_progress) * 0.65',
    actor: `'12345回访员'`,
    note: `'群众反映问题未解决，工单重启'`,
  },
  inProgressAgain: {
    status: 'in_progress',
    at: 'k.at_progress + (k.work_end - k.at_progress) * 0.75',
    actor: 'k.responder_name',
    note: `'再次安排人员处置'`,
  },
  rejected: {
    status: 'rejected_duplicate',
    at: 'k.closed_at',
    actor: 'k.hub',
    note: `'与同一事项在办工单重复，合并办理'`,
  },
} satisfies Record<string, Step>;
type StepName = keyof typeof STEP;
const STEP_NAMES = Object.keys(STEP) as StepName[];

const PATHS: Record<Detour, StepName[]> = {
  none: ['received', 'dispatched', 'accepted', 'inProgress', 'resolved', 'closed'],
  returned: [
    'received',
    'dispatchedWrong',
    'returned',
    'redispatched',
    'accepted',
    'inProgress',
    'resolved',
    'closed',
  ],
  transferred: [
    'received',
    'dispatchedWrong',
    'acceptedWrong',
    'transferred',
    'acceptedAgain',
    'inProgress',
    'resolved',
    'closed',
  ],
  reopened: [
    'received',
    'dispatched',
    'accepted',
    'inProgress',
    'firstResolved',
    'reopened',
    'inProgressAgain',
    'resolved',
    'closed',
  ],
  duplicate: ['received', 'rejected'],
};
for (const d of DETOURS) {
  const statuses = PATHS[d].map((n) => STEP[n].status);
  if (statuses.join() !== TIMELINES[d].join())
    throw new Error(`Event steps of ${d} out of step with TIMELINES`);
}

/** (detour, ord, step) rows: which steps each detour's timeline takes, in order. */
const STEPS_VALUES = sql.raw(
  DETOURS.flatMap((d, di) =>
    PATHS[d].map((n, i) => `(${di}, ${i + 1}, ${STEP_NAMES.indexOf(n) + 1})`),
  ).join(', '),
);
const stepCase = (field: keyof Step): RawBuilder<unknown> =>
  sql.raw(
    `CASE s.step ${STEP_NAMES.map((n, i) => `WHEN ${i + 1} THEN ${field === 'status' ? `'${STEP[n].status}'` : STEP[n][field]}`).join(' ')} END`,
  );

const RECEIVERS = [
  '12345热线话务员',
  '网格员',
  '网上诉求平台',
  '社区服务窗口',
  '流动前哨（快递员）',
];
const PREFIXES = [
  '居民来电反映：',
  '网格员巡查发现：',
  '居民通过网上平台反映：',
  '居民到社区反映：',
  '流动前哨（快递员）反映：',
];
/** Share of tickets without a resident's name by channel: patrols and sentinels report themselves. */
const ANONYMOUS = [0.1, 0.6, 0.05, 0, 0.7];

export interface TicketBatchContext {
  seed: number;
  window: SeedWindow;
  /** 1 where a ticket is a repeat (seed/repeats.ts), by ticket index. */
  repeats: Uint8Array;
}

/** Daily sequence numbers for codes like T2026110100123, in the given order. */
export function dailySequence(c: TicketColumns, order: Uint32Array): Int32Array {
  const seq = new Int32Array(c.n);
  let day = '';
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const ymd = beijingYmd(c.received[order[i]]);
    n = ymd === day ? n + 1 : 1;
    day = ymd;
    seq[i] = n;
  }
  return seq;
}

export async function insertTicketBatch(
  tx: Tx,
  c: TicketColumns,
  order: Uint32Array,
  seq: Int32Array,
  from: number,
  to: number,
  ctx: TicketBatchContext,
): Promise<void> {
  await ticketBatchQuery(c, order, seq, from, to, ctx).execute(tx);
}

/** The statement that writes tickets [from, to) of `order` and their events. */
export function ticketBatchQuery(
  c: TicketColumns,
  order: Uint32Array,
  seq: Int32Array,
  from: number,
  to: number,
  ctx: TicketBatchContext,
): RawBuilder<unknown> {
  const n = to - from;
  const packed = new Array<number>(n);
  const cols = {
    seq: new Array<number>(n),
    x: new Array<number>(n),
    y: new Array<number>(n),
    grid: new Array<number>(n),
    compound: new Array<number>(n),
    responder: new Array<number>(n),
    received: new Array<number>(n),
    resolved: new Array<number>(n),
    closed: new Array<number>(n),
    h3: new Array<string>(n),
    repeat: new Array<number>(n),
  };
  for (let j = 0; j < n; j++) {
    const i = order[from + j];
    packed[j] =
      c.category[i] |
      (c.channel[i] << 4) |
      (c.status[i] << 7) |
      (c.urgent[i] << 11) |
      (c.detour[i] << 12) |
      (c.reached[i] << 15) |
      (c.satisfaction[i] << 19) |
      (c.title[i] << 22);
    cols.seq[j] = seq[from + j];
    cols.x[j] = toE7(c.lon[i]);
    cols.y[j] = toE7(c.lat[i]);
    // The cell of the position as stored (rounded to 1e-7°), as the API computes it at intake.
    cols.h3[j] = storedCell([cols.x[j] / 1e7, cols.y[j] / 1e7]);
    cols.grid[j] = c.gridId[i];
    cols.compound[j] = c.compoundId[i];
    cols.responder[j] = c.companyId[i] > 0 ? c.companyId[i] : -c.departmentId[i];
    cols.received[j] = c.received[i] - ctx.window.startS;
    // Offsets from receipt; 0 stands for NULL (nothing happens in the same second).
    cols.resolved[j] = c.resolved[i] ? Math.max(1, Math.round(c.resolved[i] - c.received[i])) : 0;
    cols.closed[j] = c.closed[i] ? Math.max(1, Math.round(c.closed[i] - c.received[i])) : 0;
    cols.repeat[j] = ctx.repeats[i]!;
  }
  const deadlines = CATEGORIES.flatMap((k) => DEADLINE_H[k]);
  return sql`
    WITH u AS (
      SELECT * FROM unnest(
        ${packed}::int4[], ${cols.seq}::int4[], ${cols.x}::int4[], ${cols.y}::int4[],
        ${cols.grid}::int4[], ${cols.compound}::int4[], ${cols.responder}::int4[],
        ${cols.received}::int4[], ${cols.resolved}::int4[], ${cols.closed}::int4[],
        ${cols.h3}::int8[], ${cols.repeat}::int4[]
      ) WITH ORDINALITY AS u(packed, seq, x, y, grid_id, compound_id, responder, recv, res, closed, h3, rep, n)
    ), t AS (
      SELECT ${from} + u.n::int AS id, u.*,
        ${field('category')} AS cat, ${field('channel')} AS chan, ${field('status')} AS st,
        ${field('urgent')} AS urgent, ${field('detour')} AS detour, ${field('reached')} AS reached,
        ${field('satisfaction')} AS sat, ${field('title')} AS title_no,
        to_timestamp(${ctx.window.startS}::int8 + u.recv) AS received_at,
        to_timestamp(${ctx.window.startS}::int8 + u.recv + nullif(u.res, 0)) AS resolved_at,
        to_timestamp(${ctx.window.startS}::int8 + u.recv + nullif(u.closed, 0)) AS closed_at
      FROM u
    ), k AS (
      SELECT t.*, g.path AS gpath,
        (${TITLE_LIST}::text[])[t.title_no] AS title,
        t.received_at + make_interval(hours => (${deadlines}::int4[])[(t.cat - 1) * 2 + t.urgent + 1]) AS due_at,
        coalesce(t.resolved_at, to_timestamp(${ctx.window.nowS}::int8)) AS work_end,
        coalesce(cp.name, g.name) AS place,
        (${RECEIVERS}::text[])[t.chan] AS receiver,
        sd.name || '综治中心' AS hub,
        CASE WHEN t.responder > 0 THEN pc.name WHEN t.responder < 0 THEN dp.name
             ELSE cm.name || '居委会' END AS responder_name,
        (${DEPARTMENTS.map((d) => d.name)}::text[])[1 + (h.h >> 40 & 1023) % ${DEPARTMENTS.length}] AS wrong,
        h.h, h.h2
      FROM t
      CROSS JOIN LATERAL (SELECT hashint8extended(t.id, ${ctx.seed}) AS h,
                                 hashint8extended(t.id, ${ctx.seed + 1}) AS h2) h
      JOIN areas g ON g.id = t.grid_id
      JOIN areas sd ON sd.id = g.path[2]
      JOIN areas cm ON cm.id = g.path[3]
      LEFT JOIN areas cp ON cp.id = t.compound_id
      LEFT JOIN property_companies pc ON pc.id = t.responder
      LEFT JOIN departments dp ON dp.id = -t.responder
    ), ins AS (
      INSERT INTO tickets (id, code, category, channel, status, priority, title, description,
        resident_name, resident_phone, geom, district_id, subdistrict_id, community_id, grid_id,
        compound_id, property_company_id, department_id, received_at, due_at, resolved_at,
        closed_at, satisfaction, h3, is_repeat)
      SELECT k.id,
        'T' || to_char((k.received_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYYMMDD')
            || lpad(k.seq::text, 5, '0'),
        (${CATEGORIES}::text[])[k.cat], (${CHANNELS}::text[])[k.chan], (${STATUSES}::text[])[k.st],
        CASE WHEN k.urgent = 1 THEN 'urgent' ELSE 'normal' END,
        k.title,
        (${PREFIXES}::text[])[k.chan] || k.place || '，' || k.title || '，请尽快处理。',
        CASE WHEN (k.h2 & 1023) < 1024 * (${ANONYMOUS}::float8[])[k.chan] THEN NULL
             ELSE (${SURNAMES}::text[])[1 + (k.h2 >> 10 & 65535) % ${SURNAMES.length}]
               || (${GIVEN_NAMES}::text[])[1 + (k.h2 >> 26 & 65535) % ${GIVEN_NAMES.length}] END,
        CASE WHEN (k.h2 & 1023) < 1024 * (${ANONYMOUS}::float8[])[k.chan] THEN NULL
             ELSE '1' || (ARRAY['3', '5', '7', '8', '9'])[1 + (k.h2 >> 42 & 255) % 5]
               || lpad(((k.h >> 12 & 2147483647) % 1000000000)::text, 9, '0') END,
        ST_SetSRID(ST_MakePoint(k.x / 1e7::float8, k.y / 1e7::float8), 4326),
        k.gpath[1], k.gpath[2], k.gpath[3], k.grid_id, nullif(k.compound_id, 0),
        CASE WHEN k.responder > 0 THEN k.responder END,
        CASE WHEN k.responder < 0 THEN -k.responder END,
        k.received_at, k.due_at, k.resolved_at, k.closed_at, nullif(k.sat, 0), k.h3, k.rep = 1
      FROM k
    ), k2 AS (
      -- Intermediate times: quick to dispatch and accept, spread over the working time, and
      -- never past its end, so every timeline is in order.
      SELECT k.*, k.received_at + least(
          (k.work_end - k.received_at) * 0.05 * (0.5 + (k.h & 1023) / 1024.0),
          interval '1 hour' * CASE WHEN k.urgent = 1 THEN 0.5 ELSE 3 END * (0.3 + (k.h & 1023) / 1024.0)) AS at_dispatched
      FROM k
    ), k3 AS (
      SELECT k2.*, k2.at_dispatched + least(
          (k2.work_end - k2.received_at) * 0.06 * (0.5 + (k2.h >> 10 & 1023) / 1024.0),
          interval '1 hour' * CASE WHEN k2.urgent = 1 THEN 1 ELSE 8 END * (0.3 + (k2.h >> 10 & 1023) / 1024.0)) AS at_accepted
      FROM k2
    ), k4 AS (
      SELECT k3.*, k3.at_accepted + least(
          (k3.work_end - k3.received_at) * 0.1 * (0.5 + (k3.h >> 20 & 1023) / 1024.0),
          interval '1 hour' * CASE WHEN k3.urgent = 1 THEN 2 ELSE 24 END * (0.3 + (k3.h >> 20 & 1023) / 1024.0)) AS at_progress
      FROM k3
    )
    INSERT INTO ticket_events (ticket_id, at, status, actor, note)
    SELECT k.id, ${stepCase('at')}, ${stepCase('status')}, ${stepCase('actor')}, ${stepCase('note')}
    FROM k4 k
    -- A join on a small table of steps, not an unnest of per-ticket arrays: several times faster.
    JOIN (VALUES ${STEPS_VALUES}) AS s(detour, ord, step) ON s.detour = k.detour AND s.ord <= k.reached
    ORDER BY k.id, s.ord`;
}
