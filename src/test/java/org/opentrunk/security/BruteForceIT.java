package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.json.JsonArray;
import javax.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Digest brute force (issue 10) on a server of its own that blocks an address after
 * {@value #MAX_FAILURES} failures within a minute for {@value #BLOCK_SECONDS} s: wrong passwords
 * over INVITE and REGISTER count together; once blocked, the right password gets the same 403 and
 * nothing reaches a carrier; other addresses are unaffected; the API lists the block and lifts it;
 * one log line per block; and known and unknown usernames cannot be told apart by the answer or
 * its timing class.
 */
class BruteForceIT {

    private static final int SIP_PORT = 15560;
    private static final int HTTP_PORT = 19580;
    private static final String ADMIN_PASSWORD = "brute-it-secret";
    private static final String DOMAIN = "brute.test";
    private static final int MAX_FAILURES = 5;
    private static final int BLOCK_SECONDS = 30;
    private static final String USER = "brute-pbx";
    private static final String SECRET = "right-password-1";
    private static final String ATTACKER = "127.0.0.9";
    private static final String HONEST = "127.0.0.4";
    private static final String CARRIER = "127.0.0.53";
    private static final int CARRIER_PORT = 15060;
    private static final String CALLED = "+12066418000";
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Addresses 127.0.0.100.. used for the enumeration samples, each staying under the limit. */
    private static final int SAMPLE_ADDRESSES = 10;
    /** Headers that echo the request (or carry a fresh tag) and so differ between any two answers. */
    private static final Set<String> ECHOED = Set.of("via", "from", "to", "call-id", "cseq");
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void guessingIsBlockedPerAddress() throws Exception {
        LibertyServer server = LibertyServer.trunk("bruteforce-it", "127.0.0.1", SIP_PORT, HTTP_PORT, ADMIN_PASSWORD, DOMAIN,
                "OT_AUTH_MAX_FAILURES", String.valueOf(MAX_FAILURES), "OT_AUTH_FAILURE_WINDOW", "60",
                "OT_AUTH_BLOCK_TIME", String.valueOf(BLOCK_SECONDS));
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, ADMIN_PASSWORD);
            api.awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":" + CARRIER_PORT + "}").status());
            ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"Brute\",\"techPrefix\":\"56565656\",\"username\":\""
                    + USER + "\",\"password\":\"" + SECRET + "\",\"maxChannels\":100,\"maxCps\":100}");
            assertEquals(201, customer.status(), customer::toString);

            knownAndUnknownUsersLookTheSame();
            try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk());
                 SipTestClient attacker = new SipTestClient(Transport.UDP, ATTACKER, trunk());
                 SipTestClient honest = new SipTestClient(Transport.UDP, HONEST, trunk())) {
                theAddressIsBlockedAfterTheLimit(attacker, carrier);
                otherAddressesAreUnaffected(honest, carrier);
                theBlockIsListedLoggedOnceAndLifted(api, server, attacker, carrier);
            }
        } finally {
            server.stopQuietly();
        }
    }

    /**
     * From several addresses (two known-user and two unknown-user failures each, under the limit):
     * the answers are identical apart from what echoes the request, and the median times are of
     * one class. Only a coarse bound is asserted (within 5x, or within 5 ms): a shared CI machine
     * makes finer timing flaky; the medians are printed for the record.
     */
    private void knownAndUnknownUsersLookTheSame() throws Exception {
        List<Long> knownNanos = new ArrayList<>();
        List<Long> unknownNanos = new ArrayList<>();
        SipMessage knownAnswer = null;
        SipMessage unknownAnswer = null;
        for (int i = 0; i < SAMPLE_ADDRESSES; i++) {
            try (SipTestClient pbx = new SipTestClient(Transport.UDP, "127.0.0." + (100 + i), trunk())) {
                for (int round = 0; round < 2; round++) {
                    // Alternating which goes first, so that an order effect cannot pass for a difference.
                    boolean knownFirst = round == 0;
                    Timed first = attempt(pbx, "INVITE", knownFirst ? USER : "nobody-" + i, "wrong-" + i + round);
                    Timed second = attempt(pbx, "INVITE", knownFirst ? "nobody-" + i : USER, "wrong-" + i + round);
                    Timed known = knownFirst ? first : second;
                    Timed unknown = knownFirst ? second : first;
                    knownNanos.add(known.nanos());
                    unknownNanos.add(unknown.nanos());
                    knownAnswer = known.answer();
                    unknownAnswer = unknown.answer();
                    assertEquals(403, known.answer().status(), known.answer()::toString);
                    assertEquals(known.answer().startLine(), unknown.answer().startLine());
                    assertEquals(comparable(known.answer()), comparable(unknown.answer()),
                            "a wrong password and an unknown user get the same answer");
                }
            }
        }
        Timed registerKnown;
        Timed registerUnknown;
        try (SipTestClient pbx = new SipTestClient(Transport.UDP, "127.0.0." + (100 + SAMPLE_ADDRESSES), trunk())) {
            registerKnown = attempt(pbx, "REGISTER", USER, "wrong");
            registerUnknown = attempt(pbx, "REGISTER", "nobody", "wrong");
        }
        assertEquals(403, registerKnown.answer().status());
        assertEquals(comparable(registerKnown.answer()), comparable(registerUnknown.answer()));
        long known = median(knownNanos);
        long unknown = median(unknownNanos);
        System.out.printf("digest failure timing: known user median %.2f ms, unknown user median %.2f ms (%d samples each)%n",
                known / 1e6, unknown / 1e6, knownNanos.size());
        long slower = Math.max(known, unknown);
        long faster = Math.max(1, Math.min(known, unknown));
        assertTrue(slower < 5 * faster || slower - faster < Duration.ofMillis(5).toNanos(),
                "same timing class: known " + known + " ns, unknown " + unknown + " ns; last answers " + knownAnswer + " / " + unknownAnswer);
    }

    /** Three wrong INVITEs and two wrong REGISTERs: the fifth blocks, then even the right password gets 403. */
    private void theAddressIsBlockedAfterTheLimit(SipTestClient attacker, SipTestClient carrier) throws Exception {
        for (int i = 0; i < MAX_FAILURES; i++) {
            String method = i < 3 ? "INVITE" : "REGISTER";
            assertEquals(403, attempt(attacker, method, USER, "guess-" + i).answer().status(), "wrong password " + i);
        }
        SipMessage invite = attempt(attacker, "INVITE", USER, SECRET).answer();
        assertEquals(403, invite.status(), () -> "blocked: the right password gets the same 403: " + invite);
        assertEquals("Forbidden", invite.startLine().substring("SIP/2.0 403 ".length()));
        SipMessage register = attempt(attacker, "REGISTER", USER, SECRET).answer();
        assertEquals(403, register.status(), register::toString);
        SipMessage bare = attacker.request(request(attacker, "INVITE", ""), WAIT);
        assertEquals(403, bare.status(), "blocked: not even challenged");
        assertTrue(carrier.receive(Duration.ofMillis(300)).isEmpty(), "nothing from a blocked address reaches a carrier");
    }

    private void otherAddressesAreUnaffected(SipTestClient honest, SipTestClient carrier) throws Exception {
        assertEquals(486, callWithRightPassword(honest, carrier), "another address with the right password gets through");
        assertEquals(200, attempt(honest, "REGISTER", USER, SECRET).answer().status());
    }

    private void theBlockIsListedLoggedOnceAndLifted(ApiClient api, LibertyServer server, SipTestClient attacker,
                                                   SipTestClient carrier) throws Exception {
        JsonArray blocks = api.get("/api/v1/security/blocks").array();
        assertEquals(1, blocks.size(), blocks::toString);
        JsonObject block = blocks.getJsonObject(0);
        assertEquals(ATTACKER, block.getString("address"));
        assertEquals(MAX_FAILURES, block.getInt("failures"));
        assertEquals(BLOCK_SECONDS, Duration.between(Instant.parse(block.getString("blockedAt")),
                Instant.parse(block.getString("until"))).toSeconds());

        for (int i = 0; i < 3; i++) {
            assertEquals(403, attempt(attacker, "INVITE", USER, "more-" + i).answer().status()); // not logged again
        }
        String log = awaitLog(server, "Blocked " + ATTACKER + " after");
        Matcher lines = Pattern.compile("Blocked " + Pattern.quote(ATTACKER) + " after " + MAX_FAILURES
                + " failed digest authentications").matcher(log);
        int count = 0;
        while (lines.find()) {
            count++;
        }
        assertEquals(1, count, "one log line per block");
        assertTrue(log.contains("/api/v1/security/blocks"), "the log line says where to look");

        assertEquals(204, api.delete("/api/v1/security/blocks/" + ATTACKER).status());
        assertEquals(404, api.delete("/api/v1/security/blocks/" + ATTACKER).status());
        assertEquals("[]", api.get("/api/v1/security/blocks").body().replace(" ", ""));
        assertEquals(486, callWithRightPassword(attacker, carrier), "lifted: the address may authenticate again");
    }

    private record Timed(SipMessage answer, long nanos) {
    }

    /**
     * One authentication attempt as a PBX makes it: the request, its challenge, the request with
     * credentials; the answer to the latter (or to the first when it was refused outright) and
     * how long that answer took.
     */
    private Timed attempt(SipTestClient pbx, String method, String user, String password) throws Exception {
        String first = request(pbx, method, "");
        SipMessage challenge = pbx.request(first, WAIT);
        if (challenge.status() != 401 && challenge.status() != 407) {
            return new Timed(challenge, 0);
        }
        String header = method.equals("REGISTER") ? "WWW-Authenticate" : "Proxy-Authenticate";
        String offered = challenge.headers(header).get(0);
        String uri = requestUri(method);
        String credentials = (method.equals("REGISTER") ? "Authorization: " : "Proxy-Authorization: ")
                + DigestClient.answer(offered, method, uri, user, password, 1) + "\r\n";
        String second = request(pbx, method, credentials);
        long start = System.nanoTime();
        SipMessage answer = pbx.request(second, WAIT);
        return new Timed(answer, System.nanoTime() - start);
    }

    /** An authenticated INVITE with the right password; the carrier answers 486; the PBX's final status. */
    private int callWithRightPassword(SipTestClient pbx, SipTestClient carrier) throws Exception {
        SipMessage challenge = pbx.request(request(pbx, "INVITE", ""), WAIT);
        assertEquals(407, challenge.status(), challenge::toString);
        String credentials = "Proxy-Authorization: " + DigestClient.answer(challenge.headers("Proxy-Authenticate").get(0),
                "INVITE", requestUri("INVITE"), USER, SECRET, 1) + "\r\n";
        String invite = request(pbx, "INVITE", credentials);
        String callId = parsed(invite).header("Call-ID").orElseThrow();
        pbx.send(invite);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        carrier.send(atCarrier.response(486, "Busy Here", "gw1", "", ""));
        SipMessage answer = pbx.await(m -> m.isResponse() && m.status() >= 200 && callId.equals(m.header("Call-ID").orElse("")), WAIT);
        pbx.send(SipTestClient.ackFor(parsed(invite), answer));
        return answer.status();
    }

    private static String request(SipTestClient pbx, String method, String credentials) {
        if (method.equals("REGISTER")) {
            String aor = "sip:" + USER + "@" + DOMAIN;
            String text = pbx.newRequest("REGISTER", requestUri(method), "Expires: 120\r\n" + credentials, "");
            return text.replaceFirst("From: <[^>]*>", "From: <" + aor + ">").replaceFirst("To: <[^>]*>", "To: <" + aor + ">");
        }
        return pbx.newRequest("INVITE", requestUri(method), "Content-Type: application/sdp\r\n" + credentials, OFFER);
    }

    private static String requestUri(String method) {
        return method.equals("REGISTER") ? "sip:" + DOMAIN : "sip:" + CALLED + "@" + DOMAIN;
    }

    /** The answer's headers by name, without those that echo the request. */
    private static Map<String, List<String>> comparable(SipMessage answer) {
        Map<String, List<String>> headers = new TreeMap<>();
        String text = answer.toString();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.startsWith("SIP/2.0")) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase();
            if (!ECHOED.contains(name)) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static String awaitLog(LibertyServer server, String wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            log = Files.readString(server.logs().resolve("messages.log"), StandardCharsets.UTF_8);
            if (log.contains(wanted)) {
                Thread.sleep(500); // a second line, if there were one, would follow at once
                return Files.readString(server.logs().resolve("messages.log"), StandardCharsets.UTF_8);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no log line containing '" + wanted + "'");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address("127.0.0.1", SIP_PORT);
    }
}
