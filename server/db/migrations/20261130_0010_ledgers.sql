-- Placeholder (issue 11): filled by the ledgers change.

-- migrate:up

-- migrate:down
