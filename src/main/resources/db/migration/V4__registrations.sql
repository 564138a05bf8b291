-- OpenTrunk schema, version 4: the registrar's bindings (RFC 3261 section 10.3), so that phones
-- and PBXs that register stay reachable across a restart instead of missing calls until their
-- next REGISTER. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.
-- The natural key (customer, contact URI) needs no sequence: the registrar never holds two
-- bindings of one customer for the same contact, and a REGISTER replaces a customer's rows.
-- Deleting a customer deletes its bindings: they mean nothing without it.

CREATE TABLE registration (
    customer_id     BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    contact_uri     VARCHAR(512) NOT NULL,
    -- where the REGISTER came from: inbound calls go there (NAT), IPv4 only (IC-IPV4)
    source_address  VARCHAR(15)  NOT NULL,
    source_port     INTEGER      NOT NULL,
    transport       VARCHAR(3)   NOT NULL,
    expires_at_ms   BIGINT       NOT NULL,
    call_id         VARCHAR(255) NOT NULL,
    cseq            BIGINT       NOT NULL,
    -- the contact's q parameter in thousandths (0..1000); NULL when it gave none
    q_thousandths   INTEGER,
    user_agent      VARCHAR(128),
    PRIMARY KEY (customer_id, contact_uri)
);
CREATE INDEX registration_by_expiry ON registration (expires_at_ms);
