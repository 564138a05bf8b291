package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Overload (issue 10) on a server of its own with room for {@value #CAPACITY} INVITEs in setup and
 * {@value #PER_SOURCE} new INVITEs per second (burst twice that) from an unknown address: a flood
 * from one unknown address is shed with 503 and Retry-After at once while a customer's calls go
 * on; a trunk full of ringing calls sheds new ones, completes those admitted, and takes new calls
 * again by itself when they are answered; the flooder is admitted again once it stops.
 */
class OverloadIT {

    private static final int SIP_PORT = 15660;
    private static final int HTTP_PORT = 19680;
    private static final String ADMIN_PASSWORD = "overload-it-secret";
    private static final String DOMAIN = "overload.test";
    private static final int CAPACITY = 20;
    private static final int PER_SOURCE = 10;
    private static final String CUSTOMER = "127.0.0.62";
    private static final String PREFIX = "62626262";
    private static final String FLOODER = "127.0.0.69";
    private static final String CARRIER = "127.0.0.63";
    private static final int CARRIER_PORT = 15060;
    /** INVITEs the flooder sends as fast as it can: bounded, and ten times its burst. */
    private static final int FLOOD = 300;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void floodsAreShedAndTheTrunkRecovers() throws Exception {
        LibertyServer server = LibertyServer.trunk("overload-it", "127.0.0.1", SIP_PORT, HTTP_PORT, ADMIN_PASSWORD, DOMAIN,
                "OT_MAX_INVITES_IN_PROGRESS", String.valueOf(CAPACITY), "OT_MAX_INVITES_PER_SOURCE", String.valueOf(PER_SOURCE));
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, ADMIN_PASSWORD);
            api.awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":" + CARRIER_PORT + "}").status());
            ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"Busy PBX\",\"techPrefix\":\"" + PREFIX
                    + "\",\"ips\":[\"" + CUSTOMER + "\"],\"maxChannels\":1000,\"maxCps\":1000}");
            assertEquals(201, customer.status(), customer::toString);

            aFloodFromOneAddressIsShedWhileACustomerCalls();
            aFullTrunkShedsNewCallsAndCompletesAdmittedOnes();
            theTrunkRecoversByItself();
        } finally {
            server.stopQuietly();
        }
    }

    /**
     * The flooder's first INVITEs are admitted (and, having no credentials, challenged); the rest
     * get 503 with Retry-After 1 within milliseconds. Halfway through, the customer places a call:
     * it reaches the carrier.
     */
    private void aFloodFromOneAddressIsShedWhileACustomerCalls() throws Exception {
        try (SipTestClient flooder = new SipTestClient(Transport.UDP, FLOODER, trunk());
             SipTestClient pbx = new SipTestClient(Transport.UDP, CUSTOMER, trunk());
             SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk())) {
            long start = System.nanoTime();
            for (int i = 0; i < FLOOD / 2; i++) {
                flooder.send(invite(flooder, "+12066418000"));
            }
            assertEquals(486, call(pbx, carrier), "the customer's call gets to the carrier during the flood");
            for (int i = FLOOD / 2; i < FLOOD; i++) {
                flooder.send(invite(flooder, "+12066418000"));
            }
            long sentNanos = System.nanoTime() - start;
            Map<String, Integer> answered = new HashMap<>(); // by Call-ID: an unacknowledged 407 is retransmitted
            int shed = 0;
            int challenged = 0;
            long lastAnswer = 0;
            while (answered.size() < FLOOD) {
                Optional<SipMessage> answer = flooder.receive(WAIT);
                if (answer.isEmpty()) {
                    break;
                }
                SipMessage m = answer.get();
                if (!m.isResponse() || m.status() < 200 || answered.putIfAbsent(m.header("Call-ID").orElse(""), m.status()) != null) {
                    continue;
                }
                lastAnswer = System.nanoTime() - start;
                if (m.status() == 503) {
                    assertEquals("1", m.header("Retry-After").orElse(""), m::toString);
                    shed++;
                } else {
                    assertEquals(407, m.status(), m::toString);
                    challenged++;
                }
            }
            System.out.printf("flood of %d INVITEs sent in %d ms: %d admitted (challenged), %d shed with 503; last answer after %d ms%n",
                    FLOOD, sentNanos / 1_000_000, challenged, shed, lastAnswer / 1_000_000);
            assertEquals(FLOOD, shed + challenged, "every INVITE of the flood is answered");
            double seconds = lastAnswer / 1e9;
            assertTrue(challenged <= 2 * PER_SOURCE + PER_SOURCE * seconds + 1,
                    "at most the burst plus the rate is admitted: " + challenged + " in " + seconds + " s");
            assertTrue(shed >= FLOOD / 2, "most of the flood is shed: " + shed);
            assertTrue(lastAnswer < Duration.ofSeconds(3).toNanos(), "shed quickly: the last answer came after " + lastAnswer / 1_000_000 + " ms");
            assertTrue(carrier.receive(Duration.ofMillis(300)).stream().noneMatch(m -> "INVITE".equals(m.method()) && !m.isResponse()),
                    "nothing of the flood reaches a carrier");
        }
    }

    /**
     * {@value #CAPACITY} calls ring at the carrier (SIPp, 3 s before answering): the trunk is full.
     * One more INVITE, from the customer or from anyone, gets 503 with Retry-After 5. The ringing
     * calls are then answered and completed, every one.
     */
    private void aFullTrunkShedsNewCallsAndCompletesAdmittedOnes() throws Exception {
        Sipp carrier = Sipp.scenario("overload-carrier", "uas-rings-then-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                .calls(CAPACITY, 100, 100).callLength(Duration.ofSeconds(3)).timeout(Duration.ofSeconds(40)).start(null);
        Sipp pbx = null;
        try {
            Thread.sleep(300);
            pbx = Sipp.scenario("overload-customer", "uac-caller-hangs-up.xml").bind(CUSTOMER).udp()
                    .dialing(PREFIX + "*+12066418000").calls(CAPACITY, 100, CAPACITY).callLength(Duration.ofMillis(500))
                    .timeout(Duration.ofSeconds(30)).start("127.0.0.1:" + SIP_PORT);
            Thread.sleep(1_500); // all ringing now, answered after 3 s
            try (SipTestClient late = new SipTestClient(Transport.UDP, CUSTOMER, trunk());
                 SipTestClient stranger = new SipTestClient(Transport.UDP, "127.0.0.68", trunk())) {
                long start = System.nanoTime();
                SipMessage refused = late.request(invite(late, PREFIX + "*+12066418000"), WAIT);
                long took = System.nanoTime() - start;
                assertEquals(503, refused.status(), () -> "the trunk is full: " + refused);
                assertEquals("5", refused.header("Retry-After").orElse(""), refused::toString);
                assertTrue(took < Duration.ofSeconds(1).toNanos(), "refused at once: " + took / 1_000_000 + " ms");
                assertEquals(503, stranger.request(invite(stranger, "+12066418000"), WAIT).status());
            }
            Sipp.Result customerSide = pbx.await(Duration.ofSeconds(40));
            Sipp.Result carrierSide = carrier.await(Duration.ofSeconds(20));
            assertEquals(CAPACITY, customerSide.successfulCalls(), () -> "every admitted call completes: " + customerSide);
            assertEquals(0, customerSide.failedCalls(), customerSide::toString);
            assertEquals(CAPACITY, carrierSide.successfulCalls(), carrierSide::toString);
        } finally {
            if (pbx != null) {
                pbx.stop();
            }
            carrier.stop();
        }
    }

    /** With the calls answered and the flood over, both the customer and the former flooder are admitted again. */
    private void theTrunkRecoversByItself() throws Exception {
        Thread.sleep(2_500); // the flooder's bucket refills within 2 s
        try (SipTestClient flooder = new SipTestClient(Transport.UDP, FLOODER, trunk());
             SipTestClient pbx = new SipTestClient(Transport.UDP, CUSTOMER, trunk());
             SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk())) {
            assertEquals(486, call(pbx, carrier), "a new call gets through");
            assertEquals(407, flooder.request(invite(flooder, "+12066418000"), WAIT).status(), "admitted again (and challenged)");
        }
    }

    /** An IP-authenticated call from the customer; the carrier answers 486; the PBX's final status. */
    private static int call(SipTestClient pbx, SipTestClient carrier) throws Exception {
        String invite = invite(pbx, PREFIX + "*+12066418000");
        String callId = parsed(invite).header("Call-ID").orElseThrow();
        pbx.send(invite);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        carrier.send(atCarrier.response(486, "Busy Here", "gw1", "", ""));
        SipMessage answer = pbx.await(m -> m.isResponse() && m.status() >= 200 && callId.equals(m.header("Call-ID").orElse("")), WAIT);
        pbx.send(SipTestClient.ackFor(parsed(invite), answer));
        return answer.status();
    }

    private static String invite(SipTestClient from, String user) {
        return from.newRequest("INVITE", "sip:" + user + "@" + DOMAIN, "Content-Type: application/sdp\r\n", OFFER);
    }

    private static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address("127.0.0.1", SIP_PORT);
    }
}
