-- 012: a route's SIP normalisation (docs/interop.md, "Header policy and number normalisation"). Which headers cross between
-- the legs besides the defaults (header_allow) and which never do (header_deny; names, or prefixes ending in '*'); the
-- identity rewrite toward the route's callees (rewrite_*: NULL leaves the header as it crosses; rewrite_pai 'from' asserts
-- the From, rewrite_privacy 'remove' drops the header); number rules (number_strip[i] is replaced by number_add[i], the
-- longest matching strip wins). Empty arrays and NULLs are what every route had before these columns: no change.
ALTER TABLE route ADD COLUMN IF NOT EXISTS header_allow text[] NOT NULL DEFAULT '{}';
ALTER TABLE route ADD COLUMN IF NOT EXISTS header_deny text[] NOT NULL DEFAULT '{}';
ALTER TABLE route ADD COLUMN IF NOT EXISTS rewrite_from_user text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS rewrite_from_display text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS rewrite_to_user text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS rewrite_pai text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS rewrite_privacy text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS number_strip text[] NOT NULL DEFAULT '{}';
ALTER TABLE route ADD COLUMN IF NOT EXISTS number_add text[] NOT NULL DEFAULT '{}';
ALTER TABLE route DROP CONSTRAINT IF EXISTS ck_route_number_rules;
ALTER TABLE route ADD CONSTRAINT ck_route_number_rules CHECK (cardinality(number_strip) = cardinality(number_add));
