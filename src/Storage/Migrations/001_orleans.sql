-- 001: Orleans ADO.NET grain persistence and reminders on PostgreSQL.
-- From ../shared/design/reference/orleans-postgres.sql (written from the provider's contract and run against a
-- real silo), with one change: rows are keyed and looked up by their natural key only, and a per-call grain's
-- row is deleted when the call is forgotten (DeleteStateOnClear = true), so no tombstones pile up.
-- Re-runnable: tables are created if missing and the query texts are upserted.

-- 1) Query registry. Orleans issues literally: SELECT QueryKey, QueryText FROM OrleansQuery [WHERE QueryKey = ...]
--    (unquoted => PostgreSQL folds to orleansquery/querykey/querytext, so create it unquoted/lowercase).
CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  varchar(64) PRIMARY KEY,
    querytext text        NOT NULL
);

-- 2) Grain state. Natural key = service id + grain type + grain id (n0, n1, string/extension).
--    The extension is stored as '' when Orleans passes NULL so that a real PK/ON CONFLICT works.
CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_id_ext    text        NOT NULL DEFAULT '',
    grain_id_hash   integer     NOT NULL,
    grain_type_hash integer     NOT NULL,
    payload         bytea       NULL,       -- NULL = cleared (when DeleteStateOnClear=false)
    version         integer     NOT NULL,   -- the ETag
    modified_on     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_orleans_grain_state PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)
);

-- 3) Reminders.
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT pk_orleans_reminders PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

-- 4) Queries (upsert so the migration can be re-applied to change query text).
INSERT INTO orleansquery (querykey, querytext) VALUES
-- Persistence: returns one row, column NewGrainStateVersion (int). Zero rows => Orleans raises InconsistentStateException.
('WriteToStorageKey', $q$
WITH upd AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, modified_on = now(),
           grain_id_hash = @GrainIdHash, grain_type_hash = @GrainTypeHash
     WHERE @GrainStateVersion IS NOT NULL
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
), ins AS (
    INSERT INTO orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext,
                                     grain_id_hash, grain_type_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT pk_orleans_grain_state DO NOTHING
    RETURNING version
)
SELECT version AS NewGrainStateVersion FROM upd
UNION ALL
SELECT version FROM ins
$q$),
-- Persistence: zero or one row with columns PayloadBinary (bytea, may be NULL) and Version (int).
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
  FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
$q$),
-- Persistence (DeleteStateOnClear=false): keep row, null payload, bump version; first column = new version.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
   SET payload = NULL, version = version + 1, modified_on = now()
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion
$q$),
-- Persistence (DeleteStateOnClear=true): delete row; first column must differ from the ETag (old version + 1).
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion
$q$),
-- Reminders: result columns GrainId, ReminderName, StartTime, Period, Version.
('ReadReminderRowsKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
  FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),
('ReadReminderRowKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
  FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),
-- Used when (int)BeginHash < (int)EndHash: range (Begin, End].
('ReadRangeRows1Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
  FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),
-- Used otherwise (wrapping range, or Begin == End meaning the whole ring).
('ReadRangeRows2Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
  FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),
-- Must return one row with a column named Version (new ETag).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT ON CONSTRAINT pk_orleans_reminders DO UPDATE
   SET start_time = EXCLUDED.start_time, period_ms = EXCLUDED.period_ms,
       grain_hash = EXCLUDED.grain_hash, version = orleans_reminders.version + 1
RETURNING version AS Version
$q$),
-- Must return exactly one row with exactly one column convertible to bool (true = deleted).
('DeleteReminderRowKey', $q$
WITH d AS (
    DELETE FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM d
$q$),
('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
