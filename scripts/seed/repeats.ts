/**
 * Repeats (重复诉求) among generated tickets, as the database defines them (migration 0006,
 * `mark_repeat_tickets`): a ticket received less than 90 days after the closure of a ticket of
 * the same category at the same compound. Computed here before the tickets are written, so the
 * seed writes the flag with each ticket instead of updating millions of rows afterwards.
 */
import type { TicketColumns } from './tickets.ts';

const WINDOW_S = 90 * 86_400;

/** The closure time as the batch insert stores it: receipt + a whole number of seconds (≥ 1). */
export const storedClosed = (c: TicketColumns, i: number) =>
  c.closed[i] ? c.received[i] + Math.max(1, Math.round(c.closed[i] - c.received[i])) : 0;

/** 1 where ticket i is a repeat, 0 elsewhere. */
export function markRepeats(c: TicketColumns): Uint8Array {
  const repeat = new Uint8Array(c.n);
  // Tickets grouped by compound and category; within a group, receipts and closures in time order
  // (a closure at the same second as a receipt comes first, as `closed_at <= received_at` says).
  const groups = new Map<number, number[]>();
  for (let i = 0; i < c.n; i++) {
    if (c.compoundId[i] <= 0) continue;
    const key = c.compoundId[i] * 16 + c.category[i];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  for (const g of groups.values()) {
    const events: [number, number, number][] = [];
    for (const i of g) {
      events.push([c.received[i], 1, i]);
      const closed = storedClosed(c, i);
      if (closed) events.push([closed, 0, i]);
    }
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let lastClose = -Infinity;
    for (const [at, kind, i] of events) {
      if (kind === 0) lastClose = at;
      else if (at < lastClose + WINDOW_S) repeat[i] = 1;
    }
  }
  return repeat;
}
