-- 005: subscribers for the registrar. Passwords are never stored: only the digest HA1 for each algorithm
-- (RFC 7616 §3.4.2: HA1 = H(username:realm:password)), which the registrar verifies responses against.
CREATE TABLE IF NOT EXISTS subscriber (
    username   text        NOT NULL,
    realm      text        NOT NULL,
    ha1_md5    text        NOT NULL,
    ha1_sha256 text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_subscriber PRIMARY KEY (username, realm)
);
