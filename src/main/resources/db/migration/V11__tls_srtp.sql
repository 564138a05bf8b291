-- OpenTrunk schema, version 11: encrypted trunks (issue 21).
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- IC-TLS: the CA certificate(s), PEM, that a carrier's TLS certificate is checked against besides
-- the JVM's CAs (a carrier with a private CA); NULL = the JVM's CAs only. A chain of a few
-- certificates fits; the API refuses longer text.
ALTER TABLE carrier ADD COLUMN ca_pem VARCHAR(16384);

-- IC-SRTP: the customer's calls must offer SRTP (RTP/SAVP with a=crypto); others get 488.
ALTER TABLE customer ADD COLUMN require_srtp BOOLEAN DEFAULT FALSE NOT NULL;
