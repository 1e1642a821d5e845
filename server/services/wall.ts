/**
 * The command-center wall (指挥大屏): the city's figures as a room reads them from across it,
 * each with its trend, from the rollups. Aggregates and compound names only: never a ticket,
 * a resident or a free text.
 */
import { beijingDate } from '../../geo/periods.ts';
import type { Db } from '../db/client.ts';
import { openHazardsBySeverity, ratingRollup } from '../db/queries/areas.ts';
import { whistleKpis } from '../db/queries/whistles.ts';
import * as q from '../db/queries/wall.ts';
import type { WallViewer } from './wall-viewer.ts';

const DAY_MS = 86_400_000;
/** Days in the sparkline, and in the on-time and satisfaction figures. */
export const WALL_DAYS = 30;
/** Earlier same weekdays that make today's baseline. */
const SAME_WEEKDAYS = 4;

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** The city's figures, the same for every viewer (`viewer` proves one was checked). */
export async function wallSummary(db: Db, _viewer: WallViewer, now = new Date()) {
  const day = (offset: number) => beijingDate(new Date(now.getTime() + offset * DAY_MS));
  const today = day(0);
  const counts = new Map(
    (await q.receivedPerDay(db, day(-Math.max(7 * SAME_WEEKDAYS, WALL_DAYS - 1)), today)).map(
      (d) => [d.day, d.count],
    ),
  );
  const sparkline = Array.from({ length: WALL_DAYS }, (_, i) => {
    const d = day(i - WALL_DAYS + 1);
    return { day: d, count: counts.get(d) ?? 0 };
  });
  const weekdays = Array.from(
    { length: SAME_WEEKDAYS },
    (_, i) => counts.get(day(-7 * (i + 1))) ?? 0,
  );
  const figures = await q.districtFigures(db, day(-WALL_DAYS + 1), today);
  const shape = (f: q.DistrictFigures) => ({
    received: f.received,
    open: f.open,
    overdue: f.overdue,
    onTimeRate: ratio(f.closedOnTime, f.closed),
    satisfaction:
      f.satisfactionCount > 0
        ? Math.round((f.satisfactionSum / f.satisfactionCount) * 100) / 100
        : null,
  });
  const city = figures.find((f) => f.id === 0)!;
  const hazards = { low: 0, medium: 0, high: 0, critical: 0 } as Record<string, number>;
  let overdueHazards = 0;
  for (const h of await openHazardsBySeverity(db, null)) {
    hazards[h.severity] = h.open;
    overdueHazards += h.overdue;
  }
  const rating = await ratingRollup(db, null);
  return {
    asOf: now.toISOString(),
    today,
    received: {
      today: counts.get(today) ?? 0,
      sameWeekdayAverage: weekdays.reduce((s, n) => s + n, 0) / SAME_WEEKDAYS,
      sparkline,
    },
    city: shape(city),
    whistles: await whistleKpis(db, null),
    hazards: { bySeverity: hazards, overdue: overdueHazards },
    districts: figures
      .filter((f) => f.id !== 0)
      .map((f) => ({ id: f.id, name: f.name, ...shape(f) }))
      .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.id - b.id),
    ratings: {
      red: rating.red,
      yellow: rating.yellow,
      blue: rating.blue,
      period: rating.period,
      redList: await q.redList(db, 20),
    },
  };
}
