-- 013: the transfers a call went through (REFER, RFC 3515; docs/call-flows.md, "Transfers"): the CDR's transfers
-- array as written in the JSON-lines log ([{at, by, from, to, attended}]). A transferred call keeps one row, keyed by
-- its caller leg's Call-ID as every call's, so it is still written exactly once. NULL for calls never transferred.
ALTER TABLE cdr ADD COLUMN IF NOT EXISTS transfers jsonb NULL;
