package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The B2BUA skeleton over real SIP: a raw test PBX on 127.0.0.2 calls through OpenTrunk to a
 * raw test carrier on 127.0.0.3, so that every message each side receives can be checked.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CallPathIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String CALLED = "+12066418000";
    /** What the IP-authenticated test PBX dials: its tech prefix, '*', the number (IC-IPAUTH). */
    private static final String DIALLED = TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED;
    private static final String OFFER = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    private static final String ANSWER = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private SipTestClient carrier;
    private TrunkUnderTest trunk;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void carrierListens() throws Exception {
        TestNetProvisioning.ensure();
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        trunk = TrunkUnderTest.connect();
    }

    @AfterEach
    void close() throws Exception {
        carrier.close();
        trunk.close();
    }

    private static SipTestClient pbx(Transport transport, String address) {
        return new SipTestClient(transport, address, SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @Test
    @Tag("IC-IPV4")
    void answeredCallOverUdpPassesThroughAndEndsWithCallerBye() throws Exception {
        placeAnswerAndHangUp(Transport.UDP);
    }

    @Test
    @Tag("IC-IPV4")
    void answeredCallOverTcpPassesThroughAndEndsWithCallerBye() throws Exception {
        placeAnswerAndHangUp(Transport.TCP);
    }

    private void placeAnswerAndHangUp(Transport transport) throws Exception {
        try (SipTestClient pbx = pbx(transport, TestNet.CUSTOMER_PBX)) {
            String inviteText = pbx.newRequest("INVITE", "sip:" + DIALLED + "@" + TestNet.TRUNK_DOMAIN,
                    "Content-Type: application/sdp\r\n", OFFER);
            SipMessage invite = SipMessage.parse(inviteText.getBytes(), inviteText.length());
            pbx.send(inviteText);

            // The carrier leg: a new dialog towards the carrier's address, same offer.
            SipMessage atCarrier = carrier.await(m -> "INVITE".equals(m.method()) && !m.isResponse(), WAIT);
            assertEquals("sip:" + CALLED + "@" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT, atCarrier.requestUri());
            assertNotEquals(invite.header("Call-ID"), atCarrier.header("Call-ID"), "B2BUA: a new Call-ID per leg");
            assertTrue(atCarrier.body().contains("m=audio 40000 RTP/AVP 0 101"), atCarrier::toString);
            int maxForwards = Integer.parseInt(atCarrier.header("Max-Forwards").orElse("70"));
            assertTrue(maxForwards < 70, "Max-Forwards decremented: " + atCarrier);

            carrier.send(atCarrier.response(180, "Ringing", "c1", "Contact: <sip:gw@127.0.0.3:15060>\r\n", ""));
            assertEquals(180, pbx.await(m -> m.isResponse() && m.status() > 100, WAIT).status());
            carrier.send(atCarrier.response(200, "OK", "c1", "Contact: <sip:gw@127.0.0.3:15060>\r\n", ANSWER));
            SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200, WAIT);
            assertTrue(ok.body().contains("m=audio 50000"), () -> "the carrier's answer reaches the PBX: " + ok);

            Dialog call = new Dialog(pbx, invite, ok);
            pbx.send(call.ack());
            carrier.await(m -> "ACK".equals(m.method()) && !m.isResponse(), WAIT);

            // PRACK never reaches the application: Liberty's stack matches it against reliable
            // provisionals itself, and OpenTrunk never sends one (no 100rel), so it is refused.
            SipMessage prack = pbx.request(call.request("PRACK", "RAck: 1 1 INVITE\r\n", ""), WAIT);
            assertTrue(prack.status() == 400 || prack.status() == 481, prack::toString);

            // IC-METHODS inside a dialog: 405 with Allow, and the call stays up.
            for (String method : List.of("UPDATE", "INFO", "REFER", "MESSAGE", "SUBSCRIBE", "NOTIFY")) {
                String extra = "REFER".equals(method) ? "Refer-To: <sip:+12065550111@trunk.test>\r\n"
                        : method.endsWith("SCRIBE") || "NOTIFY".equals(method)
                        ? "Event: dialog\r\nSubscription-State: active\r\n" : "";
                SipMessage refused = pbx.request(call.request(method, extra, ""), WAIT);
                assertEquals(405, refused.status(), () -> method + ": " + refused);
                assertEquals("INVITE, ACK, CANCEL, BYE, REGISTER, OPTIONS", refused.header("Allow").orElse(""));
            }

            pbx.send(call.request("BYE", "", ""));
            SipMessage byeAtCarrier = carrier.await(m -> "BYE".equals(m.method()) && !m.isResponse(), WAIT);
            carrier.send(byeAtCarrier.response(200, "OK", null, "", ""));
            assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());
        }
        awaitNoLiveCalls();
    }

    @Test
    void unknownSourceIsChallengedAndNeverReachesTheCarrier() throws Exception {
        try (SipTestClient stranger = pbx(Transport.UDP, TestNet.STRANGER)) {
            SipMessage answer = stranger.request(stranger.newRequest("INVITE", "sip:" + DIALLED + "@" + TestNet.TRUNK_DOMAIN,
                    "Content-Type: application/sdp\r\n", OFFER), WAIT);
            assertEquals(407, answer.status(), () -> "not a customer address: digest is the only way in: " + answer);
        }
        Optional<SipMessage> leaked = carrier.receive(Duration.ofSeconds(1));
        assertTrue(leaked.isEmpty(), () -> "nothing unauthenticated reaches a carrier: " + leaked);
    }

    @Test
    void requestForAnotherDomainIsNotRelayed() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            SipMessage answer = pbx.request(pbx.newRequest("INVITE", "sip:" + DIALLED + "@example.com",
                    "Content-Type: application/sdp\r\n", OFFER), WAIT);
            assertEquals(404, answer.status(), answer::toString);
        }
        assertTrue(carrier.receive(Duration.ofSeconds(1)).isEmpty(), "OpenTrunk is no open relay");
    }

    @Test
    void carrierRefusalGoesBackToTheCustomer() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            pbx.send(pbx.newRequest("INVITE", "sip:" + DIALLED + "@" + TestNet.TRUNK_DOMAIN,
                    "Content-Type: application/sdp\r\n", OFFER));
            SipMessage atCarrier = carrier.await(m -> "INVITE".equals(m.method()) && !m.isResponse(), WAIT);
            carrier.send(atCarrier.response(486, "Busy Here", "c2", "", ""));
            SipMessage answer = pbx.finalResponse(WAIT);
            assertEquals(486, answer.status());
            assertEquals("Busy Here", answer.startLine().substring(12), "reason phrase kept");
        }
        awaitNoLiveCalls();
    }

    /** Every call above ended: the container holds no application session for it any more. */
    private void awaitNoLiveCalls() throws Exception {
        trunk.awaitNoApplicationSessions(Duration.ofSeconds(40));
        assertEquals(0, trunk.liveApplicationSessions(), "application sessions left behind");
        assertEquals(0, trunk.liveSipSessions(), "SIP sessions left behind");
    }
}
