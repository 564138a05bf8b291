-- OpenTrunk schema, version 10: several nodes on one database (issue 20).
-- cdr.node: the node that handled the call (OT_NODE_ID); NULL on rows from before this version.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE cdr ADD COLUMN node VARCHAR(64);
