-- The planner's data engine: H3 cells fixed at intake, and ticket counts kept per area, per
-- cell, per day and per month in the same transaction as every write, so that KPIs, hotspots
-- and the wall read a few thousand summed rows instead of a year of tickets.
--
-- Days and months are Beijing calendar days (UTC+8 all year). Area rollups carry the KPI
-- numerators per (area, day, category, channel); area 0 is the whole city. Cell rollups count
-- the tickets that are not rejected duplicates per (resolution, cell, day, category), with one
-- more row per (resolution, cell, day) under category '*' for all categories together, so the
-- unfiltered map sums a tenth of the rows. "Overdue"
-- changes with the clock, not with writes, so it is counted from the open tickets' own index.

-- migrate:up

-- H3 cell (resolution 9) of the position, fixed by the application (h3-js) when the record is
-- written. Coarser cells are its parents (h3_parent). NULL only until the startup backfill has
-- run over rows written before this migration.
ALTER TABLE tickets ADD COLUMN h3 bigint;
ALTER TABLE hazards ADD COLUMN h3 bigint;
ALTER TABLE compounds ADD COLUMN h3 bigint;  -- of the compound's label point
CREATE INDEX tickets_h3_idx ON tickets (h3, received_at);

-- A repeat (重复诉求): a ticket of the same category at the same compound as one closed less than
-- 90 days before it arrived. Fixed at intake (a later reopening of that ticket does not unmake
-- it); rejected duplicates are not counted as repeats where counts are made.
ALTER TABLE tickets ADD COLUMN is_repeat boolean NOT NULL DEFAULT false;

-- Marks every repeat among the tickets at once (after a bulk load, and here for rows written before
-- this migration): each receipt against the latest closure of its compound and category before it.
CREATE FUNCTION mark_repeat_tickets() RETURNS void
LANGUAGE sql AS $$
  UPDATE tickets t SET is_repeat = true
  FROM (
    SELECT id FROM (
      SELECT id, kind, at, max(CASE WHEN kind = 0 THEN at END)
        OVER (PARTITION BY compound_id, category ORDER BY at, kind ROWS UNBOUNDED PRECEDING) AS last_close
      FROM (
        SELECT id, compound_id, category, 0 AS kind, closed_at AS at FROM tickets
        WHERE compound_id IS NOT NULL AND closed_at IS NOT NULL
        UNION ALL
        SELECT id, compound_id, category, 1, received_at FROM tickets WHERE compound_id IS NOT NULL
      ) e
    ) x
    WHERE kind = 1 AND at < last_close + interval '90 days'
  ) r
  WHERE t.id = r.id AND NOT t.is_repeat
$$;
SELECT mark_repeat_tickets();
CREATE INDEX tickets_h3_missing_idx ON tickets (id) WHERE h3 IS NULL;
CREATE INDEX hazards_h3_missing_idx ON hazards (id) WHERE h3 IS NULL;

-- The parent of an H3 cell at a coarser resolution: the resolution field (bits 52-55) is set
-- and the digits below it are filled with 7 ("unused"), as h3's cellToParent does.
CREATE FUNCTION h3_parent(cell bigint, res integer) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (cell & ~(15::bigint << 52)) | (res::bigint << 52) | ((1::bigint << (3 * (15 - res))) - 1)
$$;

