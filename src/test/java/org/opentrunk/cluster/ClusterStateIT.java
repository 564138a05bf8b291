package org.opentrunk.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PostgresServer;
import org.opentrunk.testing.RedisServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.Sipp;

/**
 * Issue 20, what makes two nodes one trunk, each node addressed directly (the Kamailio front in
 * front of them is ClusterIT's): two OpenTrunk servers on one PostgreSQL and one Redis, with real
 * SIP from a PBX and a carrier on their own loopback addresses. Provisioning written on node 1
 * reaches node 2's call path within a second; maxChannels holds for both together and the live
 * calls of both are listed on either; a digest challenge of node 1 is answered on node 2; a PBX
 * registered on one node gets a DID call the other takes; CDRs name their node; the channels of a
 * node killed with calls up are free again within the lease.
 */
@Tag("IC-LIMITS")
@Tag("IC-DIGEST")
@Tag("IC-ROUTE")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterStateIT {

    static final String NODE1 = "127.0.5.1";
    static final String NODE2 = "127.0.5.2";
    static final int SIP_PORT = 5060;
    /** Each node's HTTPS listens on its HTTP port + 1 (LibertyServer.trunk): the two must not overlap. */
    static final int HTTP1 = 19281;
    static final int HTTP2 = 19291;
    static final String REDIS_HOST = "127.0.5.9";
    static final int REDIS_PORT = 26390;
    static final String PBX = "127.0.5.20";
    static final String CARRIER = "127.0.5.30";
    static final int CARRIER_PORT = 5060;
    static final String DOMAIN = "cluster.example.net";
    static final String PASSWORD = "cluster-it-secret";
    static final Duration LIMIT = Duration.ofSeconds(30);
    /** Provisioning written on one node is in every node's call path within this (issue 20). */
    static final Duration NOTICE_BOUND = Duration.ofSeconds(1);

    static PostgresServer postgres;
    static RedisServer redis;
    static LibertyServer node1;
    static LibertyServer node2;
    static ApiClient api1;
    static ApiClient api2;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        postgres = PostgresServer.start();
        redis = RedisServer.start(REDIS_HOST, REDIS_PORT);
        node1 = node("cluster-state-n1", "node1", NODE1, HTTP1);
        node2 = node("cluster-state-n2", "node2", NODE2, HTTP2);
        node1.start();
        node2.start();
        api1 = ApiClient.asAdmin(HTTP1, PASSWORD).awaitUp(Duration.ofSeconds(120));
        api2 = ApiClient.asAdmin(HTTP2, PASSWORD).awaitUp(Duration.ofSeconds(120));
        assertEquals(201, api1.post("/api/v1/carriers", "{\"name\":\"cluster-carrier\",\"host\":\"" + CARRIER
                + "\",\"port\":" + CARRIER_PORT + ",\"priority\":0}").status());
        for (ApiClient api : new ApiClient[] {api1, api2}) {
            await("ready, with the shared state").atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("/health/ready").status() == 200);
            assertTrue(api.get("/health/ready").body().contains("shared-state"));
        }
    }

    private static LibertyServer node(String server, String id, String host, int http) throws Exception {
        return LibertyServer.trunk(server, host, SIP_PORT, http, PASSWORD, DOMAIN,
                "OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres", "OT_DB_PASSWORD", "unused",
                "OT_REDIS_URL", redis.url(), "OT_NODE_ID", id,
                // the provisioning test's INVITEs before the customer is known are not an attack
                "OT_AUTH_MAX_FAILURES", "1000");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (node1 != null) {
            node1.stopQuietly();
        }
        if (node2 != null) {
            node2.stopQuietly();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static long customer(String json) throws Exception {
        ApiClient.Reply created = api1.post("/api/v1/customers", json);
        assertEquals(201, created.status(), created::body);
        return created.json().getJsonNumber("id").longValue();
    }

    /**
     * An IP-authenticated customer created on node 1, once node 2 knows it too (a notice takes
     * milliseconds; the first test measures the bound of a second).
     */
    private static long ipCustomer(String name, String prefix, String address, int maxChannels) throws Exception {
        long id = customer("{\"name\":\"" + name + "\",\"techPrefix\":\"" + prefix + "\",\"ips\":[\"" + address
                + "\"],\"maxChannels\":" + maxChannels + ",\"maxCps\":100}");
        Thread.sleep(NOTICE_BOUND.toMillis());
        return id;
    }

    @Test
    @Order(1)
    void aCustomerCreatedThroughNode1PlacesACallThroughNode2WithinASecond() throws Exception {
        Sipp carrier = Sipp.scenario("cluster-busy-carrier", "uas-rejects-busy.xml").bind(CARRIER, CARRIER_PORT).udp()
                .calls(1, 1, 1).timeout(LIMIT).start(null);
        String prefix = "31000001";
        try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, PBX, SipTestClient.address(NODE2, SIP_PORT))) {
            customer("{\"name\":\"Provisioned on node 1\",\"techPrefix\":\"" + prefix + "\",\"ips\":[\"" + PBX
                    + "\"],\"maxChannels\":10,\"maxCps\":100}");
            long createdAt = System.nanoTime();
            long reachedAt = -1;
            while (System.nanoTime() - createdAt < Duration.ofSeconds(5).toNanos()) {
                SipMessage answer = pbx.request(pbx.newRequest("INVITE", "sip:" + prefix + "*+12066418000@" + NODE2, "", ""),
                        Duration.ofSeconds(5));
                if (answer.status() == 486) {
                    reachedAt = System.nanoTime();
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(reachedAt > 0, "node 2 never took the customer created on node 1");
            long ms = (reachedAt - createdAt) / 1_000_000;
            assertTrue(ms < NOTICE_BOUND.toMillis(), "node 2 placed the call " + ms + " ms after node 1 committed the customer");
        }
        assertEquals(1, carrier.await(LIMIT).successfulCalls());
    }

    @Test
    @Order(2)
    void maxChannelsHoldsForBothNodesTogetherAndEitherListsTheCallsOfBoth() throws Exception {
        String prefix = "32000002";
        String address = "127.0.5.21";
        long id = ipCustomer("Three channels", prefix, address, 3);
        Sipp carrier = Sipp.scenario("cluster-answering-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                .calls(3, 10, 10).timeout(LIMIT).start(null);
        Sipp first = Sipp.scenario("cluster-pbx-node1", "uac-caller-hangs-up.xml").bind(address, 5071).udp()
                .dialing(prefix + "*+12066418000").calls(2, 10, 2).callLength(Duration.ofSeconds(8)).timeout(LIMIT)
                .start(NODE1 + ":" + SIP_PORT);
        Sipp second = Sipp.scenario("cluster-pbx-node2", "uac-caller-hangs-up.xml").bind(address, 5072).udp()
                .dialing(prefix + "*+12066418000").calls(2, 10, 2).callLength(Duration.ofSeconds(8)).timeout(LIMIT)
                .start(NODE2 + ":" + SIP_PORT);
        // While the three calls are up: each node lists them all, with the node each is on.
        await("both nodes' calls listed on node 1").atMost(Duration.ofSeconds(7)).until(() -> nodesOf(api1.get("/api/v1/calls").array(),
                id).equals(Set.of("node1", "node2")));
        await("all three listed on node 2").atMost(Duration.ofSeconds(5)).until(() -> callsOf(api2.get("/api/v1/calls").array(), id) == 3);
        JsonObject onNode2 = api2.get("/api/v1/customers/" + id).json();
        assertEquals(3, onNode2.getInt("channelsInUse"), onNode2::toString);

        Sipp.Result one = first.await(LIMIT);
        Sipp.Result two = second.await(LIMIT);
        Sipp.Result answered = carrier.await(LIMIT);
        assertEquals(3, one.successfulCalls() + two.successfulCalls(), one + "; " + two);
        assertEquals(1, one.failedCalls() + two.failedCalls(), one + "; " + two);
        assertEquals(3, answered.successfulCalls(), answered::toString);

        // CDRs from both nodes in the one database, each with its node; the refused call's too.
        await().atMost(Duration.ofSeconds(10)).until(() -> api2.get("/api/v1/cdrs?customerId=" + id).array().size() == 4);
        JsonArray cdrs = api2.get("/api/v1/cdrs?customerId=" + id).array();
        Set<String> nodes = cdrs.stream().map(v -> v.asJsonObject().getString("node", "none")).collect(Collectors.toSet());
        assertEquals(Set.of("node1", "node2"), nodes, cdrs::toString);
        assertEquals(1, cdrs.stream().filter(v -> v.asJsonObject().getInt("sipStatus", 0) == 403).count(), cdrs::toString);
        assertTrue(api1.get("/api/v1/cdrs", "text/csv").body().lines().findFirst().orElseThrow().endsWith(",node"));
        await("channels free on both").atMost(Duration.ofSeconds(5))
                .until(() -> api1.get("/api/v1/customers/" + id).json().getInt("channelsInUse") == 0);
    }

    private static String quietly(java.util.concurrent.Callable<String> read) {
        try {
            return read.call();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Set<String> nodesOf(JsonArray calls, long customerId) {
        return calls.stream().map(JsonValue::asJsonObject).filter(c -> c.getJsonNumber("customerId").longValue() == customerId)
                .map(c -> c.getString("node", "none")).collect(Collectors.toSet());
    }

    private static long callsOf(JsonArray calls, long customerId) {
        return calls.stream().map(JsonValue::asJsonObject).filter(c -> c.getJsonNumber("customerId").longValue() == customerId).count();
    }

    @Test
    @Order(3)
    void aChallengeOfNode1IsAnsweredOnNode2AndThePbxRegisteredThereGetsADidCallNode1Takes() throws Exception {
        String user = "cluster-pbx";
        String password = "cluster-pbx-secret";
        String did = "+12065550177";
        long id = customer("{\"name\":\"Registered PBX\",\"techPrefix\":\"33000003\",\"username\":\"" + user + "\",\"password\":\""
                + password + "\",\"maxChannels\":5,\"maxCps\":10}");
        assertEquals(201, api1.post("/api/v1/numbers", "{\"e164\":\"" + did + "\",\"customerId\":" + id
                + ",\"routes\":[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]}").status());
        Thread.sleep(1_000);
        String pbxAddress = "127.0.5.22";
        try (SipTestClient toNode1 = new SipTestClient(SipTestClient.Transport.UDP, pbxAddress, 5062,
                SipTestClient.address(NODE1, SIP_PORT))) {
            String register = toNode1.newRequest("REGISTER", "sip:" + DOMAIN, "Expires: 300\r\n", "")
                    .replace("sip:+12065550100@" + pbxAddress, "sip:" + user + "@" + DOMAIN)
                    .replace("To: <sip:" + DOMAIN + ">", "To: <sip:" + user + "@" + DOMAIN + ">");
            SipMessage challenge = toNode1.request(register, Duration.ofSeconds(5));
            assertEquals(401, challenge.status(), challenge::toString);
            String authorization = DigestClient.answer(challenge.headers("WWW-Authenticate").get(0), "REGISTER", "sip:" + DOMAIN,
                    user, password, 1);
            toNode1.close();
            try (SipTestClient toNode2 = new SipTestClient(SipTestClient.Transport.UDP, pbxAddress, 5062,
                    SipTestClient.address(NODE2, SIP_PORT))) {
                String answered = toNode2.newRequest("REGISTER", "sip:" + DOMAIN, "Expires: 300\r\nAuthorization: " + authorization + "\r\n", "")
                        .replace("sip:+12065550100@" + pbxAddress, "sip:" + user + "@" + DOMAIN)
                        .replace("To: <sip:" + DOMAIN + ">", "To: <sip:" + user + "@" + DOMAIN + ">");
                SipMessage registered = toNode2.request(answered, Duration.ofSeconds(5));
                assertEquals(200, registered.status(), () -> "node 2 took node 1's nonce? " + registered);
            }
        }
        // Node 2 tells node 1 of the registration after writing it: wait until node 1's registrar
        // has it (its API answers from the registrar's memory, as its call path does).
        await().atMost(Duration.ofSeconds(10)).until(() -> api1.get("/api/v1/registrations").body().contains(pbxAddress + ":5062"));
        // A DID call from the carrier to node 1 reaches the contact registered on node 2 (the PBX
        // answers node 1, which sent it the INVITE).
        try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, pbxAddress, 5062,
                SipTestClient.address(NODE1, SIP_PORT));
             SipTestClient carrier = new SipTestClient(SipTestClient.Transport.UDP, CARRIER, CARRIER_PORT,
                     SipTestClient.address(NODE1, SIP_PORT))) {
            String invite = carrier.newRequest("INVITE", "sip:" + did + "@" + DOMAIN, "", "");
            carrier.send(invite);
            SipMessage delivered = pbx.poll(m -> !m.isResponse() && "INVITE".equals(m.method()), Duration.ofSeconds(10), new java.util.ArrayList<>())
                    .orElseThrow(() -> new AssertionError("no INVITE for the registered PBX; node 1's contacts: "
                            + quietly(() -> api1.get("/api/v1/registrations").body()) + "; node 2's: "
                            + quietly(() -> api2.get("/api/v1/registrations").body()) + "; node 1's CDRs: "
                            + quietly(() -> api1.get("/api/v1/cdrs?number=" + did.substring(1)).body())));
            pbx.send(delivered.response(486, "Busy Here", "pbxtag", "", ""));
            SipMessage busy = carrier.finalResponse(Duration.ofSeconds(10));
            assertEquals(486, busy.status(), busy::toString);
            carrier.send(SipTestClient.ackFor(SipMessage.parse(invite.getBytes(), invite.getBytes().length), busy));
        }
    }

    @Test
    @Order(4)
    void theChannelsOfANodeKilledWithCallsUpAreFreeAgainWithinTheLease() throws Exception {
        String prefix = "34000004";
        String address = "127.0.5.23";
        long id = ipCustomer("One channel", prefix, address, 1);
        Sipp carrier = Sipp.scenario("cluster-held-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                .calls(2, 10, 10).timeout(Duration.ofSeconds(120)).start(null);
        Sipp held = Sipp.scenario("cluster-held-call", "uac-caller-hangs-up.xml").bind(address, 5073).udp()
                .dialing(prefix + "*+12066418000").calls(1, 1, 1).callLength(Duration.ofSeconds(90)).timeout(Duration.ofSeconds(100))
                .start(NODE2 + ":" + SIP_PORT);
        await("the call is up on node 2").atMost(Duration.ofSeconds(10))
                .until(() -> api1.get("/api/v1/customers/" + id).json().getInt("channelsInUse") == 1);
        node2.kill();
        long killedAt = System.nanoTime();
        try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, address, 5074, SipTestClient.address(NODE1, SIP_PORT))) {
            SipMessage refused = pbx.request(pbx.newRequest("INVITE", "sip:" + prefix + "*+12066418000@" + NODE1, "", ""),
                    Duration.ofSeconds(5));
            assertEquals(403, refused.status(), "the dead node's channel still counts until its lease ends: " + refused);
            await("the dead node's lease expired").atMost(SharedCallAdmission.LEASE.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> api1.get("/api/v1/customers/" + id).json().getInt("channelsInUse") == 0);
            long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
            assertTrue(seconds <= SharedCallAdmission.LEASE.toSeconds() + 5, "freed after " + seconds + " s");
            await("node 1's live calls no longer list node 2's").atMost(Duration.ofSeconds(15))
                    .until(() -> callsOf(api1.get("/api/v1/calls").array(), id) == 0);
        } finally {
            held.stop();
            carrier.stop();
        }
        node2.start(); // as it was, for whatever runs after
        ApiClient.asAdmin(HTTP2, PASSWORD).awaitUp(Duration.ofSeconds(120));
    }
}
