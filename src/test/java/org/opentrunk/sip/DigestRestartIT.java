package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Baresip;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipRegistration;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;

/**
 * IC-DIGEST across a restart, with the default settings: registered PBXs keep working when
 * OpenTrunk restarts, and none of them is refused or counted as a failed login for it.
 *
 * <p>Two PBXs register with digest, OpenTrunk is stopped and started again (same data directory,
 * so the same nonce key), and then:
 * <ul>
 *   <li>baresip 1.0's next refresh succeeds and a DID call from the carrier reaches it. What
 *       baresip sends on a refresh (its SIP trace, {@code -s}): a REGISTER without credentials
 *       (libre keeps no nonce between transactions), then, after the 401, the REGISTER again
 *       answering the new nonce with nc=00000001; refreshes come every 9 s with regint=10 (libre
 *       refreshes at 90% of the granted interval), and one in flight while the server is down is
 *       retransmitted until it answers. So baresip never presents an old nonce.
 *   <li>A PJSIP-like PBX, a raw client, refreshes with the nonce it cached before the restart
 *       (nc=2), as Asterisk and FreePBX do: it gets a new 401 challenge with stale=true, never a
 *       403, and the new nonce registers it.
 * </ul>
 * With {@code OT_AUTH_MAX_FAILURES=1} a single counted failure would block its address, so an
 * empty {@code /api/v1/security/blocks} shows that neither was counted.
 *
 * <p>For a few seconds of the start (6 s here) Liberty's SIP listener is open before the
 * application is started, and the container answers what arrives then itself (CWSCT0017E
 * "Mapping for nonexisting siplet" in messages.log): 503 with OpenTrunk's sipNoRouteErrorCode
 * (Liberty's default is 403). A baresip refresh retransmitted into that window gets it and
 * retries. The checks start once OpenTrunk answers OPTIONS.
 *
 * <p>The DID call after the restart is what found the application router loop: without the
 * router's table (dar.properties) Liberty listed OpenTrunk twice after this restart, and the
 * INVITE to baresip came back to OpenTrunk instead (404 "not this trunk's domain").
 */
@Tag("IC-DIGEST")
class DigestRestartIT {

