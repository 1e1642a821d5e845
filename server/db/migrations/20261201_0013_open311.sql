-- Open311 GeoReport v2 (/open311/v2): what the standard interface needs beyond the tickets
-- themselves. Filled by the Open311 work of issue 12.
-- Frozen once landed: later changes go in a new migration.

-- migrate:up

SELECT 1;

-- migrate:down

SELECT 1;
