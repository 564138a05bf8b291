-- OpenTrunk schema, version 12: a binding keeps its REGISTER's Path (RFC 3327), so that calls to a
-- PBX that registered through the cluster's front go back through that front (issue 20).
-- The Path values in order, one per line; NULL when the REGISTER came directly.
-- Binding.MAX_PATH_ENTRIES (4) values of at most Binding.MAX_PATH_LENGTH (250) characters fit.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE registration ADD COLUMN path VARCHAR(1024);
