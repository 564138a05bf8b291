package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.BusyCarrierCall;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Security log for fail2ban (issue 25), performed: on a server of its own, a digest guesser, a
 * tech-prefix searcher, an INVITE flooder, an admin password guesser and a customer tripping the
 * fraud guard, each from its own address. Every event leaves its line in the security log in the
 * documented format, and {@code fail2ban-regex} with OpenTrunk's filter
 * ({@code deploy/fail2ban/opentrunk.conf}) finds exactly the attackers' addresses in the file the
 * server wrote, not an address a username tried to smuggle into a line.
 */
@Tag("IC-DIGEST")
@Tag("IC-IPAUTH")
class SecurityLogIT {

    private static final int SIP_PORT = 16570;
    private static final int HTTP_PORT = 20590;
    private static final String SERVER = "127.0.0.141";
    private static final String GUESSER = "127.0.0.142";
    private static final String PBX = "127.0.0.143";
    private static final String FLOODER = "127.0.0.144";
    private static final String ADMIN_GUESSER = "127.0.0.145";
    private static final String CARRIER = "127.0.0.146";
    /** Only ever written inside a username: must never come out of the filter. */
    private static final String SMUGGLED = "127.0.0.149";
    private static final int CARRIER_PORT = 15060;
    private static final String PASSWORD = "security-log-it-secret";
    private static final String DOMAIN = "seclog.test";
    private static final String USER = "seclog-pbx";
    private static final String SECRET = "right-password";
    private static final String PREFIX = "71117111";
    private static final int MAX_FAILURES = 5;
    private static final int FRAUD_LIMIT = 2;
    private static final int PER_SOURCE = 5;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Path FILTER = Path.of("deploy/fail2ban/opentrunk.conf").toAbsolutePath();
    /** The documented line format (docs/security.md). */
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z OPENTRUNK-SECURITY event=[a-z_]+ src=(\\d+\\.\\d+\\.\\d+\\.\\d+|-)( [a-z_]+=.*)?");

