/**
 * A year of tickets (诉求), generated in columns (typed arrays, so the stress scale's millions fit
 * in memory) and shipped to the database in batches. Where they come from follows the compounds:
 * parking complaints where cars outnumber spaces, pipes and heating in old compounds with poor
 * pipes (and pipe bursts in winter), property service and disputes where there is no company.
 * When they come follows calendar.ts. How far each got by "now" follows a lifecycle model: most
 * older tickets are closed, some late, a few returned, transferred, reopened or duplicates.
 */
import { TICKET_DEADLINE_HOURS } from '../../geo/operations.ts';
import type { LocalFrame } from '../../geo/local-frame.ts';
import {
  bboxOf,
  pointInPolygon,
  type Polygon,
  type Position,
  segmentDistance,
} from '../../geo/planar.ts';
import type { Rng } from '../../geo/prng.ts';
import {
  keysOf,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type TicketCategory,
  type TicketChannel,
  type TicketStatus,
} from '../../geo/vocabulary.ts';
import { DAY_S, daySampler, HOURS, inHeatingSeason, type SeedWindow } from './calendar.ts';
import type { CompoundRow } from './compounds.ts';
import type { AreaNode, CompoundPlan } from './geography.ts';
import { TICKET_TITLES } from './names.ts';
import { type CompanyRow, departmentId, routeTicket } from './responders.ts';

export const CATEGORIES = keysOf(TICKET_CATEGORIES);
export const CHANNELS = keysOf(TICKET_CHANNELS);
export const STATUSES = keysOf(TICKET_STATUSES);

/** Detours a ticket's life can take; each has its sequence of statuses (see ticket-sql.ts). */
export const DETOURS = ['none', 'returned', 'transferred', 'reopened', 'duplicate'] as const;
export type Detour = (typeof DETOURS)[number];
export const TIMELINES: Record<Detour, readonly TicketStatus[]> = {
  none: ['received', 'dispatched', 'accepted', 'in_progress', 'resolved', 'closed'],
  returned: [
    'received',
    'dispatched',
    'returned',
    'dispatched',
    'accepted',
    'in_progress',
    'resolved',
    'closed',
  ],
  transferred: [
    'received',
    'dispatched',
    'accepted',
    'transferred',
    'accepted',
    'in_progress',
    'resolved',
    'closed',
  ],
  reopened: [
    'received',
    'dispatched',
    'accepted',
    'in_progress',
    'resolved',
    'reopened',
    'in_progress',
    'resolved',
    'closed',
  ],
  duplicate: ['received', 'rejected_duplicate'],
};

const SHARE: Record<TicketCategory, number> = {
  parking: 0.16,
  facilities: 0.17,
  property_service: 0.15,
  dispute: 0.09,
  legal_aid: 0.04,
  sanitation: 0.12,
  noise: 0.09,
  safety: 0.06,
  elder_child_care: 0.05,
  other: 0.07,
};

/** Channel mix per category: hotline, grid patrol, online, walk-in, mobile sentinel. */
const CHANNEL_MIX: Record<TicketCategory, number[]> = {
  parking: [45, 20, 20, 5, 10],
  facilities: [50, 15, 20, 8, 7],
  property_service: [50, 5, 30, 12, 3],
  dispute: [40, 10, 15, 30, 5],
  legal_aid: [35, 2, 20, 43, 0],
  sanitation: [30, 35, 15, 5, 15],
  noise: [60, 5, 30, 3, 2],
  safety: [30, 35, 10, 5, 20],
  elder_child_care: [30, 20, 15, 35, 0],
  other: [45, 10, 25, 15, 5],
};

/** Deadlines in hours, normal and urgent (办理时限), shared with intake. */
export const DEADLINE_H = TICKET_DEADLINE_HOURS;
const URGENT: Record<TicketCategory, number> = {
  parking: 0.03,
  facilities: 0.1,
  property_service: 0.03,
  dispute: 0.05,
  legal_aid: 0.02,
  sanitation: 0.05,
  noise: 0.08,
  safety: 0.3,
  elder_child_care: 0.06,
  other: 0.02,
};

