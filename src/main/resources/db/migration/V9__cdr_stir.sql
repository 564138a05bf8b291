-- OpenTrunk schema, version 9: STIR/SHAKEN (issue 22, IC-STIR).
-- carrier.stir_signing: outbound calls to this carrier carry a signed Identity header.
-- did_number.stir_failed_status: 0 delivers calls whose Identity failed verification (with
--   verstat=TN-Validation-Failed); 608 or 403 refuses them (RFC 8688 / RFC 3261).
-- customer.stir_origid: the origination identifier (a UUID) of the customer's signed calls,
--   stable per customer (ATIS-1000074 5.2.4); filled by the application for existing customers
--   at start-up (portable SQL has no UUID function common to H2 and PostgreSQL).
-- cdr.attestation / verstat / origid: what was signed (outbound) or received and verified
--   (inbound); NULL on rows from before this version and on calls without STIR.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

ALTER TABLE carrier ADD COLUMN stir_signing BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE did_number ADD COLUMN stir_failed_status INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE customer ADD COLUMN stir_origid VARCHAR(36);
ALTER TABLE cdr ADD COLUMN attestation VARCHAR(1);
ALTER TABLE cdr ADD COLUMN verstat VARCHAR(24);
ALTER TABLE cdr ADD COLUMN origid VARCHAR(36);