    @Test
    void everyAttackLeavesItsLineAndFail2banFindsTheAttackers() throws Exception {
        LibertyServer server = LibertyServer.create("security-log-it", Map.ofEntries(Map.entry("OT_SIP_HOST", SERVER),
                Map.entry("OT_SIP_PORT", String.valueOf(SIP_PORT)), Map.entry("OT_HTTP_HOST", SERVER),
                Map.entry("OT_HTTP_PORT", String.valueOf(HTTP_PORT)), Map.entry("OT_ADMIN_PASSWORD", PASSWORD),
                Map.entry("OT_SIP_DOMAIN", DOMAIN), Map.entry("OT_CARRIER_PROBE_INTERVAL", "0"),
                Map.entry("OT_AUTH_MAX_FAILURES", String.valueOf(MAX_FAILURES)), Map.entry("OT_AUTH_FAILURE_WINDOW", "60"),
                Map.entry("OT_AUTH_BLOCK_TIME", "600"), Map.entry("OT_MAX_INVITES_PER_SOURCE", String.valueOf(PER_SOURCE)),
                Map.entry("OT_FRAUD_GUARD_CALLS_PER_MINUTE", String.valueOf(FRAUD_LIMIT))));
        server.start();
        Path log = server.logs().resolve("opentrunk-security.log");
        try {
            ApiClient api = ApiClient.asAdmin(SERVER, HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_PORT + "}").status());
            ApiClient.Reply ipCustomer = api.post("/api/v1/customers", "{\"name\":\"ip\",\"techPrefix\":\"" + PREFIX
                    + "\",\"ips\":[\"" + PBX + "\"],\"maxCps\":100}");
            assertEquals(201, ipCustomer.status(), ipCustomer::toString);
            ApiClient.Reply digestCustomer = api.post("/api/v1/customers", "{\"name\":\"digest\",\"techPrefix\":\"72227222\","
                    + "\"username\":\"" + USER + "\",\"password\":\"" + SECRET + "\"}");
            assertEquals(201, digestCustomer.status(), digestCustomer::toString);

            try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk());
                 SipTestClient guesser = new SipTestClient(Transport.UDP, GUESSER, trunk());
                 SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, trunk());
                 SipTestClient flooder = new SipTestClient(Transport.UDP, FLOODER, trunk())) {
                guessPasswords(guesser);
                tripTheFraudGuardAndSearchPrefixes(pbx, carrier);
                flood(flooder);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(401, wrongAdminPassword());
            }

            // the log's own thread writes the lines a moment after the events
            org.awaitility.Awaitility.await("the admin failures in the security log").atMost(Duration.ofSeconds(5))
                    .until(() -> Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                            .filter(l -> l.contains("event=admin_auth_failure")).count() >= 3);
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            Files.copy(log, Path.of("target/security-log-it.log"), StandardCopyOption.REPLACE_EXISTING); // for the docs
            for (String line : lines) {
                assertTrue(LINE.matcher(line).matches(), "documented format: " + line);
            }
            assertEquals(MAX_FAILURES, count(lines, "auth_failure", GUESSER), String.join("\n", lines));
            assertEquals(1, count(lines, "block", GUESSER), "one line for the block");
            assertTrue(lines.stream().anyMatch(l -> l.contains("event=block src=" + GUESSER + " cause=digest failures=5 seconds=600")));
            assertEquals(3, count(lines, "prefix_miss", PBX));
            assertEquals(1, count(lines, "fraud_guard", PBX));
            assertTrue(lines.stream().anyMatch(l -> l.contains("event=fraud_guard src=" + PBX + " customer=")
                    && l.contains(" country=+1 limit=" + FRAUD_LIMIT)), String.join("\n", lines));
            int floodLines = count(lines, "flood_refused", FLOODER);
            assertTrue(floodLines >= 2 && floodLines <= 4, "one line per second of flood, not one per INVITE: " + floodLines);
            assertEquals(3, count(lines, "admin_auth_failure", ADMIN_GUESSER));
            assertTrue(lines.stream().anyMatch(l -> l.contains(SMUGGLED)), "the smuggled address is in a quoted value");

            List<String> banned = fail2banRegex(log);
            Map<String, Long> perAddress = banned.stream().collect(Collectors.groupingBy(a -> a, Collectors.counting()));
            assertEquals(Map.of(GUESSER, (long) MAX_FAILURES, PBX, 3L, FLOODER, (long) floodLines, ADMIN_GUESSER, 3L),
                    perAddress, "fail2ban-regex found: " + banned);
            assertFalse(perAddress.containsKey(SMUGGLED));
        } finally {
            server.stop();
        }
    }

    /** Four wrong passwords for the real user and one for a username that carries an address; the fifth blocks. */
    private static void guessPasswords(SipTestClient guesser) throws Exception {
        for (int i = 0; i < MAX_FAILURES; i++) {
            String user = i == MAX_FAILURES - 1 ? "x src=" + SMUGGLED + " " : USER;
            SipMessage challenge = guesser.request(register(guesser, ""), WAIT);
            assertEquals(401, challenge.status(), challenge::toString);
            String credentials = "Authorization: " + DigestClient.answer(challenge.headers("WWW-Authenticate").get(0),
                    "REGISTER", "sip:" + DOMAIN, user, "guess" + i, 1) + "\r\n";
            assertEquals(403, guesser.request(register(guesser, credentials), WAIT).status());
        }
        assertEquals(403, guesser.request(register(guesser, ""), WAIT).status(), "blocked: no line, no challenge");
    }

    private static String register(SipTestClient client, String credentials) {
        String aor = "sip:" + USER + "@" + DOMAIN;
        return client.newRequest("REGISTER", "sip:" + DOMAIN, "Expires: 120\r\n" + credentials, "")
                .replaceFirst("From: <[^>]*>", "From: <" + aor + ">").replaceFirst("To: <[^>]*>", "To: <" + aor + ">");
    }

    private static void tripTheFraudGuardAndSearchPrefixes(SipTestClient pbx, SipTestClient carrier) throws Exception {
        for (int i = 0; i < FRAUD_LIMIT; i++) {
            assertEquals(486, call(pbx, carrier, PREFIX).status());
        }
        SipMessage suspended = call(pbx, carrier, PREFIX);
        assertEquals("SIP/2.0 403 Forbidden (Destination Suspended)", suspended.startLine());
        for (int i = 0; i < 3; i++) {
            assertEquals(403, call(pbx, carrier, String.format("%08d", 30_000_000 + i)).status());
        }
    }

    private static SipMessage call(SipTestClient pbx, SipTestClient carrier, String prefix) throws Exception {
        return BusyCarrierCall.place(pbx, carrier, "sip:" + prefix + "*+12066418000@" + DOMAIN, WAIT);
    }

    /** Two bursts of INVITEs, well over the per-source rate, 1.5 s apart; bounded at 60 INVITEs. */
    private static void flood(SipTestClient flooder) throws Exception {
        int refused = 0;
        for (int burst = 0; burst < 2; burst++) {
            for (int i = 0; i < 30; i++) {
                flooder.send(flooder.newRequest("INVITE", "sip:+12066418000@" + DOMAIN, "", ""));
            }
            long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < deadline) {
                refused += flooder.receive(Duration.ofMillis(50)).filter(m -> m.isResponse() && m.status() == 503).isPresent() ? 1 : 0;
            }
        }
        assertTrue(refused >= 30, "the flood was refused: " + refused);
    }

    /** A basic-auth request with a wrong admin password, sent from ADMIN_GUESSER's address. */
    private static int wrongAdminPassword() throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(ADMIN_GUESSER, 0));
            socket.connect(new InetSocketAddress(SERVER, HTTP_PORT), 5000);
            socket.setSoTimeout(10_000);
            String token = Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/customers HTTP/1.1\r\nHost: " + SERVER + "\r\nAuthorization: Basic " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static int count(List<String> lines, String event, String source) {
        String start = "OPENTRUNK-SECURITY event=" + event + " src=" + source + " ";
        return (int) lines.stream().filter(l -> l.contains(start) || l.endsWith(start.strip())).count();
    }

    /** The addresses fail2ban's own regex tool finds in {@code log} with OpenTrunk's filter, one per matched line. */
    private static List<String> fail2banRegex(Path log) throws Exception {
        Process p = new ProcessBuilder("fail2ban-regex", "-o", "ip", log.toString(), FILTER.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fail2ban-regex finished");
        assertEquals(0, p.exitValue(), out);
        List<String> addresses = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                addresses.add(line.strip());
            }
        }
        return addresses;
    }

    private static InetSocketAddress trunk() {
        return SipTestClient.address(SERVER, SIP_PORT);
    }
}
