-- OpenTrunk schema, version 1. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.
-- Times are epoch milliseconds (BIGINT): no time-zone conversion between JVM, driver and database.
-- Ids come from sequences that hand out blocks of 50 (JPA allocationSize), so inserts need no
-- round trip per row and CDRs can be written in batches. EclipseLink reads each value as the
-- last id of a block, hence START WITH 50.

CREATE SEQUENCE customer_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE carrier_seq START WITH 50 INCREMENT BY 50;
CREATE SEQUENCE cdr_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE customer (
    id            BIGINT PRIMARY KEY,
    name          VARCHAR(100) NOT NULL,
    tech_prefix   CHAR(8)      NOT NULL UNIQUE,
    sip_username  VARCHAR(64)  UNIQUE,
    -- SIP digest: HA1 = H(username:realm:password), never the password (IC-DIGEST)
    sip_realm     VARCHAR(255),
    ha1_md5       CHAR(32),
    ha1_sha256    CHAR(64),
    max_channels  INTEGER      NOT NULL,
    max_cps       INTEGER      NOT NULL,
    anchor_media  BOOLEAN      NOT NULL,
    version       BIGINT       NOT NULL
);

CREATE TABLE customer_ip (
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    ip            VARCHAR(15)  NOT NULL UNIQUE,
    PRIMARY KEY (customer_id, ip)
);

CREATE TABLE customer_allowed_prefix (
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    prefix        VARCHAR(16)  NOT NULL,
    PRIMARY KEY (customer_id, prefix)
);

CREATE TABLE carrier (
    id            BIGINT PRIMARY KEY,
    name          VARCHAR(100) NOT NULL UNIQUE,
    host          VARCHAR(255) NOT NULL,
    port          INTEGER      NOT NULL,
    transport     VARCHAR(3)   NOT NULL,
    priority      INTEGER      NOT NULL,
    weight        INTEGER      NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    version       BIGINT       NOT NULL
);

CREATE TABLE did_number (
    e164          VARCHAR(16)  PRIMARY KEY,
    customer_id   BIGINT       NOT NULL REFERENCES customer (id),
    cnam_lookup   BOOLEAN      NOT NULL,
    -- outbound CNAM storage (IC-CNAM-OUT); NULL = no stored name
    cnam_name     VARCHAR(15),
    version       BIGINT       NOT NULL
);

CREATE TABLE number_route (
    e164          VARCHAR(16)  NOT NULL REFERENCES did_number (e164) ON DELETE CASCADE,
    route_order   INTEGER      NOT NULL,
    route_type    VARCHAR(16)  NOT NULL,
    target        VARCHAR(512) NOT NULL,
    priority      INTEGER      NOT NULL,
    PRIMARY KEY (e164, route_order)
);

-- One row per call attempt (IC-CDR).
CREATE TABLE cdr (
    id               BIGINT PRIMARY KEY,
    direction        VARCHAR(8)   NOT NULL,
    a_call_id        VARCHAR(255) NOT NULL,
    b_call_id        VARCHAR(255),
    customer_id      BIGINT,
    carrier_id       BIGINT,
    caller           VARCHAR(32),
    callee           VARCHAR(32),
    start_ms         BIGINT       NOT NULL,
    answer_ms        BIGINT,
    end_ms           BIGINT,
    sip_status       INTEGER,
    disconnect_cause VARCHAR(64),
    x_tag            VARCHAR(32),
    codec            VARCHAR(16),
    fax              BOOLEAN      NOT NULL,
    route            VARCHAR(512)
);
CREATE INDEX cdr_by_start ON cdr (start_ms);
CREATE INDEX cdr_by_customer ON cdr (customer_id, start_ms);
CREATE INDEX cdr_by_caller ON cdr (caller, start_ms);
CREATE INDEX cdr_by_callee ON cdr (callee, start_ms);
