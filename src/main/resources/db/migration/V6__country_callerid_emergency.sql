-- OpenTrunk schema, version 6: real PBXs and carriers out of the box (issue 19).
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- IC-COUNTRY: where a customer or carrier is (ISO 3166-1 alpha-2), so that numbers it sends in
-- national format are read as E.164; NULL = none (only international numbers are understood).
ALTER TABLE customer ADD COLUMN country CHAR(2);
ALTER TABLE carrier ADD COLUMN country CHAR(2);

-- IC-EMERGENCY: carriers that take emergency short codes (911, 112, 999 ...).
ALTER TABLE carrier ADD COLUMN emergency BOOLEAN DEFAULT FALSE NOT NULL;

-- IC-DIGEST: the algorithms a customer is challenged with, comma-separated in order of
-- preference (e.g. 'SHA-256,MD5'); NULL = the trunk's OT_DIGEST_ALGORITHMS.
ALTER TABLE customer ADD COLUMN digest_algorithms VARCHAR(32);

-- IC-CALLER-OWNER: 'any' caller number, or only the customer's 'own' numbers and verified ones.
ALTER TABLE customer ADD COLUMN caller_id_policy VARCHAR(8) DEFAULT 'any' NOT NULL;
CREATE TABLE customer_verified_number (
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    e164          VARCHAR(16)  NOT NULL,
    PRIMARY KEY (customer_id, e164)
);

-- IC-SHARED-IP: an address may belong to several customers (the tech prefix tells them apart),
-- so customer_ip loses the UNIQUE on ip. The constraint has no portable name (H2 and PostgreSQL
-- name it differently), so the table is rebuilt without it.
CREATE TABLE customer_ip_shared (
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    ip            VARCHAR(15)  NOT NULL,
    PRIMARY KEY (customer_id, ip)
);
INSERT INTO customer_ip_shared (customer_id, ip) SELECT customer_id, ip FROM customer_ip;
DROP TABLE customer_ip;
ALTER TABLE customer_ip_shared RENAME TO customer_ip;
CREATE INDEX customer_ip_by_ip ON customer_ip (ip);
