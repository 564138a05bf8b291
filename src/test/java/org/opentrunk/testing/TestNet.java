package org.opentrunk.testing;

/**
 * Who is who in the in-container tests: each party has its own loopback address, because the
 * source address decides whether OpenTrunk sees a customer or a carrier.
 */
public final class TestNet {

    /** The OpenTrunk server under test (the arq Liberty server; see pom.xml it.sip.*). */
    public static final String TRUNK_HOST = System.getProperty("arq.sipHost", "127.0.0.1");
    public static final int TRUNK_PORT = Integer.getInteger("arq.sipPort", 15060);
    /** The trunk's domain, as configured for the arq server (OT_SIP_DOMAIN). */
    public static final String TRUNK_DOMAIN = "trunk.test";

    /** A customer's PBX, provisioned with IP authentication. */
    public static final String CUSTOMER_PBX = "127.0.0.2";
    /** The upstream carrier's gateway. */
    public static final String CARRIER = "127.0.0.3";
    public static final int CARRIER_PORT = 15060;
    /** A second carrier, tried when the first fails (priority 1 against 0). */
    public static final String SECOND_CARRIER = "127.0.0.5";
    /** A second PBX. */
    public static final String SECOND_PBX = "127.0.0.4";
    /** An address nobody provisioned. */
    public static final String STRANGER = "127.0.0.9";

    private TestNet() {
    }

    public static String trunkHostPort() {
        return TRUNK_HOST + ":" + TRUNK_PORT;
    }
}
