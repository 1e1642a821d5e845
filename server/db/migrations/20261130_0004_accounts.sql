-- Account management: demo accounts are marked, so that only a database seeded with them offers
-- them on the sign-in screen (and a real deployment can find and disable any it inherited).
-- Frozen once landed: later changes go in a new migration.

-- migrate:up

ALTER TABLE accounts ADD COLUMN demo boolean NOT NULL DEFAULT false;
-- Until now the seed was the only way to create an account: the seeded usernames are the demo ones.
UPDATE accounts SET demo = true WHERE username IN ('city', 'district', 'district2', 'subdistrict',
  'community', 'community2', 'gridworker', 'sentinel', 'property', 'property2', 'department',
  'department2', 'planner');
ALTER TABLE accounts ADD COLUMN password_changed_at timestamptz;
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz;

-- migrate:down

ALTER TABLE accounts DROP COLUMN disabled_at;
ALTER TABLE accounts DROP COLUMN password_changed_at;
ALTER TABLE accounts DROP COLUMN demo;
