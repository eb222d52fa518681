-- 004: the dial plan. A route matches the dialled number (the Request-URI's user part) by its longest prefix
-- and lists the targets (trunks) to try in order: the next is tried on 408, 5xx or no response.
CREATE TABLE IF NOT EXISTS route (
    name       text        PRIMARY KEY,
    prefix     text        NOT NULL,
    targets    text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_route_prefix UNIQUE (prefix),
    CONSTRAINT ck_route_targets CHECK (cardinality(targets) > 0)
);
