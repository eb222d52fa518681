-- 007: the cluster's bans (docs/security.md): sources every edge drops everything from until "until". Edges make them
-- (brute force, floods, scanners) through the ban list grain; the CLI adds and removes them here (callcontrol ban ...).
CREATE TABLE IF NOT EXISTS security_bans (
    source     inet        NOT NULL,
    until      timestamptz NOT NULL,
    reason     text        NOT NULL,
    banned_by  text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_security_bans PRIMARY KEY (source)
);
