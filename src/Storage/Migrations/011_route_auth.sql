-- 011: a route's trunk credentials, answered when the trunk challenges a call's INVITE or BYE (401/407; docs/interop.md,
-- "Outbound authentication"): a user name, the password or the digest HA1 (not both), and the realm they are for (NULL:
-- any realm the trunk names). NULL user: the route has none, as every route had before these columns. The secrets sit
-- beside the route, readable by whoever reads the table (as the subscribers' HA1s are); `route list` never prints them.
ALTER TABLE route ADD COLUMN IF NOT EXISTS auth_username text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS auth_realm text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS auth_password text NULL;
ALTER TABLE route ADD COLUMN IF NOT EXISTS auth_ha1 text NULL;
ALTER TABLE route DROP CONSTRAINT IF EXISTS ck_route_auth_secret;
ALTER TABLE route ADD CONSTRAINT ck_route_auth_secret CHECK (
    (auth_username IS NULL AND auth_password IS NULL AND auth_ha1 IS NULL)
    OR (auth_username IS NOT NULL AND (auth_password IS NULL) <> (auth_ha1 IS NULL)));