/** Tickets outside any compound (on the street, in the grid): their category mix. */
const STREET_MIX: Record<TicketCategory, number> = {
  parking: 0.3,
  facilities: 0.1,
  property_service: 0,
  dispute: 0.02,
  legal_aid: 0,
  sanitation: 0.25,
  noise: 0.15,
  safety: 0.1,
  elder_child_care: 0,
  other: 0.08,
};
const STREET_SHARE = 0.08;

export interface TicketColumns {
  n: number;
  category: Uint8Array;
  channel: Uint8Array;
  status: Uint8Array;
  urgent: Uint8Array;
  title: Uint16Array;
  detour: Uint8Array;
  /** How many events of the detour's timeline have happened by now. */
  reached: Uint8Array;
  lon: Float64Array;
  lat: Float64Array;
  gridId: Int32Array;
  compoundId: Int32Array;
  companyId: Int32Array;
  departmentId: Int32Array;
  received: Float64Array;
  due: Float64Array;
  resolved: Float64Array;
  closed: Float64Array;
  satisfaction: Uint8Array;
}

function allocate(capacity: number): TicketColumns {
  return {
    n: 0,
    category: new Uint8Array(capacity),
    channel: new Uint8Array(capacity),
    status: new Uint8Array(capacity),
    urgent: new Uint8Array(capacity),
    title: new Uint16Array(capacity),
    detour: new Uint8Array(capacity),
    reached: new Uint8Array(capacity),
    lon: new Float64Array(capacity),
    lat: new Float64Array(capacity),
    gridId: new Int32Array(capacity),
    compoundId: new Int32Array(capacity),
    companyId: new Int32Array(capacity),
    departmentId: new Int32Array(capacity),
    received: new Float64Array(capacity),
    due: new Float64Array(capacity),
    resolved: new Float64Array(capacity),
    closed: new Float64Array(capacity),
    satisfaction: new Uint8Array(capacity),
  };
}

function grow(c: TicketColumns): TicketColumns {
  const bigger = allocate(Math.ceil(c.category.length * 1.5) + 1024);
  for (const k of Object.keys(c) as (keyof TicketColumns)[]) {
    if (k !== 'n') (bigger[k] as Uint8Array).set(c[k] as Uint8Array);
  }
  bigger.n = c.n;
  return bigger;
}

/** The titles of all categories in one list, as the SQL receives them; per category an offset. */
export const TITLE_LIST: string[] = CATEGORIES.flatMap((c) => TICKET_TITLES[c]);
const TITLE_OFFSET = new Map<TicketCategory, number>();
{
  let o = 0;
  for (const c of CATEGORIES) {
    TITLE_OFFSET.set(c, o);
    o += TICKET_TITLES[c].length;
  }
}
function titleIndex(c: TicketCategory, title: string): number {
  return TITLE_OFFSET.get(c)! + TICKET_TITLES[c].indexOf(title);
}

export interface TicketSource {
  compound: CompoundRow;
  plan: CompoundPlan;
  grid: AreaNode;
}

/** How much a compound's property company adds to complaints about its service. */
function serviceFactor(company: CompanyRow | undefined): number {
  if (!company) return 1.9; // 无物业: nobody to maintain anything
  if (company.list === 'black') return 2;
  if (company.creditScore < 70) return 1.4;
  return company.list === 'red' ? 0.6 : 1;
}