-- The Beijing calendar day of a moment.
CREATE FUNCTION beijing_day(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (timezone('UTC', at) + interval '8 hours')::date
$$;

CREATE TABLE ticket_area_days (
  area_id            integer NOT NULL,  -- 0: the city
  day                date    NOT NULL,  -- the Beijing day the ticket was received
  category           text    NOT NULL,
  channel            text    NOT NULL,
  received           integer NOT NULL,
  open               integer NOT NULL,  -- still needing work (not resolved, closed or rejected)
  closed             integer NOT NULL,
  closed_on_time     integer NOT NULL,  -- closed, and resolved (or closed) by the deadline
  rejected           integer NOT NULL,  -- rejected as duplicates
  satisfaction_sum   integer NOT NULL,
  satisfaction_count integer NOT NULL,
  PRIMARY KEY (area_id, day, category, channel)
);
CREATE TABLE ticket_area_months (LIKE ticket_area_days);
ALTER TABLE ticket_area_months RENAME COLUMN day TO month;  -- the first day of the month
ALTER TABLE ticket_area_months ADD PRIMARY KEY (area_id, month, category, channel);

CREATE TABLE ticket_cell_days (
  res      smallint NOT NULL,
  day      date     NOT NULL,
  category text     NOT NULL,
  h3       bigint   NOT NULL,
  n        integer  NOT NULL,
  PRIMARY KEY (res, category, day, h3)  -- a map reads one resolution and category over a range of days
);
CREATE TABLE ticket_cell_months (LIKE ticket_cell_days);
ALTER TABLE ticket_cell_months RENAME COLUMN day TO month;
ALTER TABLE ticket_cell_months ADD PRIMARY KEY (res, category, month, h3);

-- Adds (s = 1) or takes away (s = -1) one ticket's share of every rollup.
CREATE FUNCTION ticket_rollups_apply(t tickets, s integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  d date := beijing_day(t.received_at);
  m date := date_trunc('month', d::timestamp)::date;
  is_open integer := CASE WHEN t.closed_at IS NULL AND t.status NOT IN ('rejected_duplicate', 'resolved') THEN s ELSE 0 END;
  is_closed integer := CASE WHEN t.closed_at IS NOT NULL THEN s ELSE 0 END;
  on_time integer := CASE WHEN t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at THEN s ELSE 0 END;
  is_rejected integer := CASE WHEN t.status = 'rejected_duplicate' THEN s ELSE 0 END;
  sat_sum integer := coalesce(t.satisfaction, 0) * s;
  sat_count integer := CASE WHEN t.satisfaction IS NULL THEN 0 ELSE s END;
  areas integer[] := ARRAY[0, t.district_id, t.subdistrict_id, t.community_id, t.grid_id, t.compound_id];
BEGIN
  INSERT INTO ticket_area_days AS r
  SELECT a, d, t.category, t.channel, s, is_open, is_closed, on_time, is_rejected, sat_sum, sat_count
  FROM unnest(areas) a WHERE a IS NOT NULL
  ON CONFLICT (area_id, day, category, channel) DO UPDATE SET
    received = r.received + excluded.received, open = r.open + excluded.open,
    closed = r.closed + excluded.closed, closed_on_time = r.closed_on_time + excluded.closed_on_time,
    rejected = r.rejected + excluded.rejected,
    satisfaction_sum = r.satisfaction_sum + excluded.satisfaction_sum,
    satisfaction_count = r.satisfaction_count + excluded.satisfaction_count;
  INSERT INTO ticket_area_months AS r
  SELECT a, m, t.category, t.channel, s, is_open, is_closed, on_time, is_rejected, sat_sum, sat_count
  FROM unnest(areas) a WHERE a IS NOT NULL
  ON CONFLICT (area_id, month, category, channel) DO UPDATE SET
    received = r.received + excluded.received, open = r.open + excluded.open,
    closed = r.closed + excluded.closed, closed_on_time = r.closed_on_time + excluded.closed_on_time,
    rejected = r.rejected + excluded.rejected,
    satisfaction_sum = r.satisfaction_sum + excluded.satisfaction_sum,
    satisfaction_count = r.satisfaction_count + excluded.satisfaction_count;
  IF t.h3 IS NOT NULL AND t.status <> 'rejected_duplicate' THEN
    INSERT INTO ticket_cell_days AS r
    SELECT res, d, c, h3_parent(t.h3, res), s
    FROM unnest(ARRAY[7, 8, 9]) res CROSS JOIN unnest(ARRAY[t.category, '*']) c
    ON CONFLICT (res, category, day, h3) DO UPDATE SET n = r.n + excluded.n;
    INSERT INTO ticket_cell_months AS r
    SELECT res, m, c, h3_parent(t.h3, res), s
    FROM unnest(ARRAY[7, 8, 9]) res CROSS JOIN unnest(ARRAY[t.category, '*']) c
    ON CONFLICT (res, category, month, h3) DO UPDATE SET n = r.n + excluded.n;
  END IF;
END $$;

-- What a ticket contributes, to tell whether an update changes any rollup.
CREATE FUNCTION ticket_rollups_share(t tickets) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT concat_ws('|', t.received_at, t.category, t.channel, t.district_id, t.subdistrict_id,
    t.community_id, t.grid_id, t.compound_id, t.h3, t.satisfaction,
    CASE WHEN t.status = 'rejected_duplicate' THEN 'x' WHEN t.closed_at IS NOT NULL THEN 'c'
         WHEN t.status = 'resolved' THEN 'r' ELSE 'o' END,
    t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at)
$$;

CREATE FUNCTION tickets_rollups_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND ticket_rollups_share(OLD) = ticket_rollups_share(NEW) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM ticket_rollups_apply(OLD, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM ticket_rollups_apply(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_rollups AFTER INSERT OR UPDATE OR DELETE ON tickets
FOR EACH ROW EXECUTE FUNCTION tickets_rollups_trigger();

-- Recounts every rollup from the tickets: after a bulk load with the trigger disabled, or to
-- check the kept counts (tests compare the two).
CREATE FUNCTION rebuild_ticket_rollups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE ticket_area_days, ticket_area_months, ticket_cell_days, ticket_cell_months;
  INSERT INTO ticket_area_days
  SELECT a.id, beijing_day(t.received_at), t.category, t.channel, count(*),
    count(*) FILTER (WHERE t.closed_at IS NULL AND t.status NOT IN ('rejected_duplicate', 'resolved')),
    count(*) FILTER (WHERE t.closed_at IS NOT NULL),
    count(*) FILTER (WHERE t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at),
    count(*) FILTER (WHERE t.status = 'rejected_duplicate'),
    coalesce(sum(t.satisfaction), 0), count(t.satisfaction)
  FROM tickets t
  CROSS JOIN LATERAL unnest(ARRAY[0, t.district_id, t.subdistrict_id, t.community_id, t.grid_id, t.compound_id]) a(id)
  WHERE a.id IS NOT NULL
  GROUP BY 1, 2, 3, 4;
  INSERT INTO ticket_area_months
  SELECT area_id, date_trunc('month', day::timestamp)::date, category, channel, sum(received),
    sum(open), sum(closed), sum(closed_on_time), sum(rejected), sum(satisfaction_sum),
    sum(satisfaction_count)
  FROM ticket_area_days GROUP BY 1, 2, 3, 4;
  INSERT INTO ticket_cell_days
  SELECT r.res, beijing_day(t.received_at), t.category, h3_parent(t.h3, r.res), count(*)
  FROM tickets t CROSS JOIN unnest(ARRAY[7, 8, 9]) r(res)
  WHERE t.h3 IS NOT NULL AND t.status <> 'rejected_duplicate'
  GROUP BY 1, 2, 3, 4;
  INSERT INTO ticket_cell_days
  SELECT res, day, '*', h3, sum(n) FROM ticket_cell_days GROUP BY 1, 2, 4;
  INSERT INTO ticket_cell_months
  SELECT res, date_trunc('month', day::timestamp)::date, category, h3, sum(n)
  FROM ticket_cell_days GROUP BY 1, 2, 3, 4;
END $$;

SELECT rebuild_ticket_rollups();

-- migrate:down
DROP TRIGGER IF EXISTS tickets_rollups ON tickets;
DROP FUNCTION IF EXISTS tickets_rollups_trigger();
DROP FUNCTION IF EXISTS rebuild_ticket_rollups();
DROP FUNCTION IF EXISTS ticket_rollups_share(tickets);
DROP FUNCTION IF EXISTS ticket_rollups_apply(tickets, integer);
DROP TABLE IF EXISTS ticket_cell_months;
DROP TABLE IF EXISTS ticket_cell_days;
DROP TABLE IF EXISTS ticket_area_months;
DROP TABLE IF EXISTS ticket_area_days;
DROP FUNCTION IF EXISTS beijing_day(timestamptz);
DROP FUNCTION IF EXISTS h3_parent(bigint, integer);
DROP FUNCTION IF EXISTS mark_repeat_tickets();
ALTER TABLE tickets DROP COLUMN IF EXISTS is_repeat;
ALTER TABLE compounds DROP COLUMN IF EXISTS h3;
ALTER TABLE hazards DROP COLUMN IF EXISTS h3;
ALTER TABLE tickets DROP COLUMN IF EXISTS h3;
