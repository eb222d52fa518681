-- 010: which rtpengine each anchored call's media is on (docs/media.md, "When an rtpengine dies"): a row per call
-- from its first offer to its delete, moved when its media moves. When an rtpengine dies, its calls are found here,
-- parked or not, whichever silo held them.
CREATE TABLE IF NOT EXISTS media_sessions (
    call_id    text        NOT NULL,
    engine     text        NOT NULL,
    since      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_media_sessions PRIMARY KEY (call_id)
);
CREATE INDEX IF NOT EXISTS ix_media_sessions_engine ON media_sessions (engine, call_id);