/** Expected share of a compound's tickets in each category, relative to its households. */
function compoundRates(
  s: TicketSource,
  company: CompanyRow | undefined,
): Record<TicketCategory, number> {
  const c = s.compound;
  const age = Math.min(1.1, Math.max(0, (2025 - c.yearBuilt) / 40));
  const carsPerSpace = c.registeredCars / Math.max(1, c.parkingSpaces);
  const companyFactor = serviceFactor(company);
  const rates: Record<TicketCategory, number> = {
    parking: 0.5 + 0.7 * Math.min(4, Math.max(0, carsPerSpace - 0.8)),
    facilities:
      0.5 +
      1.2 * age +
      (c.pipeCondition === 'poor' ? 1.2 : c.pipeCondition === 'fair' ? 0.4 : 0) +
      (c.roofCondition === 'poor' ? 0.5 : 0),
    property_service: companyFactor * (company?.trustModel ? 0.8 : 1),
    dispute: (company ? 1 : 1.8) * (c.hasOwnersCommittee ? 1 : 1.3),
    legal_aid: 1,
    sanitation: (company ? (company.list === 'black' ? 1.6 : 1) : 1.7) * (0.8 + 0.4 * age),
    noise: 0.7 + 0.6 * s.plan.urbanity,
    safety: 0.7 + 0.8 * age + (c.pipeCondition === 'poor' ? 0.4 : 0),
    elder_child_care: 0.6 + age,
    other: 1,
  };
  for (const k of CATEGORIES) {
    rates[k] *=
      SHARE[k] * c.households * (c.provincialDemonstration && k !== 'elder_child_care' ? 0.7 : 1);
  }
  return rates;
}

export interface GenerateTicketsInput {
  sources: TicketSource[];
  companies: CompanyRow[];
  window: SeedWindow;
  target: number;
  frame: LocalFrame;
  rng: Rng;
}

