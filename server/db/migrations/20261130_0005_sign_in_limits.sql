-- Failed sign-ins, for limits that every app process on the database shares: per client address
-- and account, per address, and per account. Rows older than the longest window are swept as new
-- ones arrive; the audit log keeps the lasting record (action 'session.fail').
-- Frozen once landed: later changes go in a new migration.

-- migrate:up

CREATE TABLE sign_in_failures (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  -- The client address (an IPv6 address cut to its /64), or 'local' when there is no socket.
  address   text NOT NULL,
  -- The username as typed, lower-cased, whether or not such an account exists.
  username  text NOT NULL
);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_username_idx ON sign_in_failures (username, at);
CREATE INDEX sign_in_failures_at_idx ON sign_in_failures (at);

-- migrate:down

DROP TABLE IF EXISTS sign_in_failures;
