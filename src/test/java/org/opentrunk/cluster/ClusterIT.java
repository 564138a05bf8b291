package org.opentrunk.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LocalCluster;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipRegistration;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.Sipp;
import org.opentrunk.testing.TestNet;

/**
 * Issue 20: two OpenTrunk nodes behind the Kamailio front on one PostgreSQL (and Redis), started by
 * deploy/local-cluster.sh, driven by SIPp on loopback addresses of their own: the customer's PBX
 * on {@link #PBX}, the carrier on {@link #CARRIER}. One cluster for the class (a shared fixture:
 * tests of the shared state add to it); the node-killing test runs last.
 */
@Tag("IC-INTEROP")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final String PBX = "127.0.1.20";
    static final String CARRIER = "127.0.1.30";
    static final int CARRIER_PORT = 15060;
    static final String TECH_PREFIX = "24681357";
    static final String DIALLED = TECH_PREFIX + "*+12066418000";
    /** A PBX that registers through the front (digest) and gets the calls of {@link #REGISTERED_DID}. */
    static final String REGISTERED_PBX = "127.0.1.21";
    static final int REGISTERED_PBX_PORT = 5062;
    static final String PRIVATE_CONTACT = "sip:pbx@192.168.77.10:5062";
    static final String DIGEST_USER = "cluster-pbx";
    static final String DIGEST_PASSWORD = "cluster-secret-1";
    static final String REGISTERED_DID = "+12065550142";
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Provisioning written on one node is in every node's call path within this (issue 20). */
    static final Duration NOTICE_BOUND = Duration.ofSeconds(1);
    /** A PBX of a customer with three channels, and one authenticating by digest. */
    static final String LIMITED_PBX = "127.0.1.22";
    static final String DIGEST_PBX = "127.0.1.23";
    static final String OFFER = "v=0\r\no=carrier 1 1 IN IP4 127.0.1.30\r\ns=-\r\nc=IN IP4 127.0.1.30\r\nt=0 0\r\n"
            + "m=audio 40002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    static final Duration CALL_LIMIT = Duration.ofSeconds(60);
    /** Issue 20: after a node dies, new calls succeed through the other within this. */
    static final Duration TAKEOVER = Duration.ofSeconds(5);
    private static final Pattern ANSWERED = Pattern.compile(
            "(?m)^opentrunk_customer_calls_answered_total\\{[^}]*\\}\\s+([0-9.eE+]+)");

    static LocalCluster cluster;
    static long customerId;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(2);
        provision();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The customer (IP-authenticated from {@link #PBX}) and the carrier, through node 1's API; node 2
     * hears of them from node 1 (a change notice through Redis) and reads them itself.
     */
    static void provision() throws Exception {
        ApiClient api = cluster.api(1);
        ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"Cluster PBX\",\"techPrefix\":\"" + TECH_PREFIX
                + "\",\"ips\":[\"" + PBX + "\"],\"maxChannels\":1000,\"maxCps\":1000}");
        assertEquals(201, customer.status(), customer::toString);
        customerId = customer.json().getJsonNumber("id").longValue();
        ApiClient.Reply carrier = api.post("/api/v1/carriers", "{\"name\":\"cluster-carrier\",\"host\":\"" + CARRIER
                + "\",\"port\":" + CARRIER_PORT + ",\"priority\":0}");
        assertEquals(201, carrier.status(), carrier::toString);
        ApiClient.Reply digest = api.post("/api/v1/customers", "{\"name\":\"Registered PBX\",\"techPrefix\":\"13572468\","
                + "\"username\":\"" + DIGEST_USER + "\",\"password\":\"" + DIGEST_PASSWORD + "\",\"maxChannels\":100,\"maxCps\":100}");
        assertEquals(201, digest.status(), digest::toString);
        ApiClient.Reply number = api.post("/api/v1/numbers", "{\"e164\":\"" + REGISTERED_DID + "\",\"customerId\":"
                + digest.json().getJsonNumber("id").longValue()
                + ",\"cnamLookup\":false,\"routes\":[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]}");
        assertEquals(201, number.status(), number::toString);
        Thread.sleep(NOTICE_BOUND.toMillis()); // node 2 reads it by itself within a second (ClusterStateIT measures it)
    }

    @Test
    @Order(1)
    void callsThroughTheFrontAreSpreadOverBothNodesAndTheCarrierSeesOnlyTheFront() throws Exception {
        int calls = 20;
        double[] before = {answered(1), answered(2)};
        long cdrsBefore = answeredCdrs();
        Sipp carrier = carrier("cluster-spread-carrier", calls);
        Sipp.Result office = pbx("cluster-spread-pbx", calls, 10);
        Sipp.Result gateway = carrier.await(Duration.ofSeconds(20));
        assertEquals(calls, office.successfulCalls(), () -> office + "; front log: " + cluster.frontLog());
        // The carrier's scenario fails a call whose INVITE, ACK or BYE did not come from the front.
        assertEquals(calls, gateway.successfulCalls(), gateway::toString);
        double one = answered(1) - before[0];
        double two = answered(2) - before[1];
        assertEquals(calls, one + two, 0.0, () -> "answered by node 1: " + one + ", node 2: " + two);
        assertTrue(one >= 1 && two >= 1, () -> "both nodes take calls: node 1 " + one + ", node 2 " + two);
        // Both nodes write their CDRs to the one database.
        Awaitility.await("CDRs of both nodes in the database").atMost(ApiClient.CDR_WAIT)
                .until(() -> answeredCdrs() - cdrsBefore == calls);
    }

    /**
     * RFC 3327 through the front: the REGISTER reaches a node with the front's Path and the real
     * source (X-OT-Source); a carrier's call for the PBX's number, on that node, goes back out
     * through the front (the Path's Route) to the address the PBX registered from.
     */
    @Test
    @Order(2)
    void aPbxRegisteredThroughTheFrontGetsItsCallsBackThroughTheFront() throws Exception {
        try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, REGISTERED_PBX, REGISTERED_PBX_PORT,
                SipTestClient.address(LocalCluster.FRONT, LocalCluster.FRONT_PORT))) {
            SipMessage ok = SipRegistration.register(pbx, TestNet.TRUNK_DOMAIN, DIGEST_USER, DIGEST_PASSWORD, PRIVATE_CONTACT,
                    "Expires: 120\r\n", WAIT);
            assertEquals(200, ok.status(), ok::toString);
            // Registrations are shared: the node that took this one told the other, and both say
            // where it came from, the PBX's own address and port, not the front's.
            for (int n = 1; n <= cluster.nodes(); n++) {
                int node = n;
                Awaitility.await("node " + n + " holds the registration").atMost(WAIT).until(() -> cluster.api(node)
                        .get("/api/v1/registrations").array().stream().map(JsonValue::asJsonObject)
                        .anyMatch(r -> PRIVATE_CONTACT.equals(r.getString("contact"))
                                && (REGISTERED_PBX + ":" + REGISTERED_PBX_PORT).equals(r.getString("source"))));
            }
            // The carrier calls the front, which gives the call to either node: each delivers it.
            for (int attempt = 0; attempt < 3; attempt++) {
                try (SipTestClient carrier = new SipTestClient(SipTestClient.Transport.UDP, CARRIER, CARRIER_PORT + 1,
                        SipTestClient.address(LocalCluster.FRONT, LocalCluster.FRONT_PORT))) {
                    carrier.send(carrier.newRequest("INVITE", "sip:" + REGISTERED_DID + "@" + TestNet.TRUNK_DOMAIN,
                            "Content-Type: application/sdp\r\n", OFFER));
                    SipMessage atPbx = pbx.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
                    assertEquals(PRIVATE_CONTACT, atPbx.requestUri(), "the registered Contact is the Request-URI");
                    String topVia = atPbx.headers("Via").get(0);
                    assertTrue(topVia.matches("SIP/2\\.0/UDP 127\\.0\\.0\\.10[:;].*"), () -> "sent by the front: " + atPbx);
                    pbx.send(atPbx.response(486, "Busy Here", "busy" + attempt, "", ""));
                    SipMessage busy = carrier.await(m -> m.isResponse() && m.status() >= 200, WAIT);
                    assertEquals(486, busy.status(), busy::toString);
                }
            }
            SipRegistration.register(pbx, TestNet.TRUNK_DOMAIN, DIGEST_USER, DIGEST_PASSWORD, "*", "Expires: 0\r\n", WAIT);
        }
    }

    /** A PBX on TCP: the front takes the call to a node over TCP and record-routes both transports. */
    @Test
    @Order(3)
    void callsOverTcpGoThroughTheFrontToo() throws Exception {
        int calls = 4;
        Sipp carrier = carrier("cluster-tcp-carrier", calls);
        Sipp.Result office = Sipp.scenario("cluster-tcp-pbx", "uac-via-proxy-caller-hangs-up.xml").bind(PBX).tcp()
                .dialing(DIALLED).calls(calls, 2, calls).callLength(Duration.ofMillis(500)).timeout(CALL_LIMIT)
                .start(cluster.front()).await(CALL_LIMIT.plusSeconds(10));
        Sipp.Result gateway = carrier.await(Duration.ofSeconds(20));
        assertEquals(calls, office.successfulCalls(), () -> office + "; front log: " + cluster.frontLog());
        assertEquals(calls, gateway.successfulCalls(), gateway::toString);
    }

    /**
     * maxChannels for both nodes together (issue 20): four calls of a three-channel customer at
     * once through the front, which spreads them over both nodes; three are answered, one refused.
     */
    @Test
    @Order(4)
    void maxChannelsHoldsForTheCustomerAcrossBothNodes() throws Exception {
        String prefix = "97531357";
        ApiClient.Reply three = cluster.api(1).post("/api/v1/customers", "{\"name\":\"Three channels\",\"techPrefix\":\""
                + prefix + "\",\"ips\":[\"" + LIMITED_PBX + "\"],\"maxChannels\":3,\"maxCps\":100}");
        assertEquals(201, three.status(), three::toString);
        long id = three.json().getJsonNumber("id").longValue();
        Thread.sleep(NOTICE_BOUND.toMillis()); // node 2 hears of the customer
        double[] before = {answered(1), answered(2)};
        Sipp carrier = carrier("cluster-limit-carrier", 3);
        Sipp.Result office = Sipp.scenario("cluster-limit-pbx", "uac-via-proxy-caller-hangs-up.xml").bind(LIMITED_PBX).udp()
                .dialing(prefix + "*+12066418000").calls(4, 20, 4).callLength(Duration.ofSeconds(4)).timeout(CALL_LIMIT)
                .start(cluster.front()).await(CALL_LIMIT.plusSeconds(10));
        Sipp.Result gateway = carrier.await(Duration.ofSeconds(20));
        assertEquals(3, office.successfulCalls(), () -> office + "; front log: " + cluster.frontLog());
        assertEquals(1, office.failedCalls(), office::toString);
        assertEquals(3, gateway.successfulCalls(), gateway::toString);
        JsonArray cdrs = cluster.api(2).get("/api/v1/cdrs?customerId=" + id).array();
        assertEquals(1, cdrs.stream().filter(v -> v.asJsonObject().getInt("sipStatus", 0) == 403).count(), cdrs::toString);
        assertTrue(answered(1) + answered(2) - before[0] - before[1] >= 3);
    }

    /**
     * A digest PBX's INVITEs through the front (issue 20, IC-DIGEST): the front gives the INVITE
     * and its answer to the challenge to nodes independently, so the answer often reaches a node
     * that did not issue the nonce; every one is accepted (the call is then turned down for its
     * destination, which only an authenticated INVITE reaches).
     */
    @Test
    @Order(5)
    void aDigestChallengeIsAnsweredWhicheverNodeTheAnswerReaches() throws Exception {
        String user = "cluster-digest-pbx";
        String password = "cluster-digest-secret";
        ApiClient.Reply created = cluster.api(1).post("/api/v1/customers", "{\"name\":\"Digest through the front\","
                + "\"techPrefix\":\"86427531\",\"username\":\"" + user + "\",\"password\":\"" + password
                + "\",\"maxChannels\":10,\"maxCps\":100,\"allowedPrefixes\":[\"+44\"]}");
        assertEquals(201, created.status(), created::toString);
        Thread.sleep(NOTICE_BOUND.toMillis()); // node 2 hears of the customer
        try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, DIGEST_PBX, 5064,
                SipTestClient.address(LocalCluster.FRONT, LocalCluster.FRONT_PORT))) {
            for (int i = 0; i < 8; i++) {
                String uri = "sip:+12066418000@" + TestNet.TRUNK_DOMAIN;
                String invite = pbx.newRequest("INVITE", uri, "", "");
                SipMessage challenge = pbx.request(invite, WAIT);
                assertEquals(407, challenge.status(), challenge::toString);
                String answer = DigestClient.answer(challenge.headers("Proxy-Authenticate").get(0), "INVITE", uri, user, password, 1);
                SipMessage refused = pbx.request(invite.replace("CSeq: 1 INVITE", "CSeq: 2 INVITE")
                        .replaceFirst("branch=z9hG4bK[0-9a-f]+", "branch=z9hG4bK" + Long.toHexString(System.nanoTime()))
                        .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nProxy-Authorization: " + answer + "\r\n"),
                        WAIT);
                assertEquals("SIP/2.0 403 Forbidden (Destination Not Allowed)", refused.startLine(), () -> "attempt " + refused);
            }
        }
    }

    @Test
    @Order(100)
    void whenANodeIsKilledUnderLoadNewCallsSucceedThroughTheOtherAndItsCdrsArriveWhenItRestarts() throws Exception {
        long cdrsBefore = answeredCdrs();
        // Load: 2 calls a second of 2 s each, some of them on node 1 when it dies.
        Sipp loadCarrier = carrier("cluster-kill-carrier", 0);
        Sipp load = Sipp.scenario("cluster-kill-load", "uac-via-proxy-caller-hangs-up.xml").bind(PBX).udp()
                .dialing(DIALLED).calls(16, 2, 20).callLength(Duration.ofSeconds(2)).timeout(CALL_LIMIT)
                .start(cluster.front());
        Thread.sleep(4_000); // calls of the load are live on both nodes: the moment to crash one
        cluster.killNode(1);
        long killedAt = System.nanoTime();
        // New calls right after the kill: the front moves each to node 2 (no answer from node 1
        // within its hop timeout, then the node is out of the set), all within TAKEOVER.
        Sipp.Result after = Sipp.scenario("cluster-kill-after", "uac-via-proxy-caller-hangs-up.xml").bind(PBX).udp()
                .dialing(DIALLED).args("-p", "5070").calls(1, 1, 1).callLength(Duration.ofMillis(200)).timeout(TAKEOVER)
                .start(cluster.front()).await(TAKEOVER.plusSeconds(2));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals(1, after.successfulCalls(), () -> after + " (front log: " + cluster.frontLog() + ")");
        assertTrue(takeoverMs <= TAKEOVER.toMillis() + 1_000, () -> "the first call after the kill took " + takeoverMs + " ms");
        Sipp.Result loaded = load.await(CALL_LIMIT.plusSeconds(10));
        loadCarrier.stop();
        assertTrue(loaded.successfulCalls() >= 8, () -> "most of the load succeeds despite the crash: " + loaded);

        // Node 1 back: every call a PBX saw completed has its CDR, node 1's journaled ones included.
        cluster.startNode(1);
        long completed = loaded.successfulCalls() + after.successfulCalls();
        Awaitility.await("CDRs of the completed calls, the killed node's too").atMost(Duration.ofSeconds(30))
                .until(() -> answeredCdrs() - cdrsBefore >= completed);
    }

    /** A carrier SIPp behind the front answering {@code calls} calls (0: until stopped). */
    static Sipp carrier(String name, int calls) {
        Sipp sipp = Sipp.scenario(name, "uas-answers-behind-front.xml").bind(CARRIER, CARRIER_PORT).udp();
        if (calls > 0) {
            sipp.calls(calls, calls, calls);
        }
        return sipp.timeout(CALL_LIMIT).start(null);
    }

    /** The PBX placing {@code calls} calls through the front at {@code cps}. */
    static Sipp.Result pbx(String name, int calls, int cps) throws InterruptedException {
        return Sipp.scenario(name, "uac-via-proxy-caller-hangs-up.xml").bind(PBX).udp().dialing(DIALLED)
                .calls(calls, cps, calls).callLength(Duration.ofMillis(500)).timeout(CALL_LIMIT)
                .start(cluster.front()).await(CALL_LIMIT.plusSeconds(10));
    }

    /** Calls node {@code n} itself answered (its /metrics; each node counts its own). */
    static double answered(int n) throws Exception {
        String text = cluster.api(n).get("/metrics").body();
        double sum = 0;
        Matcher m = ANSWERED.matcher(text);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** Answered CDRs of the customer in the shared database, through node 2's API. */
    static long answeredCdrs() throws Exception {
        long count = 0;
        for (JsonValue v : cluster.api(2).get("/api/v1/cdrs?customerId=" + customerId + "&limit=10000").array()) {
            JsonObject cdr = v.asJsonObject();
            if (cdr.containsKey("sipStatus") && !cdr.isNull("sipStatus") && cdr.getInt("sipStatus") == 200) {
                count++;
            }
        }
        return count;
    }
}
