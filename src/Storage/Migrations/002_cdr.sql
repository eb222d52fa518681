-- 002: the CDR log. One row per call, unique on the call: a retried end of call inserts nothing twice.
--
-- Consumers must never skip a record, even when concurrent writers commit out of order. A sequence alone
-- cannot promise that (id 7 may commit after a reader has seen id 8). So every row also records the id of the
-- transaction that wrote it (xid8), and readers only take rows below the oldest transaction still running
-- (pg_snapshot_xmin of their snapshot): no row can appear there later. Readers page by (txid, id).
CREATE TABLE IF NOT EXISTS cdr (
    id               bigserial   NOT NULL,
    txid             xid8        NOT NULL DEFAULT pg_current_xact_id(),
    call_id          text        NOT NULL,
    caller           text        NOT NULL,
    callee_dialled   text        NOT NULL,
    callee_routed    text        NULL,
    invite_time      timestamptz NOT NULL,
    answer_time      timestamptz NULL,
    end_time         timestamptz NOT NULL,
    billable_seconds bigint      NOT NULL,
    disposition      text        NOT NULL,
    final_status     integer     NOT NULL,
    hung_up_by       text        NOT NULL,
    route            text        NULL,
    edge             text        NOT NULL,
    silo             text        NOT NULL,
    written_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_cdr PRIMARY KEY (id),
    CONSTRAINT uq_cdr_call UNIQUE (call_id)
);
CREATE INDEX IF NOT EXISTS ix_cdr_txid_id ON cdr (txid, id);

-- Each billing consumer's checkpoint: the last (txid, id) it has processed.
CREATE TABLE IF NOT EXISTS cdr_consumer (
    name       text        PRIMARY KEY,
    last_txid  xid8        NOT NULL DEFAULT '0'::xid8,
    last_id    bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
