-- OpenTrunk schema, version 7: emergency calls on their CDRs (IC-EMERGENCY, IC-CDR).
-- emergency: the call path recognised the attempt as an emergency short code (911, 112, 999,
-- 000 ...), answered or refused, so the operator can list them all; FALSE for rows from before
-- this version. The index serves that list (emergency = TRUE, newest first): emergency calls are
-- few, and without it the query would read the table along cdr_by_start to find them.
-- Version 6 is the provisioning migration's.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE cdr ADD COLUMN emergency BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX cdr_by_emergency ON cdr (emergency, start_ms);
