-- Placeholder (issue 11): filled by the deliberation change.

-- migrate:up

-- migrate:down
