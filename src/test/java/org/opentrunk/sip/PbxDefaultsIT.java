package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipRegistration;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Real PBXs and carriers out of the box (issue 19), on a server of its own: national numbers from
 * carriers and customers with a country (IC-COUNTRY), the Warning on a refused dialled number
 * (IC-E164), several customers behind one address (IC-SHARED-IP, with SIPp as the hosted PBX
 * platform), caller-ID ownership (IC-CALLER-OWNER) and emergency short codes (IC-EMERGENCY, with
 * SIPp as caller and emergency carrier).
 */
class PbxDefaultsIT {

    private static final int SIP_PORT = 15860;
    private static final int HTTP_PORT = 19880;
    private static final String PASSWORD = "pbx-defaults-it-secret";
    private static final String DOMAIN = "defaults.test";
    private static final String TRUNK = "127.0.0.1:" + SIP_PORT;
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A hosted PBX platform: tenants A (US) and B (GB) send from this one address. */
    private static final String PLATFORM = "127.0.0.81";
    private static final String PREFIX_A = "81000001";
    private static final String PREFIX_B = "81000002";
    /** The US carrier: outbound calls go here first; it also sends DID calls in national format. */
    private static final String US_CARRIER = "127.0.0.82";
    /** The carrier marked for emergency calls, tried last for others. */
    private static final String EMERGENCY_CARRIER = "127.0.0.83";
    /** Tenant A's PBX for inbound DID calls. */
    private static final String PBX = "127.0.0.84";
    private static final int PBX_PORT = 15090;
    /** A GB carrier that sends national numbers with the trunk prefix 0. */
    private static final String GB_CARRIER = "127.0.0.85";
    private static final int CARRIER_PORT = 15060;

    private static final String DID_A = "+12066418101";
    private static final String OTHER_DID_A = "+12066418102";
    /** Tenant A's London number. */
    private static final String DID_B = "+442079460100";
    private static final String NAMED_US_CALLER = "+12065550123";
    private static final String US_CALLER_NAME = "JANE ROE";

