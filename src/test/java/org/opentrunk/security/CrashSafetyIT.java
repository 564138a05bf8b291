package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Crash safety (issue 10): short calls from SIPp, the server's JVM killed with SIGKILL in the
 * middle of them, started again on the same data directory. Every call SIPp completed has exactly
 * one CDR, however shortly before the kill it completed; the registration made before the kill
 * still routes an inbound call; provisioning is all there.
 *
 * <p>"Completed" means the caller got the 200 to its BYE (the scenario logs the Call-ID then).
 * OpenTrunk sends that 200 only once the call's CDR is forced to disk ({@code Call.onBye}), so no
 * margin before the kill is needed. Calls still up at the kill, or whose BYE had no 200 yet, have
 * no CDR, and the test does not ask for one: their end is unknown.
 */
@Tag("IC-CDR")
class CrashSafetyIT {

    private static final int SIP_PORT = 15760;
    private static final int HTTP_PORT = 19780;
    private static final String ADMIN_PASSWORD = "crash-it-secret";
    private static final String DOMAIN = "crash.test";
    private static final String CUSTOMER = "127.0.0.72";
    private static final String PREFIX = "72727272";
    private static final String CARRIER = "127.0.0.73";
    private static final int CARRIER_PORT = 15060;
    private static final String REGISTERED_PBX = "127.0.0.74";
    private static final int REGISTERED_PORT = 15074;
    private static final String USER = "crash-pbx";
    private static final String SECRET = "crash-secret-1";
    private static final String DID = "+12065550374";
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(4);
    /** Calls completed within this time before the kill are listed in the output, to show how close they came. */
    private static final Duration LAST_MOMENTS = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Path COMPLETED_LOG = Sipp.OUTPUT.resolve("crash-customer-completed.log").toAbsolutePath();

