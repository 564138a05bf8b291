-- OpenTrunk schema, version 8: a per-customer maximum call duration (issue 25, long calls).
-- max_call_seconds: an answered call of the customer (outbound, or inbound to its numbers) that
-- lasts this long is hung up with BYE on both legs (CDR cause max_duration); 0 = no limit.
-- Existing customers get the default, 4 hours: it bounds toll fraud that stays under the
-- per-minute guard on long calls, and no ordinary call lasts that long.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE customer ADD COLUMN max_call_seconds INTEGER DEFAULT 14400 NOT NULL;
