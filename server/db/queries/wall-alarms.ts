/**
 * The wall's alarms (wall_alarms) and the watermarks of the deadline sweeps (wall_sweeps). An
 * alarm is raised once per (kind, record): every INSERT here is ON CONFLICT DO NOTHING RETURNING,
 * so a second raise (another process, a retried sweep) returns nothing and notifies nobody.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';
import { OPEN_TICKET } from './areas.ts';

export type AlarmKind = 'hazard_major' | 'whistle_late' | 'ticket_overdue_red';

/** An alarm as the contract's Alarm (server/contract/wall.ts) has it. */
export interface AlarmRow {
  id: number;
  kind: AlarmKind;
  district: { id: number; name: string };
  place: string;
  category: string | null;
  severity: string | null;
  position: [number, number];
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** Built in SQL from a row aliased `a`: the district's name joined, the position at 5 decimals. */
const ALARM_JSON = sql<AlarmRow>`json_build_object('id', a.id, 'kind', a.kind,
  'district', json_build_object('id', a.district_id,
    'name', (SELECT name FROM areas WHERE id = a.district_id)),
  'place', a.place, 'category', a.category, 'severity', a.severity,
  'position', json_build_array(round(ST_X(a.geom)::numeric, 5), round(ST_Y(a.geom)::numeric, 5)),
  'raisedAt', a.raised_at, 'acknowledgedAt', a.acknowledged_at,
  'acknowledgedBy', a.acknowledged_by_name)`;

/** The place an alarm names: the compound, or the grid when the record lies in none. */
const placeOf = (compound: RawBuilder<unknown>, grid: RawBuilder<unknown>) =>
  sql`coalesce((SELECT name FROM areas WHERE id = ${compound}),
    (SELECT name FROM areas WHERE id = ${grid}))`;

/**
 * Inserts the alarms `select` yields (columns kind, ref_id, district_id, place, category,
 * severity, geom, raised_at), skipping those already raised, and returns the new ones.
 */
async function raise(ex: Executor, select: RawBuilder<unknown>): Promise<AlarmRow[]> {
  const r = await sql<{ alarm: AlarmRow }>`
    WITH a AS (
      INSERT INTO wall_alarms (kind, ref_id, district_id, place, category, severity, geom, raised_at)
      ${select}
      ON CONFLICT (kind, ref_id) DO NOTHING
      RETURNING *
    )
    SELECT ${ALARM_JSON} AS alarm FROM a ORDER BY a.id`.execute(ex);
  return r.rows.map((row) => row.alarm);
}

/** A critical hazard's alarm, in the transaction that takes the hazard in; null for others. */
export async function raiseHazardAlarm(ex: Executor, hazardId: number): Promise<AlarmRow | null> {
  const rows = await raise(
    ex,
    sql`SELECT 'hazard_major', h.id, h.district_id, ${placeOf(sql`h.compound_id`, sql`h.grid_id`)},
      h.type, h.severity, h.geom, now()
    FROM hazards h WHERE h.id = ${hazardId} AND h.severity = 'critical'`,
  );
  return rows[0] ?? null;
}

/**
 * Unresolved whistles whose report-in deadline fell in (from, to] while a body had not reported
 * in: raised at `to`.
 */
export function raiseLateWhistles(ex: Executor, from: Date, to: Date): Promise<AlarmRow[]> {
  return raise(
    ex,
    sql`SELECT 'whistle_late', w.id, w.district_id, ${placeOf(sql`w.compound_id`, sql`w.grid_id`)},
      NULL, NULL, w.geom, ${to}::timestamptz
    FROM whistles w
    WHERE w.resolved_at IS NULL AND w.report_due_at > ${from} AND w.report_due_at <= ${to}
      AND EXISTS (SELECT 1 FROM whistle_report_ins r
        WHERE r.whistle_id = w.id AND r.reported_at IS NULL)
    ORDER BY w.report_due_at, w.id`,
  );
}

/**
 * Open tickets whose deadline fell in (from, to], in a compound whose latest 红黄蓝 rating is
 * red: raised at `to`.
 */
export function raiseOverdueRedTickets(ex: Executor, from: Date, to: Date): Promise<AlarmRow[]> {
  return raise(
    ex,
    sql`SELECT 'ticket_overdue_red', t.id, t.district_id,
      ${placeOf(sql`t.compound_id`, sql`t.grid_id`)}, t.category, NULL, t.geom, ${to}::timestamptz
    FROM tickets t
    WHERE ${OPEN_TICKET} AND t.due_at > ${from} AND t.due_at <= ${to}
      AND t.compound_id IS NOT NULL
      AND (SELECT cr.color FROM compound_ratings cr WHERE cr.compound_id = t.compound_id
        ORDER BY cr.period DESC LIMIT 1) = 'red'
    ORDER BY t.due_at, t.id`,
  );
}

/**
 * How far the sweep `name` has looked, its row locked until the transaction ends, so that two
 * processes sweeping at once take turns and the second sees the first's watermark. The first
 * sweep ever starts from `initial`.
 */
export async function lockSweep(ex: Executor, name: string, initial: Date): Promise<Date> {
  await sql`INSERT INTO wall_sweeps (name, swept_until) VALUES (${name}, ${initial})
    ON CONFLICT (name) DO NOTHING`.execute(ex);
  const r = await sql<{ until: Date | string }>`SELECT swept_until AS until FROM wall_sweeps
    WHERE name = ${name} FOR UPDATE`.execute(ex);
  return new Date(r.rows[0]!.until);
}

export async function advanceSweep(ex: Executor, name: string, until: Date): Promise<void> {
  await sql`UPDATE wall_sweeps SET swept_until = greatest(swept_until, ${until}::timestamptz)
    WHERE name = ${name}`.execute(ex);
}

/** Alarms raised since `since`, newest first. */
export async function listAlarms(db: Db, since: Date, limit: number): Promise<AlarmRow[]> {
  const r = await sql<{ items: AlarmRow[] }>`
    WITH a AS (
      SELECT * FROM wall_alarms WHERE raised_at >= ${since}
      ORDER BY raised_at DESC, id DESC LIMIT ${limit}
    )
    SELECT coalesce(json_agg(${ALARM_JSON} ORDER BY a.raised_at DESC, a.id DESC), '[]') AS items
    FROM a`.execute(db.kysely);
  return r.rows[0]!.items;
}

/** One alarm, locked for the transaction when `lock`; undefined for an unknown id. */
export async function findAlarm(ex: Executor, id: number, lock = false) {
  const r = await sql<{ alarm: AlarmRow }>`SELECT ${ALARM_JSON} AS alarm FROM wall_alarms a
    WHERE a.id = ${id} ${lock ? sql`FOR UPDATE OF a` : sql``}`.execute(ex);
  return r.rows[0]?.alarm;
}

/** Marks an alarm acknowledged unless it already is; the alarm as it stands afterwards. */
export async function acknowledgeAlarm(
  ex: Executor,
  id: number,
  by: { accountId: number; name: string; at: Date },
): Promise<AlarmRow | undefined> {
  await sql`UPDATE wall_alarms SET acknowledged_at = ${by.at}, acknowledged_by = ${by.accountId},
      acknowledged_by_name = ${by.name}
    WHERE id = ${id} AND acknowledged_at IS NULL`.execute(ex);
  return findAlarm(ex, id);
}

/** The districts' names by id: the wall's ticks name a district, nothing finer. */
export async function districtNames(db: Db): Promise<Map<number, string>> {
  const r = await sql<{ id: number; name: string }>`SELECT id, name FROM areas
    WHERE level = 'district'`.execute(db.kysely);
  return new Map(r.rows.map((row) => [row.id, row.name]));
}