export function generateTickets(input: GenerateTicketsInput): TicketColumns {
  const { sources, window, frame, rng } = input;
  const companies = new Map(input.companies.map((c) => [c.id, c]));
  let cols = allocate(Math.ceil(input.target * 1.15) + 1000);
  const samplers = new Map<string, (u: number) => number>();
  const sampleDay = (cat: TicketCategory, ch: TicketChannel, u: number): number => {
    const key = `${cat}/${ch}`;
    if (!samplers.has(key)) samplers.set(key, daySampler(window, cat, ch));
    return samplers.get(key)!(u);
  };
  const hourCdf = new Map(
    CHANNELS.map((ch) => {
      let t = 0;
      return [ch, HOURS[ch].map((w) => (t += w))] as const;
    }),
  );
  const sampleTime = (ch: TicketChannel, day: number, r: Rng): number => {
    const cdf = hourCdf.get(ch)!;
    const x = r.next() * cdf[23];
    let h = 0;
    while (cdf[h] < x) h++;
    return window.startS + day * DAY_S + h * 3600 + Math.floor(r.next() * 3600);
  };

  const winterDays = Array.from({ length: window.days }, (_, d) => d).filter((d) =>
    inHeatingSeason(window.startS + d * DAY_S + 43200),
  );
  const rates = sources.map((s) =>
    compoundRates(
      s,
      s.compound.propertyCompanyId ? companies.get(s.compound.propertyCompanyId) : undefined,
    ),
  );
  const total = rates.reduce((sum, r) => sum + CATEGORIES.reduce((t, k) => t + r[k], 0), 0);
  const k = (input.target * (1 - STREET_SHARE)) / total;

  const push = (t: PlannedTicket, r: Rng): void => {
    if (cols.n === cols.category.length) cols = grow(cols);
    settle(cols, cols.n++, t, window, r);
  };

  sources.forEach((s, i) => {
    const r = rng.fork(`compound/${s.compound.areaId}`);
    const company = s.compound.propertyCompanyId
      ? companies.get(s.compound.propertyCompanyId)
      : undefined;
    const sampler = polygonSampler(s.plan.footprint);
    const place = (): Position => frame.toLonLat(sampler(r));
    for (const cat of CATEGORIES) {
      const n = r.poisson(rates[i][cat] * k);
      for (let j = 0; j < n; j++) {
        const ch = CHANNELS[r.weighted(CHANNEL_MIX[cat])];
        const received = sampleTime(ch, sampleDay(cat, ch, r.next()), r);
        push({ cat, ch, received, at: place(), source: s, company, inCompound: true }, r);
      }
    }
    // A pipe or heating main gives way in winter: a burst of calls within a day or two.
    if (s.compound.pipeCondition === 'poor' && s.compound.yearBuilt < 2000 && r.chance(0.3)) {
      if (winterDays.length > 0) {
        const start = window.startS + r.pick(winterDays) * DAY_S + r.int(6, 22) * 3600;
        const n = 4 + r.poisson(Math.min(20, s.compound.households / 40));
        const title = r.pick(['供水管道老化爆裂', '暖气管道漏水', '楼道下水管道堵塞返水']);
        for (let j = 0; j < n; j++) {
          const ch = CHANNELS[r.weighted([70, 8, 20, 2, 0])];
          const received = start + Math.floor(r.next() ** 2 * 36 * 3600);
          if (received >= window.nowS) continue;
          push(
            {
              cat: 'facilities',
              ch,
              received,
              at: place(),
              source: s,
              company,
              inCompound: true,
              title,
              urgent: r.chance(0.5),
              duplicate: j > 0 && r.chance(0.35),
            },
            r,
          );
        }
      }
    }
  });

  // On the street: near a compound of the grid, outside every compound.
  const byGrid = new Map<number, TicketSource[]>();
  for (const s of sources) {
    if (!byGrid.has(s.grid.id)) byGrid.set(s.grid.id, []);
    byGrid.get(s.grid.id)!.push(s);
  }
  const grids = [...byGrid.values()];
  const gridWeight = grids.map(
    (list) => list.reduce((t, s) => t + s.compound.households, 0) ** 0.8,
  );
  const gridTotal = gridWeight.reduce((a, b) => a + b, 0);
  const streetCats = CATEGORIES.filter((c) => STREET_MIX[c] > 0);
  grids.forEach((list, gi) => {
    const r = rng.fork(`grid/${list[0].grid.id}`);
    const n = r.poisson((input.target * STREET_SHARE * gridWeight[gi]) / gridTotal);
    for (let j = 0; j < n; j++) {
      const s = r.pick(list);
      const cat = streetCats[r.weighted(streetCats.map((c) => STREET_MIX[c]))];
      const ch = CHANNELS[r.weighted(CHANNEL_MIX[cat])];
      const received = sampleTime(ch, sampleDay(cat, ch, r.next()), r);
      const at = frame.toLonLat(streetPoint(s, list, r));
      push({ cat, ch, received, at, source: s, company: undefined, inCompound: false }, r);
    }
  });
  return cols;
}

/**
 * Uniform points in a polygon, by rejection in its bounding box, kept a metre inside its edge:
 * coordinates are stored to 1e-7° (≈1 cm), which must not move a point across the boundary.
 */
export function polygonSampler(polygon: Polygon): (r: Rng) => Position {
  const [x0, y0, x1, y1] = bboxOf(polygon);
  return (r) => {
    for (let attempt = 0; ; attempt++) {
      const p: Position = [x0 + r.next() * (x1 - x0), y0 + r.next() * (y1 - y0)];
      // A footprint too thin to have an inside a metre from its edge settles for any inside point.
      if (pointInPolygon(p, polygon) && (attempt > 1000 || distanceToEdge(p, polygon) > 1))
        return p;
    }
  };
}

