package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.PrometheusText;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Spoofed carrier INVITEs (issue 25): over UDP anyone can write a carrier's source address, and
 * on loopback the test simply binds it. A spoofer's INVITEs to random numbers and to a ringing DID
 * must not exhaust the customer's channels, the set-up places or the CDR journal; the carrier's
 * inbound policy (TCP/TLS only, an INVITE rate, unknown numbers summarised) is what holds them.
 * The carrier is disabled for outbound calls, so the shared server's other tests never route to it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SpoofedCarrierIT {

    /** The carrier is known by this address alone (any port). */
    private static final String CARRIER = "127.0.0.195";
    private static final int CARRIER_PORT = 21092;
    private static final String PBX = "127.0.0.196";
    private static final int PBX_PORT = 21093;
    private static final String DID = "+12065550391";
    private static final int CHANNELS = 2;
    private static final int RATE = 5;
    private static final int SPOOFED = 300;
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Time for all spoofed INVITEs to be answered on a busy build machine. */
    private static final Duration ALL_ANSWERED = Duration.ofSeconds(20);
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 " + CARRIER + "\r\ns=-\r\nc=IN IP4 " + CARRIER
            + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static long carrierId;
    private static long customerId;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeAll
    static void provision() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        ApiClient.Reply carrier = api.post("/api/v1/carriers", "{\"name\":\"spoofed-gw\",\"host\":\"" + CARRIER
                + "\",\"port\":" + CARRIER_PORT + ",\"enabled\":false}");
        assertEquals(201, carrier.status(), carrier::toString);
        carrierId = carrier.json().getJsonNumber("id").longValue();
        assertEquals("any", carrier.json().getString("inboundTransports"), "open by default");
        assertEquals(0, carrier.json().getInt("maxInboundCps"));
        assertEquals(false, carrier.json().getBoolean("summariseUnknownNumbers"));
        ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"Spoof Victim\",\"techPrefix\":\"19519519\","
                + "\"ips\":[\"" + PBX + "\"],\"maxChannels\":" + CHANNELS + ",\"maxCps\":100}");
        assertEquals(201, customer.status(), customer::toString);
        customerId = customer.json().getJsonNumber("id").longValue();
        ApiClient.Reply number = api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + customerId
                + ",\"routes\":[{\"type\":\"host\",\"target\":\"" + PBX + ":" + PBX_PORT + "\",\"priority\":0}]}");
        assertEquals(201, number.status(), number::toString);
    }

    @AfterAll
    static void unprovision() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        api.delete("/api/v1/numbers/" + DID);
        api.delete("/api/v1/customers/" + customerId);
        api.delete("/api/v1/carriers/" + carrierId);
    }

    /** The API refuses a policy it does not know, naming the field. */
    @Test
    void badPolicyValuesAreRefusedByName() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        ApiClient.Reply transports = policy(api, "\"udp-only\"", 0, false);
        assertEquals(422, transports.status(), transports::toString);
        assertTrue(transports.body().contains("inboundTransports"), transports::toString);
        ApiClient.Reply rate = policy(api, "\"any\"", -1, false);
        assertEquals(422, rate.status(), rate::toString);
        assertTrue(rate.body().contains("maxInboundCps"), rate::toString);
    }

    /**
     * {@value #SPOOFED} INVITEs to random numbers in the carrier's name: each gets its 404, and
     * with summariseUnknownNumbers none leaves a CDR; the count is a metric and a log line.
     */
    @Test
    void spoofedInvitesToRandomNumbersLeaveNoCdrsWhenSummarised() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        assertEquals(200, policy(api, "\"any\"", 0, true).status());
        double cdrsBefore = metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted"));
        double unknownBefore = metric(api, "opentrunk_calls_refused_total", Map.of("reason", "unknown_number"));
        try (SipTestClient spoofer = spoofer(Transport.UDP)) {
            for (int i = 0; i < SPOOFED; i++) {
                // never +1206555xxxx, where the test server's DIDs are
                spoofer.send(invite(spoofer, "+1206" + (2_000_000 + ThreadLocalRandom.current().nextInt(3_000_000))));
            }
            Map<String, Integer> answers = finalAnswers(spoofer, SPOOFED);
            System.out.println("spoofed carrier: " + SPOOFED + " INVITEs to random numbers answered " + tally(answers));
            assertEquals(SPOOFED, answers.size(), "every spoofed INVITE is answered");
            assertTrue(answers.values().stream().allMatch(s -> s == 404), () -> tally(answers));
        }
        assertEquals(SPOOFED, metric(api, "opentrunk_calls_refused_total", Map.of("reason", "unknown_number")) - unknownBefore,
                0.5, "each is counted");
        Thread.sleep(500); // a CDR would be submitted from the SIP thread at once; give a stray one time to show
        assertEquals(cdrsBefore, metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted")), 0.5,
                "no CDR for a summarised unknown number");
        assertTrue(Files.readString(TrunkUnderTest.messagesLog(), StandardCharsets.ISO_8859_1)
                        .contains("Carrier spoofed-gw (id " + carrierId + "): "),
                "the summary line is in the log");
    }

    /** With tcp-tls, every INVITE over UDP is refused with 403 before it costs anything; over TCP it is taken. */
    @Test
    void aTcpOnlyCarrierRefusesEveryUdpInvite() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        assertEquals(200, policy(api, "\"tcp-tls\"", 0, false).status());
        double cdrsBefore = metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted"));
        try (SipTestClient spoofer = spoofer(Transport.UDP);
             SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, PBX_PORT, trunk())) {
            for (int i = 0; i < SPOOFED; i++) {
                spoofer.send(invite(spoofer, DID));
            }
            Map<String, Integer> answers = finalAnswers(spoofer, SPOOFED);
            System.out.println("spoofed carrier: " + SPOOFED + " UDP INVITEs to a DID of a tcp-tls carrier answered " + tally(answers));
            assertEquals(SPOOFED, answers.size());
            assertTrue(answers.values().stream().allMatch(s -> s == 403), () -> tally(answers));
            assertTrue(pbx.receive(Duration.ofMillis(300)).isEmpty(), "nothing reaches the customer");
        }
        assertEquals(cdrsBefore, metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted")), 0.5, "no CDRs");
        try (SipTestClient realCarrier = spoofer(Transport.TCP)) {
            SipMessage answer = realCarrier.request(invite(realCarrier, "+12065550999"), WAIT);
            assertEquals(404, answer.status(), () -> "over TCP the INVITE is taken (and finds no such number): " + answer);
        }
    }

    /**
     * {@value #SPOOFED} INVITEs at once to a DID whose PBX rings and never answers: with a rate of
     * {@value #RATE}/s almost all get 503 at the door; of the few let in, the customer's
     * {@value #CHANNELS} channels ring and the rest get 486. Set-up places and CDRs stay a handful.
     */
    @Test
    void theRateBoundsSpoofedInvitesToARingingDid() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        assertEquals(200, policy(api, "\"any\"", RATE, false).status());
        double cdrsBefore = metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted"));
        double allowed;
        try (SipTestClient spoofer = spoofer(Transport.UDP);
             SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, PBX_PORT, trunk())) {
            long start = System.nanoTime();
            for (int i = 0; i < SPOOFED; i++) {
                spoofer.send(invite(spoofer, DID));
            }
            Map<String, SipMessage> ringing = new HashMap<>();
            Map<String, Integer> answers = new HashMap<>();
            long deadline = System.nanoTime() + ALL_ANSWERED.toNanos();
            while (answers.size() + ringing.size() < SPOOFED && System.nanoTime() < deadline) {
                // the PBX first and at once: a target silent for OT_FAILOVER_TIMEOUT (2 s here) is given up
                for (Optional<SipMessage> atPbx = pbx.receive(Duration.ofMillis(1)); atPbx.isPresent();
                     atPbx = pbx.receive(Duration.ofMillis(1))) {
                    if (!atPbx.get().isResponse() && "INVITE".equals(atPbx.get().method())) {
                        String callId = atPbx.get().header("Call-ID").orElse("");
                        ringing.putIfAbsent(callId, atPbx.get());
                        pbx.send(atPbx.get().response(180, "Ringing", "r" + Math.abs(callId.hashCode()), "", ""));
                    }
                }
                // every answer waiting, not one a turn: unread ones (100 Trying, retransmitted finals)
                // would fill the socket's buffer on a busy machine and the kernel would drop the rest
                for (Optional<SipMessage> r = spoofer.receive(Duration.ofMillis(20)); r.isPresent();
                     r = spoofer.receive(Duration.ofMillis(1))) {
                    if (r.get().isResponse() && r.get().status() >= 200) {
                        answers.putIfAbsent(r.get().header("Call-ID").orElse(""), r.get().status());
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long letIn = ringing.size() + answers.values().stream().filter(s -> s != 503).count();
            int inSetup = (int) metric(api, "opentrunk_invites_in_setup", Map.of());
            System.out.printf("spoofed carrier: %d INVITEs to a ringing DID in %.1f s: %s; %d ringing at the PBX; %d in set-up%n",
                    SPOOFED, seconds, tally(answers), ringing.size(), inSetup);
            assertEquals(SPOOFED, answers.size() + ringing.size(), "every spoofed INVITE is answered or rings");
            allowed = RATE + RATE * seconds + 1;
            assertTrue(letIn <= allowed, "at most the carrier's burst and rate get in: " + letIn);
            assertTrue(ringing.size() <= CHANNELS, "no more ring than the customer has channels: " + ringing.size());
            assertTrue(inSetup <= CHANNELS + 1, "set-up places held: " + inSetup);
            // the ringing ones end: the PBX is busy after all
            for (SipMessage invite : ringing.values()) {
                pbx.send(invite.response(486, "Busy Here", "r" + Math.abs(invite.header("Call-ID").orElse("").hashCode()), "", ""));
            }
        }
        org.awaitility.Awaitility.await("the spoofed calls' CDRs").atMost(WAIT).until(() ->
                metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted")) - cdrsBefore >= CHANNELS);
        double cdrs = metric(api, "opentrunk_cdr_records_total", Map.of("state", "submitted")) - cdrsBefore;
        System.out.printf("spoofed carrier: %.0f CDRs for %d spoofed INVITEs%n", cdrs, SPOOFED);
        assertTrue(cdrs <= allowed, "CDRs only for the few let in: " + cdrs);
    }

    // ---- helpers

    private static ApiClient.Reply policy(ApiClient api, String transports, int rate, boolean summarise) throws Exception {
        return api.put("/api/v1/carriers/" + carrierId, "{\"name\":\"spoofed-gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                + CARRIER_PORT + ",\"enabled\":false,\"inboundTransports\":" + transports + ",\"maxInboundCps\":" + rate
                + ",\"summariseUnknownNumbers\":" + summarise + "}");
    }

    private static SipTestClient spoofer(Transport transport) {
        // a port of its own each time: the container retransmits unacknowledged answers to earlier tests' INVITEs
        return new SipTestClient(transport, CARRIER, 0, trunk());
    }

    private static String invite(SipTestClient from, String number) {
        return from.newRequest("INVITE", "sip:" + number + "@" + TestNet.TRUNK_DOMAIN, "Content-Type: application/sdp\r\n", OFFER);
    }

    /** Final answers by Call-ID (a retransmitted one counts once), until {@code count} or a quiet {@link #WAIT}. */
    private static Map<String, Integer> finalAnswers(SipTestClient client, int count) throws Exception {
        Map<String, Integer> answers = new HashMap<>();
        while (answers.size() < count) {
            Optional<SipMessage> m = client.receive(WAIT);
            if (m.isEmpty()) {
                break;
            }
            if (m.get().isResponse() && m.get().status() >= 200) {
                answers.putIfAbsent(m.get().header("Call-ID").orElse(""), m.get().status());
            }
        }
        return answers;
    }

    private static String tally(Map<String, Integer> answers) {
        Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
        answers.values().forEach(s -> byStatus.merge(s, 1, Integer::sum));
        return byStatus.toString();
    }

    private static double metric(ApiClient api, String name, Map<String, String> labels) throws Exception {
        ApiClient.Reply scrape = api.get("/metrics");
        assertEquals(200, scrape.status());
        PrometheusText.Family family = PrometheusText.parse(scrape.body()).get(name);
        if (family == null) {
            return 0;
        }
        return family.samples().stream().filter(s -> s.labels().equals(labels)).mapToDouble(PrometheusText.Sample::value)
                .findFirst().orElse(0);
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT);
    }
}
