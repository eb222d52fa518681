-- 009: a route's media profile when calls' media is anchored (docs/media.md, "SRTP and WebRTC per route"): rtp, srtp
-- or webrtc toward its callees. NULL is plain RTP, as every route was before this column. The value is checked where
-- the others are, by the CLI when the route is added and by the dial plan when it loads it (no CHECK constraint, so
-- that a new profile needs no migration).
ALTER TABLE route ADD COLUMN IF NOT EXISTS media text NULL;
