-- OpenTrunk schema, version 2: CDRs are stored exactly once (IC-CDR).
-- The CDR writer delivers each record at least once: after a crash between a database write and
-- the journal's commit, the same records are written again. Each record carries a unique id (a
-- UUID made when the call attempt ends); the CDR sink skips ids already stored, and this
-- constraint makes a duplicate impossible even if it did not. Rows from before this version have
-- no id: NULL, which UNIQUE allows any number of times on H2 and PostgreSQL alike.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE cdr ADD COLUMN record_id VARCHAR(36);
ALTER TABLE cdr ADD CONSTRAINT cdr_record_id_unique UNIQUE (record_id);
