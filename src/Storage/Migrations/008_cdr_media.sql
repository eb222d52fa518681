-- 008: an anchored call's media counts and quality (docs/media.md, "Anchoring a call"): the CDR's media object as
-- written in the JSON-lines log ({fromCaller: {packets, bytes}, fromCallee: {...}, packetsLost, jitter, mos, engine}).
-- NULL for calls whose media was not anchored, and for every row written before this column existed.
ALTER TABLE cdr ADD COLUMN IF NOT EXISTS media jsonb NULL;