    @Test
    void cdrsBindingsAndProvisioningSurviveKill9() throws Exception {
        LibertyServer server = LibertyServer.trunk("crash-it", "127.0.0.1", SIP_PORT, HTTP_PORT, ADMIN_PASSWORD, DOMAIN,
                "OT_FRAUD_GUARD_CALLS_PER_MINUTE", "0"); // a hundred calls to +1 a minute is the load here, not fraud
        ApiClient api = ApiClient.asAdmin(HTTP_PORT, ADMIN_PASSWORD);
        server.start();
        try (SipTestClient registered = new SipTestClient(Transport.UDP, REGISTERED_PBX, REGISTERED_PORT, trunk())) {
            api.awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":" + CARRIER_PORT + "}").status());
            ApiClient.Reply ipCustomer = api.post("/api/v1/customers", "{\"name\":\"Load PBX\",\"techPrefix\":\"" + PREFIX
                    + "\",\"ips\":[\"" + CUSTOMER + "\"],\"maxChannels\":1000,\"maxCps\":1000}");
            assertEquals(201, ipCustomer.status(), ipCustomer::toString);
            long customerId = ipCustomer.json().getJsonNumber("id").longValue();
            ApiClient.Reply digestCustomer = api.post("/api/v1/customers", "{\"name\":\"Registered PBX\",\"techPrefix\":\"74747474\","
                    + "\"username\":\"" + USER + "\",\"password\":\"" + SECRET + "\"}");
            assertEquals(201, digestCustomer.status(), digestCustomer::toString);
            long registeredId = digestCustomer.json().getJsonNumber("id").longValue();
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + registeredId
                    + ",\"routes\":[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]}").status());
            assertEquals(200, register(registered).status(), "registered before the crash");

            Files.deleteIfExists(COMPLETED_LOG);
            Sipp carrier = Sipp.scenario("crash-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                    .calls(100_000, 1000, 1000).timeout(Duration.ofSeconds(60)).start(null);
            Sipp pbx = null;
            long killedAtMs;
            Sipp.Result customerSide;
            try {
                Thread.sleep(300);
                pbx = Sipp.scenario("crash-customer", "uac-caller-hangs-up-logged.xml").bind(CUSTOMER).udp()
                        .dialing(PREFIX + "*+12066418000").calls(100_000, 25, 200).callLength(Duration.ofMillis(300))
                        .timeout(Duration.ofSeconds(60)).args("-trace_logs", "-log_file", COMPLETED_LOG.toString())
                        .start("127.0.0.1:" + SIP_PORT);
                Thread.sleep(LOAD_BEFORE_KILL.toMillis());
                killedAtMs = System.currentTimeMillis();
                server.kill();
            } finally {
                customerSide = pbx == null ? null : pbx.stop();
                carrier.stop();
            }
            Map<String, Long> completed = completedCalls();
            System.out.println("load before the kill: " + customerSide + "; " + completed.size() + " calls logged as completed");
            assertTrue(completed.size() >= 20, "the load ran: " + completed.size() + " calls completed");

            server.start();
            api.awaitUp(Duration.ofSeconds(90));
            Map<String, Integer> cdrs = awaitCdrs(api, customerId, completed.size());
            List<String> late = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Long> call : completed.entrySet()) {
                Integer count = cdrs.get(call.getKey());
                long beforeKill = killedAtMs - call.getValue();
                if (count == null || count != 1) {
                    missing.add(call.getKey() + " (completed " + beforeKill + " ms before the kill, "
                            + (count == null ? 0 : count) + " CDRs)");
                }
                if (beforeKill < LAST_MOMENTS.toMillis()) {
                    late.add(String.format("%04d ms %s", beforeKill, count != null ? "CDR" : "none"));
                }
            }
            System.out.printf("after kill -9: %d calls completed, %d of them in the last %d ms before the kill %s; "
                    + "%d without exactly one CDR; %d CDRs of this customer in all%n",
                    completed.size(), late.size(), LAST_MOMENTS.toMillis(), late.stream().sorted().toList(), missing.size(),
                    cdrs.values().stream().mapToInt(i -> i).sum());
            assertEquals(List.of(), missing, "every call the caller saw completed has exactly one CDR");
            assertTrue(cdrs.values().stream().allMatch(n -> n == 1), "no CDR twice: " + cdrs);

            theRegistrationStillRoutes(registered);
            JsonObject kept = api.get("/api/v1/customers/" + registeredId).json();
            assertEquals("Registered PBX", kept.getString("name"));
            assertTrue(kept.getBoolean("hasPassword"));
            assertEquals(PREFIX, api.get("/api/v1/customers/" + customerId).json().getString("techPrefix"));
            assertTrue(api.get("/api/v1/carriers").body().contains("\"gw\""));
            assertEquals(DID, api.get("/api/v1/numbers/" + DID).json().getString("e164"));
        } finally {
            server.stopQuietly();
        }
    }

    /** An inbound call to the DID routed to the registration reaches the PBX at the REGISTER's address. */
    private void theRegistrationStillRoutes(SipTestClient registered) throws Exception {
        try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk())) {
            String invite = carrier.newRequest("INVITE", "sip:" + DID + "@" + DOMAIN, "Content-Type: application/sdp\r\n",
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.73\r\ns=-\r\nc=IN IP4 127.0.0.73\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n");
            carrier.send(invite);
            SipMessage atPbx = registered.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            registered.send(atPbx.response(486, "Busy Here", "pbx1", "", ""));
            SipMessage answer = carrier.await(m -> m.isResponse() && m.status() >= 200, WAIT);
            assertEquals(486, answer.status(), answer::toString);
            carrier.send(SipTestClient.ackFor(parsed(invite), answer));
        }
    }

    private static SipMessage register(SipTestClient pbx) throws Exception {
        String aor = "sip:" + USER + "@" + DOMAIN;
        SipMessage challenge = pbx.request(registerRequest(pbx, aor, ""), WAIT);
        assertEquals(401, challenge.status(), challenge::toString);
        String credentials = "Authorization: " + DigestClient.answer(challenge.headers("WWW-Authenticate").get(0), "REGISTER",
                "sip:" + DOMAIN, USER, SECRET, 1) + "\r\n";
        return pbx.request(registerRequest(pbx, aor, credentials), WAIT);
    }

    private static String registerRequest(SipTestClient pbx, String aor, String credentials) {
        return pbx.newRequest("REGISTER", "sip:" + DOMAIN, "Expires: 3600\r\n" + credentials, "")
                .replaceFirst("From: <[^>]*>", "From: <" + aor + ">").replaceFirst("To: <[^>]*>", "To: <" + aor + ">");
    }

    /** Call-ID to the time (ms) SIPp had the 200 to its BYE, from the scenario's log action. */
    private static Map<String, Long> completedCalls() throws Exception {
        Map<String, Long> completed = new HashMap<>();
        if (!Files.exists(COMPLETED_LOG)) {
            return completed;
        }
        for (String line : Files.readAllLines(COMPLETED_LOG, StandardCharsets.ISO_8859_1)) {
            // "completed <call-id> <date>\t<time>\t<epoch seconds.micros>"
            String[] words = line.trim().split("\\s+");
            if (words.length >= 5 && words[0].equals("completed")) {
                completed.put(words[1], Math.round(Double.parseDouble(words[words.length - 1]) * 1000));
            }
        }
        return completed;
    }

    /**
     * The customer's CDRs by Call-ID, once the journal has been replayed into the database: read
     * until the count stops growing.
     */
    private static Map<String, Integer> awaitCdrs(ApiClient api, long customerId, int expected) throws Exception {
        Map<String, Integer> byCallId = Map.of();
        int lastSize = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonValue> cdrs = api.get("/api/v1/cdrs?customerId=" + customerId + "&limit=10000").array();
            Map<String, Integer> counted = new HashMap<>();
            for (JsonValue v : cdrs) {
                counted.merge(v.asJsonObject().getString("customerCallId"), 1, Integer::sum);
            }
            if (cdrs.size() >= expected && cdrs.size() == lastSize) {
                return counted;
            }
            byCallId = counted;
            lastSize = cdrs.size();
            Thread.sleep(1_000);
        }
        return byCallId;
    }

    private static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address("127.0.0.1", SIP_PORT);
    }
}