function streetPoint(s: TicketSource, list: TicketSource[], r: Rng): Position {
  for (let attempt = 0; attempt < 50; attempt++) {
    const angle = r.next() * 2 * Math.PI;
    const d = r.range(20, 250);
    const p: Position = [
      s.plan.site[0] + d * Math.cos(angle),
      s.plan.site[1] + d * Math.sin(angle),
    ];
    // A metre clear of the grid's edge and of every compound, for the same reason as above.
    if (
      s.grid.geom.some((poly) => pointInPolygon(p, poly) && distanceToEdge(p, poly) > 1) &&
      !list.some(
        (o) => pointInPolygon(p, o.plan.footprint) || distanceToEdge(p, o.plan.footprint) < 1,
      )
    ) {
      return p;
    }
  }
  return justOutside(s);
}

function distanceToEdge(p: Position, polygon: Polygon): number {
  let d = Infinity;
  for (const ring of polygon) {
    for (let i = 0; i < ring.length - 1; i++)
      d = Math.min(d, segmentDistance(p, ring[i], ring[i + 1]));
  }
  return d;
}

/** A point 3 m outside a corner of the compound: in the street, still inside its grid. */
export function justOutside(s: TicketSource): Position {
  const ring = s.plan.footprint[0];
  const n = ring.length - 1;
  // From the vertex average (inside a convex footprint) out through the first corner.
  const mx = ring.slice(0, n).reduce((t, p) => t + p[0], 0) / n;
  const my = ring.slice(0, n).reduce((t, p) => t + p[1], 0) / n;
  const [cx, cy] = ring[0];
  const dx = cx - mx;
  const dy = cy - my;
  const len = Math.hypot(dx, dy) || 1;
  return [cx + (3 * dx) / len, cy + (3 * dy) / len];
}

interface PlannedTicket {
  cat: TicketCategory;
  ch: TicketChannel;
  received: number;
  at: Position;
  source: TicketSource;
  company: CompanyRow | undefined;
  inCompound: boolean;
  title?: string;
  urgent?: boolean;
  duplicate?: boolean;
}

