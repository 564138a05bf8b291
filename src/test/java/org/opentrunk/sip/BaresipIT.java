package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.Baresip;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.RtpSink;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * IC-INTEROP with a real user agent: baresip as the IP-authenticated customer's PBX on 127.0.0.2
 * calls out through OpenTrunk (tech prefix) to a raw carrier and sends DTMF as RFC 4733 events,
 * and receives an inbound DID call with the caller's stored CNAM name.
 *
 * <p>baresip registering with digest is {@link BaresipDigestIT}, on a server of its own with the
 * default settings (MD5 alone: baresip 1.0 gives up on any SHA-256 challenge, and this suite's
 * server offers SHA-256 too).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-INTEROP")
class BaresipIT {

    static final Duration WAIT = Duration.ofSeconds(8);
    static final int SIP_PORT = 15072;
    static final int CONTROL_PORT = 14444;
    /** Where the carrier's "media gateway" listens for baresip's RTP. */
    static final int CARRIER_RTP_PORT = 41000;
    /** The DID routed to baresip; also its AOR user, so its calls carry it as caller. */
    static final String BARESIP_DID = "+12065550321";
    /** A caller whose stored CNAM name baresip must show. */
    static final String NAMED_CALLER = "+12065550322";
    static final String CALLER_NAME = "INTEROP CALLER";
    static final String DTMF_DIGIT = "5";
    static final Pattern TELEPHONE_EVENT = Pattern.compile("a=rtpmap:(\\d+) telephone-event/8000");

    private SipTestClient carrier;
    private Baresip baresip;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provisionAndStart(TestInfo test) throws Exception {
        InboundCallIT.didToPbxWithNamedCaller(TestNetProvisioning.ensure(), BARESIP_DID, TestNet.CUSTOMER_PBX, SIP_PORT,
                NAMED_CALLER, CALLER_NAME);
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        // The trunk as outbound proxy (trunk.test resolves nowhere); no registration (regint=0):
        // the customer is known by its address.
        baresip = Baresip.start(test.getTestMethod().orElseThrow().getName(), TestNet.CUSTOMER_PBX, SIP_PORT, CONTROL_PORT,
                "<sip:" + BARESIP_DID + "@" + TestNet.TRUNK_DOMAIN + ">;outbound=\"sip:" + TestNet.trunkHostPort()
                        + "\";regint=0;answermode=manual");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            baresip.close();
        } finally {
            carrier.close();
        }
    }

    @Test
    @Tag("IC-IPAUTH") @Tag("IC-DTMF")
    void callsOutThroughTheTrunkAndSendsDtmfAsTelephoneEvents() throws Exception {
        String called = OutboundCallIT.CALLED;
        baresip.command("dial", "sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + called + "@" + TestNet.TRUNK_DOMAIN);
        SipMessage atCarrier = OutboundCallIT.awaitInvite(carrier);
        assertEquals("sip:" + called + "@" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT, atCarrier.requestUri());
        assertTrue(atCarrier.header("From").orElse("").contains(BARESIP_DID), atCarrier::toString);
        Matcher dtmf = TELEPHONE_EVENT.matcher(atCarrier.body());
        assertTrue(dtmf.find(), () -> "the offer keeps telephone-event (IC-DTMF): " + atCarrier.body());
        int eventType = Integer.parseInt(dtmf.group(1));

        try (RtpSink media = new RtpSink(TestNet.CARRIER, CARRIER_RTP_PORT)) {
            String answer = "v=0\r\no=carrier 7 7 IN IP4 " + TestNet.CARRIER + "\r\ns=-\r\nc=IN IP4 " + TestNet.CARRIER
                    + "\r\nt=0 0\r\nm=audio " + CARRIER_RTP_PORT + " RTP/AVP 0 " + eventType + "\r\na=rtpmap:0 PCMU/8000\r\n"
                    + "a=rtpmap:" + eventType + " telephone-event/8000\r\na=fmtp:" + eventType + " 0-15\r\n";
            carrier.send(atCarrier.response(200, "OK", "bx1", "Contact: <sip:gw@" + TestNet.CARRIER + ":"
                    + TestNet.CARRIER_PORT + ">\r\n", answer));
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
            baresip.awaitEvent("CALL_ESTABLISHED", WAIT);

            baresip.command("sndcode", DTMF_DIGIT);
            assertEquals(Integer.parseInt(DTMF_DIGIT), media.awaitTelephoneEvent(eventType, WAIT),
                    () -> "RFC 4733 event for '" + DTMF_DIGIT + "' after " + media.packets() + " RTP packets");
        }

        baresip.command("hangup", "");
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        baresip.awaitEvent("CALL_CLOSED", WAIT);
    }

    @Test
    @Tag("IC-CNAM-IN")
    void receivesAnInboundDidCallWithTheCnamName() throws Exception {
        String sent = InboundCallIT.inviteFromCarrier(carrier, BARESIP_DID, NAMED_CALLER, "");
        takeCallWithName(baresip, carrier, sent, NAMED_CALLER, CALLER_NAME);
    }

    /**
     * The carrier sends {@code invite}; baresip shows the caller's name and number, accepts; the
     * carrier acknowledges and hangs up, and baresip sees the call close.
     */
    static void takeCallWithName(Baresip baresip, SipTestClient carrier, String invite, String caller, String name)
            throws Exception {
        JsonObject incoming = takeCall(baresip, carrier, invite);
        assertEquals(name, incoming.getString("peerdisplayname", ""), incoming::toString);
        assertTrue(incoming.getString("peeruri", "").contains(caller), incoming::toString);
    }

    /**
     * The carrier sends {@code invite}; baresip, which must ring, answers; the carrier hangs up.
     * Returns baresip's CALL_INCOMING event.
     */
    static JsonObject takeCall(Baresip baresip, SipTestClient carrier, String invite) throws Exception {
        carrier.send(invite);
        JsonObject incoming;
        try {
            incoming = baresip.awaitEvent("CALL_INCOMING", WAIT);
        } catch (AssertionError notThere) {
            throw new AssertionError("baresip did not ring; the carrier got " + carrier.receive(Duration.ofSeconds(1)), notThere);
        }
        baresip.command("accept", "");
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(carrier, InboundCallIT.parsed(invite), ok);
        carrier.send(call.ack());
        baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
        carrier.send(call.request("BYE", "", ""));
        SipMessage byeAnswer = carrier.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
        assertEquals(200, byeAnswer.status(), byeAnswer::toString);
        baresip.awaitEvent("CALL_CLOSED", WAIT);
        return incoming;
    }
}