    private static LibertyServer server;
    private static ApiClient api;
    private static long tenantA;
    private static long tenantB;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.trunk("pbx-defaults-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                "OT_FAILOVER_TIMEOUT", "2");
        server.start();
        api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
        tenantA = created(api.post("/api/v1/customers", "{\"name\":\"Tenant A\",\"techPrefix\":\"" + PREFIX_A
                + "\",\"ips\":[\"" + PLATFORM + "\"],\"country\":\"us\",\"maxChannels\":20,\"maxCps\":50}"));
        // Tenant B: no channel at all and only +44 destinations; its emergency calls must still go.
        tenantB = created(api.post("/api/v1/customers", "{\"name\":\"Tenant B\",\"techPrefix\":\"" + PREFIX_B
                + "\",\"ips\":[\"" + PLATFORM + "\"],\"country\":\"GB\",\"maxChannels\":0,\"maxCps\":50,"
                + "\"allowedPrefixes\":[\"+44\"]}"));
        created(api.post("/api/v1/carriers", "{\"name\":\"us-gw\",\"host\":\"" + US_CARRIER + "\",\"port\":"
                + CARRIER_PORT + ",\"priority\":1,\"country\":\"US\"}"));
        created(api.post("/api/v1/carriers", "{\"name\":\"gb-gw\",\"host\":\"" + GB_CARRIER + "\",\"port\":"
                + CARRIER_PORT + ",\"priority\":20,\"country\":\"GB\"}"));
        String route = "[{\"type\":\"host\",\"target\":\"" + PBX + ":" + PBX_PORT + "\",\"priority\":0}]";
        created(api.post("/api/v1/numbers", "{\"e164\":\"" + DID_A + "\",\"customerId\":" + tenantA
                + ",\"cnamLookup\":true,\"routes\":" + route + "}"));
        created(api.post("/api/v1/numbers", "{\"e164\":\"" + OTHER_DID_A + "\",\"customerId\":" + tenantA
                + ",\"cnamLookup\":false,\"routes\":[]}"));
        created(api.post("/api/v1/numbers", "{\"e164\":\"" + DID_B + "\",\"customerId\":" + tenantA
                + ",\"cnamLookup\":true,\"routes\":" + route + "}"));
        // CNAM storage: the US caller's name, and tenant B's name on its own number.
        created(api.post("/api/v1/numbers", "{\"e164\":\"" + NAMED_US_CALLER + "\",\"customerId\":" + tenantB
                + ",\"cnamLookup\":false,\"routes\":[]}"));
        assertTrue(api.put("/api/v1/numbers/" + NAMED_US_CALLER + "/cnam", "{\"name\":\"" + US_CALLER_NAME + "\"}").status() < 300);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    // ---- IC-COUNTRY: national numbers from carriers and customers

    @Test
    @Tag("IC-COUNTRY") @Tag("IC-CLI-IN") @Tag("IC-CNAM-IN")
    void aUsCarriersNationalCallerAndCalledNumbersReachThePbxInE164WithTheCallersName() throws Exception {
        try (SipTestClient carrier = client(US_CARRIER, CARRIER_PORT); SipTestClient pbx = client(PBX, PBX_PORT)) {
            // The DID without country code, the caller as 10 national digits (ISUP "national number").
            String invite = carrier.newRequest("INVITE", "sip:2066418101@" + DOMAIN, "", "")
                    .replace("<sip:+12065550100@" + US_CARRIER + ">", "<sip:2065550123@" + US_CARRIER + ">");
            carrier.send(invite);
            SipMessage atPbx = pbx.await(isInvite(), WAIT);
            assertTrue(atPbx.requestUri().startsWith("sip:" + DID_A + "@"), atPbx::requestUri);
            String from = atPbx.header("From").orElseThrow();
            assertTrue(from.contains("<sip:" + NAMED_US_CALLER + "@" + DOMAIN), () -> "IC-CLI-IN in E.164: " + from);
            assertTrue(from.startsWith("\"" + US_CALLER_NAME + "\""), () -> "IC-CNAM-IN looked up the normalised number: " + from);
            assertTrue(atPbx.header("P-Asserted-Identity").orElseThrow().contains(NAMED_US_CALLER));
            pbx.send(atPbx.response(486, "Busy Here", "p1", "", ""));
            assertEquals(486, finalAnswer(carrier, invite).status());
        }
    }

    @Test
    @Tag("IC-COUNTRY")
    void aGbCarriersNationalNumbersWithTrunkPrefixAreReadAsE164() throws Exception {
        try (SipTestClient carrier = client(GB_CARRIER, CARRIER_PORT); SipTestClient pbx = client(PBX, PBX_PORT)) {
            String invite = carrier.newRequest("INVITE", "sip:02079460100@" + DOMAIN,
                            "P-Asserted-Identity: <sip:02079460000@" + GB_CARRIER + ">\r\n", "")
                    .replace("<sip:+12065550100@" + GB_CARRIER + ">", "<sip:02079460000@" + GB_CARRIER + ">");
            carrier.send(invite);
            SipMessage atPbx = pbx.await(isInvite(), WAIT);
            assertTrue(atPbx.requestUri().startsWith("sip:" + DID_B + "@"), atPbx::requestUri);
            assertTrue(atPbx.header("From").orElseThrow().contains("<sip:+442079460000@"), atPbx::toString);
            pbx.send(atPbx.response(486, "Busy Here", "p2", "", ""));
            assertEquals(486, finalAnswer(carrier, invite).status());
        }
        // International numbers, with or without '+', are untouched by a carrier's country.
        try (SipTestClient carrier = client(GB_CARRIER, CARRIER_PORT); SipTestClient pbx = client(PBX, PBX_PORT)) {
            String invite = carrier.newRequest("INVITE", "sip:442079460100@" + DOMAIN, "", "")
                    .replace("<sip:+12065550100@", "<sip:33142685300@");
            carrier.send(invite);
            SipMessage atPbx = pbx.await(isInvite(), WAIT);
            assertTrue(atPbx.header("From").orElseThrow().contains("<sip:+33142685300@"), atPbx::toString);
            pbx.send(atPbx.response(486, "Busy Here", "p3", "", ""));
            assertEquals(486, finalAnswer(carrier, invite).status());
        }
    }

    @Test
    @Tag("IC-COUNTRY") @Tag("IC-E164")
    void aCustomersNationalCallerIdGoesOutInE164AndANationalDialledNumberIsRefusedWithTheReason() throws Exception {
        try (SipTestClient platform = client(PLATFORM, 0); SipTestClient carrier = client(US_CARRIER, CARRIER_PORT)) {
            // Tenant A (US) presents its own DID as 10 national digits.
            String invite = platform.newRequest("INVITE", "sip:" + PREFIX_A + "*+12125550199@" + DOMAIN,
                    "P-Asserted-Identity: <sip:2066418102@" + PLATFORM + ">\r\n", "");
            platform.send(invite);
            SipMessage atCarrier = carrier.await(isInvite(), WAIT);
            assertTrue(atCarrier.header("P-Asserted-Identity").orElseThrow().contains("<sip:" + OTHER_DID_A + "@"),
                    atCarrier::toString);
            carrier.send(atCarrier.response(486, "Busy Here", "c1", "", ""));
            assertEquals(486, finalAnswer(platform, invite).status());

            // Tenant B (GB) dials in national format: refused, and the Warning says what to dial.
            String national = platform.newRequest("INVITE", "sip:" + PREFIX_B + "*02079460199@" + DOMAIN, "", "");
            platform.send(national);
            SipMessage refused = finalAnswer(platform, national);
            assertEquals(404, refused.status(), refused::toString);
            String warning = refused.header("Warning").orElseThrow(() -> new AssertionError("no Warning: " + refused));
            assertTrue(warning.startsWith("399 " + DOMAIN + " \""), warning);
            assertTrue(warning.contains("national number of GB") && warning.contains("+442079460199"), warning);
            assertNoInvite(carrier, "IC-E164: a refused number never reaches a carrier");
        }
    }

    // ---- IC-SHARED-IP: a hosted PBX platform

    @Test
    @Tag("IC-SHARED-IP")
    void tenantsBehindOneAddressAreToldApartByTheirTechPrefix() throws Exception {
        Predicate<JsonObject> sippCall = c -> c.getInt("sipStatus", 0) == 200 && "+12066418000".equals(c.getString("callee", ""));
        long before = cdrs("customerId=" + tenantA).stream().filter(sippCall).count();
        Sipp carrier = Sipp.scenario("defaults-shared-carrier", "uas-answers.xml").bind(US_CARRIER, CARRIER_PORT).udp()
                .calls(3, 100, 10).timeout(Duration.ofSeconds(40)).start(null);
        Sipp.Result a = Sipp.scenario("defaults-shared-tenant-a", "uac-caller-hangs-up.xml").bind(PLATFORM).udp()
                .dialing(PREFIX_A + "*+12066418000").calls(3, 10, 3).callLength(Duration.ofMillis(500))
                .timeout(Duration.ofSeconds(30)).start(TRUNK).await(Duration.ofSeconds(40));
        assertEquals(3, a.successfulCalls(), a::toString);
        assertEquals(3, carrier.await(Duration.ofSeconds(20)).successfulCalls());
        // Tenant B from the same address: its own limits apply (no channel, +44 only).
        Sipp.Result b = Sipp.scenario("defaults-shared-tenant-b", "uac-rejected.xml").bind(PLATFORM).udp()
                .dialing(PREFIX_B + "*+442079460199").calls(1, 10, 1).timeout(Duration.ofSeconds(20))
                .args("-recv_timeout", "5000").start(TRUNK).await(Duration.ofSeconds(30));
        List<JsonObject> aCdrs = awaitCdrs("customerId=" + tenantA, sippCall, before + 3);
        assertEquals(before + 3, aCdrs.size(), aCdrs::toString);
        List<JsonObject> bCdrs = awaitCdrs("customerId=" + tenantB + "&status=403", c -> true, 1);
        assertEquals("+442079460199", bCdrs.get(0).getString("callee"), b::toString);
        // A prefix of no tenant of this address is refused, as before.
        try (SipTestClient platform = client(PLATFORM, 0)) {
            String invite = platform.newRequest("INVITE", "sip:81000009*+12066418000@" + DOMAIN, "", "");
            platform.send(invite);
            assertEquals(403, finalAnswer(platform, invite).status());
        }
    }

    // ---- IC-CALLER-OWNER

    @Test
    @Tag("IC-CALLER-OWNER")
    void aStoredNameGoesOnlyWithTheCallersOwnNumberAndPolicyOwnRefusesOthers() throws Exception {
        try (SipTestClient platform = client(PLATFORM, 0); SipTestClient carrier = client(US_CARRIER, CARRIER_PORT)) {
            // Tenant A presents tenant B's number, which has a stored name: the name stays home.
            String foreign = callerInvite(platform, PREFIX_A, NAMED_US_CALLER);
            platform.send(foreign);
            SipMessage atCarrier = carrier.await(isInvite(), WAIT);
            String from = atCarrier.header("From").orElseThrow();
            assertTrue(from.contains("<sip:" + NAMED_US_CALLER + "@"), from);
            assertFalse(from.contains(US_CALLER_NAME), () -> "IC-CALLER-OWNER: B's name not with A's call: " + from);
            carrier.send(atCarrier.response(486, "Busy Here", "o1", "", ""));
            assertEquals(486, finalAnswer(platform, foreign).status());

            // Policy "own": the foreign number is refused (and counted), a verified one passes.
            JsonObject a = api.get("/api/v1/customers/" + tenantA).json();
            String body = a.toString().replace("\"callerIdPolicy\":\"any\"", "\"callerIdPolicy\":\"own\"")
                    .replace("\"verifiedNumbers\":[]", "\"verifiedNumbers\":[\"12065550177\"]");
            ApiClient.Reply updated = api.put("/api/v1/customers/" + tenantA, body);
            assertEquals(200, updated.status(), updated::toString);
            assertEquals(List.of("+12065550177"), updated.json().getJsonArray("verifiedNumbers").getValuesAs(
                    javax.json.JsonString.class).stream().map(javax.json.JsonString::getString).toList());
            try {
                String refusedInvite = callerInvite(platform, PREFIX_A, NAMED_US_CALLER);
                platform.send(refusedInvite);
                SipMessage refused = finalAnswer(platform, refusedInvite);
                assertEquals(403, refused.status(), refused::toString);
                assertTrue(refused.startLine().endsWith("Forbidden (Caller ID Not Allowed)"), refused::toString);
                assertTrue(refused.header("Warning").orElse("").contains(NAMED_US_CALLER), refused::toString);
                assertEquals(1, api.get("/api/v1/customers/" + tenantA).json().getInt("callerIdRefusals"));
                assertNoInvite(carrier, "a refused caller ID never reaches a carrier");

                for (String own : List.of("+12065550177", OTHER_DID_A)) {
                    String allowed = callerInvite(platform, PREFIX_A, own);
                    platform.send(allowed);
                    SipMessage passed = carrier.await(isInvite(), WAIT);
                    assertTrue(passed.header("From").orElseThrow().contains(own), passed::toString);
                    carrier.send(passed.response(486, "Busy Here", "o2", "", ""));
                    assertEquals(486, finalAnswer(platform, allowed).status());
                }
            } finally {
                assertEquals(200, api.put("/api/v1/customers/" + tenantA, a.toString()).status());
            }
        }
    }

    // ---- IC-DIGEST: the algorithms of a customer of its own

    @Test
    @Tag("IC-DIGEST")
    void aCustomerWithItsOwnDigestAlgorithmsIsChallengedAndVerifiedWithThem() throws Exception {
        created(api.post("/api/v1/customers", "{\"name\":\"Sha PBX\",\"techPrefix\":\"81000007\",\"username\":\"sha-pbx\","
                + "\"password\":\"sha-pbx-secret\",\"digestAlgorithms\":[\"SHA-256\"]}"));
        created(api.post("/api/v1/customers", "{\"name\":\"Md5 PBX\",\"techPrefix\":\"81000008\",\"username\":\"md5-pbx\","
                + "\"password\":\"md5-pbx-secret\"}"));
        try (SipTestClient pbx = client("127.0.0.86", 0)) {
            String contact = "sip:pbx@127.0.0.86:" + pbx.localPort();
            SipMessage sha = pbx.request(SipRegistration.request(pbx, DOMAIN, "sha-pbx", contact, "", ""), WAIT);
            assertEquals(List.of("SHA-256"), sha.headers("WWW-Authenticate").stream()
                    .map(h -> DigestClient.param(h, "algorithm")).toList(), sha::toString);
            // An MD5 answer with the right password (to a challenge made before OpenTrunk knew who
            // called) is challenged again with the customer's own algorithm, not refused nor counted;
            // a wrong one is refused like any wrong password.
            String md5Challenge = sha.headers("WWW-Authenticate").get(0).replace("algorithm=SHA-256", "algorithm=MD5");
            SipMessage again = pbx.request(SipRegistration.request(pbx, DOMAIN, "sha-pbx", contact, "",
                    "Authorization: " + DigestClient.answer(md5Challenge, "REGISTER", "sip:" + DOMAIN, "sha-pbx",
                            "sha-pbx-secret", 1) + "\r\n"), WAIT);
            assertEquals(401, again.status(), again::toString);
            assertEquals(List.of("SHA-256"), again.headers("WWW-Authenticate").stream()
                    .map(h -> DigestClient.param(h, "algorithm")).toList(), again::toString);
            SipMessage refused = pbx.request(SipRegistration.request(pbx, DOMAIN, "sha-pbx", contact, "",
                    "Authorization: " + DigestClient.answer(md5Challenge, "REGISTER", "sip:" + DOMAIN, "sha-pbx",
                            "not-the-password", 2) + "\r\n"), WAIT);
            assertEquals(403, refused.status(), refused::toString);
            // The server's default (MD5) for everybody else.
            SipMessage md5 = pbx.request(SipRegistration.request(pbx, DOMAIN, "md5-pbx", contact, "", ""), WAIT);
            assertEquals(List.of("MD5"), md5.headers("WWW-Authenticate").stream()
                    .map(h -> DigestClient.param(h, "algorithm")).toList(), md5::toString);
            assertEquals(200, SipRegistration.register(pbx, DOMAIN, "sha-pbx", "sha-pbx-secret", contact, "", WAIT).status());
        }
    }

    // ---- IC-EMERGENCY

    @Test
    @Tag("IC-EMERGENCY") @Tag("IC-CALLER-OWNER")
    void emergencyCallsGoToTheEmergencyCarrierPastEveryLimitOr380WithoutOne() throws Exception {
        // No emergency carrier yet: 380 with a reason, and a CDR marked emergency.
        try (SipTestClient platform = client(PLATFORM, 0)) {
            String invite = platform.newRequest("INVITE", "sip:" + PREFIX_B + "*999@" + DOMAIN, "", "");
            platform.send(invite);
            SipMessage answer = finalAnswer(platform, invite);
            assertEquals(380, answer.status(), answer::toString);
            assertTrue(answer.header("Warning").orElse("").contains("emergency"), answer::toString);
        }
        JsonObject refused = awaitCdrs("customerId=" + tenantB + "&status=380", c -> true, 1).get(0);
        assertTrue(refused.getBoolean("emergency"), refused::toString);
        assertEquals("999", refused.getString("callee"));

        long emergencyCarrier = created(api.post("/api/v1/carriers", "{\"name\":\"ecc\",\"host\":\"" + EMERGENCY_CARRIER
                + "\",\"port\":" + CARRIER_PORT + ",\"priority\":30,\"emergency\":true}"));
        try {
            // Tenant B has no channel and may call +44 only; its 999 still goes, as 999. It may present
            // only its own numbers, and its PBX presents another: the call goes, with B's own number.
            JsonObject b = api.get("/api/v1/customers/" + tenantB).json();
            assertEquals(200, api.put("/api/v1/customers/" + tenantB, b.toString()
                    .replace("\"callerIdPolicy\":\"any\"", "\"callerIdPolicy\":\"own\"")).status());
            Sipp ecc = Sipp.scenario("defaults-emergency-carrier", "uas-answers.xml").bind(EMERGENCY_CARRIER, CARRIER_PORT)
                    .udp().calls(2, 100, 10).timeout(Duration.ofSeconds(40))
                    .args("-trace_msg", "-message_file", "target/sipp/defaults-emergency-carrier-messages.log").start(null);
            Sipp.Result gb = Sipp.scenario("defaults-emergency-gb", "uac-caller-hangs-up.xml").bind(PLATFORM).udp()
                    .dialing(PREFIX_B + "*999").calls(1, 10, 1).callLength(Duration.ofMillis(500))
                    .timeout(Duration.ofSeconds(20)).start(TRUNK).await(Duration.ofSeconds(30));
            assertEquals(1, gb.successfulCalls(), gb::toString);
            assertEquals(200, api.put("/api/v1/customers/" + tenantB, b.toString()).status());
            // Tenant A (US) dials 911.
            Sipp.Result us = Sipp.scenario("defaults-emergency-us", "uac-caller-hangs-up.xml").bind(PLATFORM).udp()
                    .dialing(PREFIX_A + "*911").calls(1, 10, 1).callLength(Duration.ofMillis(500))
                    .timeout(Duration.ofSeconds(20)).start(TRUNK).await(Duration.ofSeconds(30));
            assertEquals(1, us.successfulCalls(), us::toString);
            assertEquals(2, ecc.await(Duration.ofSeconds(20)).successfulCalls());
            String messages = java.nio.file.Files.readString(java.nio.file.Path.of("target/sipp/defaults-emergency-carrier-messages.log"));
            assertTrue(messages.contains("INVITE sip:999@" + EMERGENCY_CARRIER), "the short code in the carrier's format");
            String fromGb = messages.substring(messages.indexOf("INVITE sip:999@")).replace("\r\n", "\n");
            String sentFrom = fromGb.substring(0, fromGb.indexOf("\n\n") < 0 ? fromGb.length() : fromGb.indexOf("\n\n"));
            assertTrue(sentFrom.contains("<sip:" + NAMED_US_CALLER + "@"),
                    () -> "IC-CALLER-OWNER: the callback number is one tenant B holds: " + sentFrom);
            assertTrue(messages.contains("INVITE sip:911@" + EMERGENCY_CARRIER), "the short code in the carrier's format");

            JsonObject answered = awaitCdrs("customerId=" + tenantB + "&status=200", c -> true, 1).get(0);
            assertTrue(answered.getBoolean("emergency"), answered::toString);
            assertEquals(emergencyCarrier, answered.getJsonNumber("carrierId").longValue());
            assertEquals("999", answered.getString("callee"));
            assertEquals(1, cdrs("emergency=true&customerId=" + tenantA).size(), "the 911 call");

            // 999 is no emergency code in the US: tenant A's 999 is an ordinary number, refused.
            try (SipTestClient platform = client(PLATFORM, 0)) {
                String invite = platform.newRequest("INVITE", "sip:" + PREFIX_A + "*999@" + DOMAIN, "", "");
                platform.send(invite);
                SipMessage refusal = finalAnswer(platform, invite);
                assertEquals(404, refusal.status(), refusal::toString);
                assertTrue(refusal.header("Warning").isPresent(), refusal::toString);
            }
        } finally {
            assertEquals(204, api.delete("/api/v1/carriers/" + emergencyCarrier).status());
        }
    }

    // ---- helpers

    private static SipTestClient client(String address, int port) throws Exception {
        return port == 0 ? new SipTestClient(Transport.UDP, address, SipTestClient.address("127.0.0.1", SIP_PORT))
                : new SipTestClient(Transport.UDP, address, port, SipTestClient.address("127.0.0.1", SIP_PORT));
    }

    /** An INVITE of tenant {@code prefix} presenting {@code caller} in P-Asserted-Identity. */
    private static String callerInvite(SipTestClient platform, String prefix, String caller) {
        return platform.newRequest("INVITE", "sip:" + prefix + "*+12125550199@" + DOMAIN,
                "P-Asserted-Identity: <sip:" + caller + "@" + PLATFORM + ">\r\n", "");
    }

    /** Nothing but ACKs and the like for a moment: no INVITE reached {@code carrier}. */
    private static void assertNoInvite(SipTestClient carrier, String why) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SipMessage> got = carrier.receive(Duration.ofMillis(100));
            assertFalse(got.filter(isInvite()).isPresent(), () -> why + ": " + got.get());
        }
    }

    private static Predicate<SipMessage> isInvite() {
        return m -> !m.isResponse() && "INVITE".equals(m.method());
    }

    /** The final answer to {@code invite} (sent by {@code client}), acknowledged. */
    private static SipMessage finalAnswer(SipTestClient client, String invite) throws Exception {
        SipMessage sent = SipMessage.parse(invite.getBytes(), invite.length());
        String callId = sent.header("Call-ID").orElseThrow();
        SipMessage answer = client.await(m -> m.isResponse() && m.status() >= 200
                && callId.equals(m.header("Call-ID").orElse("")), WAIT);
        client.send(SipTestClient.ackFor(sent, answer));
        return answer;
    }

    private static long created(ApiClient.Reply reply) {
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().getJsonNumber("id") == null ? 0 : reply.json().getJsonNumber("id").longValue();
    }

    private static List<JsonObject> cdrs(String query) throws Exception {
        return api.get("/api/v1/cdrs?" + query).array().stream().map(JsonValue::asJsonObject).toList();
    }

    /** CDRs are written asynchronously: waits until the query finds at least {@code count} wanted ones. */
    private static List<JsonObject> awaitCdrs(String query, Predicate<JsonObject> wanted, long count) throws Exception {
        List<List<JsonObject>> found = new java.util.ArrayList<>(List.of(List.of()));
        try {
            org.awaitility.Awaitility.await("CDRs for " + query).atMost(ApiClient.CDR_WAIT).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        found.set(0, cdrs(query).stream().filter(wanted).toList());
                        return found.get(0).size() >= count;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException tooFew) {
            // the assertion below says what was found
        }
        List<JsonObject> last = found.get(0);
        assertTrue(last.size() >= count, () -> "CDRs for " + query + ": " + last);
        return last;
    }
}