/** Decides responder, deadline, detour, timestamps, status and satisfaction of one ticket. */
function settle(c: TicketColumns, i: number, t: PlannedTicket, w: SeedWindow, r: Rng): void {
  const heating = inHeatingSeason(t.received);
  const urgent = t.urgent ?? r.chance(URGENT[t.cat]);
  let title = t.title;
  if (!title) {
    const titles = TICKET_TITLES[t.cat];
    // In the heating season half the facilities complaints are about the heating itself.
    title =
      t.cat === 'facilities' && heating && r.chance(0.5) ? titles[r.int(0, 2)] : r.pick(titles);
  }
  const route = routeTicket(
    r,
    t.cat,
    t.inCompound ? t.source.compound.propertyCompanyId : null,
    t.inCompound,
    heating,
  );
  const company = route.companyId !== null ? t.company : undefined;
  const deadlineS = DEADLINE_H[t.cat][urgent ? 1 : 0] * 3600;

  let detour: Detour = 'none';
  const d = r.next();
  if (t.duplicate || d < 0.02) detour = 'duplicate';
  else if (d < 0.05) detour = 'returned';
  else if (d < 0.09) detour = 'transferred';
  else if (d < 0.115) detour = 'reopened';

  // Time to resolve, as a share of the deadline: most well inside it, a long tail past it.
  let slowness = 1;
  if (company)
    slowness *= (serviceFactor(company) + 1) / 2; // black-listed firms are slow too
  else if (t.cat === 'property_service' || t.cat === 'facilities') slowness *= 1.3;
  if (route.departmentId === departmentId('housing')) slowness *= 1.2;
  if (detour === 'returned' || detour === 'transferred') slowness *= 1.4;
  if (detour === 'reopened') slowness *= 1.6;
  let share = 0.35 * Math.exp(r.normal(0, 0.7)) * slowness;
  // The hard cases drag on for weeks or months: a new pipe needs a budget, a dispute a court.
  if (r.chance(t.cat === 'facilities' || t.cat === 'dispute' ? 0.08 : 0.04))
    share *= r.range(4, 40);
  const resolvedAt = t.received + Math.max(1200, share * deadlineS);
  const callback = Math.max(1800, 18 * 3600 * Math.exp(r.normal(0, 0.7)));
  let closedAt = resolvedAt + callback;

  let resolved = resolvedAt;
  let reached: number;
  const timeline = TIMELINES[detour];
  if (detour === 'duplicate') {
    closedAt = t.received + r.range(0.5, 8) * 3600;
    resolved = 0;
    reached = closedAt <= w.nowS ? 2 : 1;
  } else if (closedAt <= w.nowS) {
    reached = timeline.length;
  } else if (resolvedAt <= w.nowS) {
    reached = timeline.length - 1;
  } else {
    // Still open: how far it got, by the share of its working time already spent.
    const e = (w.nowS - t.received) / (resolvedAt - t.received);
    const steps: Record<Detour, [number, number][]> = {
      none: [
        [0.04, 2],
        [0.1, 3],
        [0.2, 4],
      ],
      returned: [
        [0.04, 2],
        [0.1, 3],
        [0.2, 4],
        [0.3, 5],
        [0.4, 6],
      ],
      transferred: [
        [0.04, 2],
        [0.1, 3],
        [0.2, 4],
        [0.3, 5],
        [0.4, 6],
      ],
      // Skips the first, failed "resolved": once reopened, the ticket shows as reopened.
      reopened: [
        [0.04, 2],
        [0.1, 3],
        [0.2, 4],
        [0.7, 6],
        [0.8, 7],
      ],
      duplicate: [],
    };
    reached = 1;
    for (const [threshold, n] of steps[detour]) if (e >= threshold) reached = n;
  }
  const status = timeline[reached - 1];
  const isClosed = status === 'closed' || status === 'rejected_duplicate';

  let satisfaction = 0;
  if (status === 'closed' && r.chance(0.92)) {
    satisfaction = 1 + r.weighted([0.04, 0.05, 0.11, 0.28, 0.52]);
    const late = resolvedAt > t.received + deadlineS;
    if (late && r.chance(0.6)) satisfaction--;
    if ((detour === 'reopened' || detour === 'returned') && r.chance(0.4)) satisfaction--;
    if (!t.source.compound.propertyCompanyId && t.inCompound && r.chance(0.2)) satisfaction--;
    if (company?.list === 'black' && r.chance(0.3)) satisfaction--;
    if (company?.list === 'red' && r.chance(0.3)) satisfaction++;
    satisfaction = Math.min(5, Math.max(1, satisfaction));
  }

  c.category[i] = CATEGORIES.indexOf(t.cat) + 1;
  c.channel[i] = CHANNELS.indexOf(t.ch) + 1;
  c.status[i] = STATUSES.indexOf(status) + 1;
  c.urgent[i] = urgent ? 1 : 0;
  c.title[i] = titleIndex(t.cat, title) + 1;
  c.detour[i] = DETOURS.indexOf(detour);
  c.reached[i] = reached;
  c.lon[i] = t.at[0];
  c.lat[i] = t.at[1];
  c.gridId[i] = t.source.grid.id;
  c.compoundId[i] = t.inCompound ? t.source.compound.areaId : 0;
  c.companyId[i] = route.companyId ?? 0;
  c.departmentId[i] = route.departmentId ?? 0;
  c.received[i] = t.received;
  c.due[i] = t.received + deadlineS;
  c.resolved[i] = status === 'resolved' || status === 'closed' ? resolved : 0;
  c.closed[i] = isClosed ? closedAt : 0;
  c.satisfaction[i] = satisfaction;
}

/** Ticket order by time received, for ids and codes that count up through the year. */
export function orderByReceived(c: TicketColumns): Uint32Array {
  const order = new Uint32Array(c.n);
  for (let i = 0; i < c.n; i++) order[i] = i;
  order.sort((a, b) => c.received[a] - c.received[b] || a - b);
  return order;
}
