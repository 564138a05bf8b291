-- OpenTrunk schema, version 5: DTMF seen in anchored calls' media (IC-DTMF).
-- dtmf_count: digits (RFC 4733 telephone-events) relayed either way; 0 for direct-media calls and
-- for rows from before this version. dtmf_digits: the digits themselves, only when the operator
-- keeps them (OT_MEDIA_KEEP_DIGITS), since they can be card numbers and PINs.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE cdr ADD COLUMN dtmf_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE cdr ADD COLUMN dtmf_digits VARCHAR(64);
