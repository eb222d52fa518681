-- 006: a route names either targets (tried in order by the failover flow) or a call flow with its parameters
-- (JSON, checked by the flow when the route is added and when the dial plan loads it), or both: the flow sees the
-- targets as the route's.
ALTER TABLE route ADD COLUMN IF NOT EXISTS flow text;
ALTER TABLE route ADD COLUMN IF NOT EXISTS parameters jsonb;
ALTER TABLE route DROP CONSTRAINT IF EXISTS ck_route_targets;
ALTER TABLE route DROP CONSTRAINT IF EXISTS ck_route_targets_or_flow;
ALTER TABLE route ADD CONSTRAINT ck_route_targets_or_flow CHECK (cardinality(targets) > 0 OR flow IS NOT NULL);
