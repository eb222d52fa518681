-- 003: wake CDR followers at once. A statement-level trigger notifies channel 'cdr' when CDRs are inserted;
-- PostgreSQL delivers it at commit. The log stays the source of truth: a follower that missed a notification
-- still finds every row on its next read.
CREATE OR REPLACE FUNCTION cdr_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cdr', '');
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS cdr_inserted ON cdr;
CREATE TRIGGER cdr_inserted AFTER INSERT ON cdr FOR EACH STATEMENT EXECUTE FUNCTION cdr_notify();
