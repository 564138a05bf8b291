-- OpenTrunk schema, version 3: the operator's global destination block list (premium-rate
-- ranges and the like). Calls to a number starting with a listed E.164 prefix are refused.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

CREATE TABLE blocked_prefix (
    prefix      VARCHAR(16)  PRIMARY KEY,
    note        VARCHAR(200),
    created_ms  BIGINT       NOT NULL
);