    private static final int TRUNK_SIP_PORT = 15960;
    private static final int HTTP_PORT = 19980;
    private static final String PASSWORD = "digest-restart-it-secret";
    private static final String DOMAIN = TestNet.TRUNK_DOMAIN;
    private static final String BARESIP = "127.0.0.91";
    private static final int BARESIP_SIP_PORT = 15082;
    private static final int CONTROL_PORT = 14446;
    private static final String CARRIER = "127.0.0.92";
    private static final int CARRIER_PORT = 15060;
    private static final String PJSIP = "127.0.0.93";
    /** Asks whether the SIP application routes requests yet; no role otherwise. */
    private static final String PROBE = "127.0.0.94";
    private static final String BARESIP_USER = "restart-baresip";
    private static final String BARESIP_PASSWORD = "restart-secret-1";
    private static final String PJSIP_USER = "restart-pjsip";
    private static final String PJSIP_PASSWORD = "restart-secret-2";
    /** Routed to baresip's registration; also its AOR user. */
    private static final String DID = "+12065550381";
    /** baresip's registration interval, the server's shortest (OT_REGISTER_MIN_EXPIRES): the test waits for refreshes. */
    private static final int REGISTER_INTERVAL = 10;
    /**
     * A refresh after the restart: the next one (10 s), a retransmission of one sent while the
     * server was down, or, if that one timed out (32 s), libre's retry 30 to 60 s later.
     */
    private static final Duration REFRESH_WAIT = Duration.ofSeconds(70);
    private static final Duration WAIT = Duration.ofSeconds(8);
    private static final Duration START_WAIT = Duration.ofSeconds(90);
    /** baresip's trace prints each message after a line "UDP <from> -> <to>". */
    private static final Pattern TRACE_MESSAGE = Pattern.compile("\n(?=UDP \\S+ -> \\S+\n)");
    private static final Pattern REGISTER_200 = Pattern.compile("\nSIP/2\\.0 200 OK\r?\n(?s).*CSeq: \\d+ REGISTER\\s");
    private static final String OFFER = "v=0\r\no=carrier 1 1 IN IP4 " + CARRIER + "\r\ns=-\r\nc=IN IP4 " + CARRIER
            + "\r\nt=0 0\r\nm=audio 41400 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    @Test
    void registeredPbxsKeepWorkingAcrossARestartWithoutAFailureCounted() throws Exception {
        LibertyServer server = LibertyServer.create("digest-restart-it", Map.ofEntries(
                Map.entry("OT_SIP_HOST", "127.0.0.1"), Map.entry("OT_SIP_PORT", String.valueOf(TRUNK_SIP_PORT)),
                Map.entry("OT_HTTP_HOST", "127.0.0.1"), Map.entry("OT_HTTP_PORT", String.valueOf(HTTP_PORT)),
                Map.entry("OT_ADMIN_PASSWORD", PASSWORD), Map.entry("OT_SIP_DOMAIN", DOMAIN),
                Map.entry("OT_CARRIER_PROBE_INTERVAL", "0"), Map.entry("OT_KEEPALIVE_INTERVAL", "0"),
                Map.entry("OT_REGISTER_MIN_EXPIRES", String.valueOf(REGISTER_INTERVAL)),
                Map.entry("OT_AUTH_MAX_FAILURES", "1")));
        ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
        server.start();
        try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT,
                SipTestClient.address("127.0.0.1", TRUNK_SIP_PORT));
             SipTestClient pjsip = new SipTestClient(Transport.UDP, PJSIP, SipTestClient.address("127.0.0.1", TRUNK_SIP_PORT))) {
            api.awaitUp(START_WAIT);
            awaitSipRouting();
            long baresipCustomer = customer(api, "baresip", "81818181", BARESIP_USER, BARESIP_PASSWORD);
            customer(api, "pjsip", "83838383", PJSIP_USER, PJSIP_PASSWORD);
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_PORT + "}").status());
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + baresipCustomer
                    + ",\"routes\":[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]}").status());

            try (Baresip baresip = Baresip.start("digest-restart", BARESIP, BARESIP_SIP_PORT, CONTROL_PORT,
                    "<sip:" + DID + "@" + DOMAIN + ">;auth_user=" + BARESIP_USER + ";auth_pass=" + BARESIP_PASSWORD
                            + ";outbound=\"sip:127.0.0.1:" + TRUNK_SIP_PORT + "\";regint=" + REGISTER_INTERVAL
                            + ";answermode=manual")) {
                baresip.awaitRegistered(WAIT);
                // The PJSIP-like PBX: registers, and keeps the nonce it answered.
                String contact = "sip:pbx@" + PJSIP + ":" + pjsip.localPort();
                String challenge = pjsipRegister(pjsip, contact);
                Instant before = expiresAt(api, baresipCustomer);
                didCallReaches(baresip, carrier);

                server.stop();
                server.start();
                api.awaitUp(START_WAIT);
                awaitSipRouting();
                // From here on: before it, Liberty's SIP listener answers 403 itself (see the class comment).
                long traceOffset = Files.size(baresip.log());

                // Asterisk/FreePBX: the refresh with the cached nonce and the next nc. stale=true, not 403.
                String cached = "Authorization: " + DigestClient.answer(challenge, "REGISTER", "sip:" + DOMAIN,
                        PJSIP_USER, PJSIP_PASSWORD, 2) + "\r\n";
                SipMessage stale = pjsip.request(SipRegistration.request(pjsip, DOMAIN, PJSIP_USER, contact, "", cached), WAIT);
                assertEquals(401, stale.status(), () -> "a nonce from before the restart is re-challenged: " + stale);
                String fresh = stale.headers("WWW-Authenticate").get(0);
                assertTrue(fresh.contains("stale=true"), fresh);
                assertFalse(fresh.contains(DigestClient.param(challenge, "nonce")), "a new nonce");
                SipMessage again = pjsip.request(SipRegistration.request(pjsip, DOMAIN, PJSIP_USER, contact, "",
                        "Authorization: " + DigestClient.answer(fresh, "REGISTER", "sip:" + DOMAIN, PJSIP_USER,
                                PJSIP_PASSWORD, 1) + "\r\n"), WAIT);
                assertEquals(200, again.status(), again::toString);

                // baresip: its next refresh is answered 200, and nothing it sent was answered 403.
                List<String> refresh = awaitRefreshAnswered(baresip, traceOffset);
                assertTrue(refresh.stream().noneMatch(m -> m.contains("SIP/2.0 403")), () -> "no 403: " + refresh);
                assertTrue(refresh.stream().anyMatch(m -> m.contains("\nREGISTER ") && m.contains("Authorization: Digest")),
                        () -> "the refresh answered a challenge: " + refresh);
                assertTrue(expiresAt(api, baresipCustomer).isAfter(before), "the refresh was stored");
                assertEquals("[]", api.get("/api/v1/security/blocks").body().replace(" ", ""),
                        "no failure counted (one would have blocked with OT_AUTH_MAX_FAILURES=1)");

                // A DID call from the carrier reaches baresip at its registration.
                didCallReaches(baresip, carrier);
            }
        } finally {
            server.stopQuietly();
        }
    }

    /**
     * Until OPTIONS is answered 200: Liberty opens the HTTP port, and even reports the application
     * started, a moment before its SIP container routes requests to it (403 "Mapping for
     * nonexisting siplet" in between), see SipReadiness.
     */
    private static void awaitSipRouting() throws Exception {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        try (SipTestClient probe = new SipTestClient(Transport.UDP, PROBE, SipTestClient.address("127.0.0.1", TRUNK_SIP_PORT))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (probe.request(probe.newRequest("OPTIONS", "sip:" + DOMAIN, "", ""), Duration.ofMillis(250)).status() == 200) {
                        return;
                    }
                } catch (AssertionError noAnswer) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("OpenTrunk does not answer OPTIONS " + START_WAIT + " after its start");
    }

    /** The carrier calls the DID; baresip, at its registration, answers; the carrier hangs up. */
    private static void didCallReaches(Baresip baresip, SipTestClient carrier) throws Exception {
        BaresipIT.takeCall(baresip, carrier,
                carrier.newRequest("INVITE", "sip:" + DID + "@" + DOMAIN, "Content-Type: application/sdp\r\n", OFFER));
    }

    private static long customer(ApiClient api, String name, String techPrefix, String user, String password) throws Exception {
        ApiClient.Reply reply = api.post("/api/v1/customers", "{\"name\":\"" + name + "\",\"techPrefix\":\"" + techPrefix
                + "\",\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"maxChannels\":10,\"maxCps\":10}");
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().getJsonNumber("id").longValue();
    }

    /** Registers the PJSIP-like PBX as it first does; the challenge it answered (and caches). */
    private static String pjsipRegister(SipTestClient pjsip, String contact) throws Exception {
        SipMessage challenge = pjsip.request(SipRegistration.request(pjsip, DOMAIN, PJSIP_USER, contact, "", ""), WAIT);
        assertEquals(401, challenge.status(), challenge::toString);
        String offered = challenge.headers("WWW-Authenticate").get(0);
        SipMessage registered = pjsip.request(SipRegistration.request(pjsip, DOMAIN, PJSIP_USER, contact, "",
                "Authorization: " + DigestClient.answer(offered, "REGISTER", "sip:" + DOMAIN, PJSIP_USER, PJSIP_PASSWORD, 1)
                        + "\r\n"), WAIT);
        assertEquals(200, registered.status(), registered::toString);
        return offered;
    }

    private static Instant expiresAt(ApiClient api, long customerId) throws Exception {
        JsonObject registration = api.get("/api/v1/registrations?customerId=" + customerId).array().stream()
                .map(JsonValue::asJsonObject).filter(r -> r.getString("source", "").startsWith(BARESIP + ":"))
                .findFirst().orElseThrow(() -> new AssertionError("baresip's registration is not listed"));
        return Instant.parse(registration.getString("expiresAt"));
    }

    /**
     * The messages of baresip's SIP trace after {@code offset}, once one of them is a 200 OK to a
     * REGISTER.
     */
    private static List<String> awaitRefreshAnswered(Baresip baresip, long offset) throws Exception {
        long deadline = System.nanoTime() + REFRESH_WAIT.toNanos();
        List<String> messages = List.of();
        while (System.nanoTime() < deadline) {
            byte[] log = Files.readAllBytes(baresip.log());
            String after = new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
            messages = List.of(TRACE_MESSAGE.split(after));
            if (messages.stream().anyMatch(m -> REGISTER_200.matcher(m).find())) {
                return messages;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no REGISTER of baresip's answered 200 in " + REFRESH_WAIT + " after the restart: "
                + messages + " (log: " + baresip.log() + ")");
    }
}
