package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.Linphonec;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * IC-INTEROP with a second, independent user agent: linphonec (liblinphone 5.1, not baresip's libre)
 * as the IP-authenticated customer's PBX on 127.0.0.2 calls out through OpenTrunk with the tech
 * prefix to a raw carrier, and receives an inbound DID call routed to its address with the
 * caller's stored CNAM name.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-INTEROP")
class LinphoneIT {

    static final Duration WAIT = Duration.ofSeconds(8);
    static final int SIP_PORT = 15074;
    static final int RTP_PORT = 41100;
    static final int CARRIER_RTP_PORT = 41200;
    /** The DID routed to linphonec; also the user of its identity, so its calls carry it as caller. */
    static final String LINPHONE_DID = "+12065550331";
    static final String NAMED_CALLER = "+12065550332";
    static final String CALLER_NAME = "LINPHONE CALLER"; // CNAM names are 15 characters at most
    /** linphonec's console lines about calls (linphonec's own wording). */
    static final Pattern CONNECTED = Pattern.compile("Call (\\d+) with .* connected");
    static final Pattern ENDED = Pattern.compile("Call (\\d+) with .* ended");
    static final Pattern INCOMING = Pattern.compile("Receiving new incoming call from (.*), assigned id (\\d+)");

    private SipTestClient carrier;
    private Linphonec linphonec;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provisionAndStart(TestInfo test) throws Exception {
        InboundCallIT.didToPbxWithNamedCaller(TestNetProvisioning.ensure(), LINPHONE_DID, TestNet.CUSTOMER_PBX, SIP_PORT,
                NAMED_CALLER, CALLER_NAME);
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        linphonec = Linphonec.start(test.getTestMethod().orElseThrow().getName(), TestNet.CUSTOMER_PBX, SIP_PORT, RTP_PORT,
                "<sip:" + LINPHONE_DID + "@" + TestNet.CUSTOMER_PBX + ">");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            linphonec.close();
        } finally {
            carrier.close();
        }
    }

    @Test
    @Tag("IC-IPAUTH")
    void callsOutThroughTheTrunkWithTheTechPrefix() throws Exception {
        String called = OutboundCallIT.CALLED;
        // No proxy configured: linphonec sends the INVITE to the Request-URI's host, the trunk.
        linphonec.command("call sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + called + "@" + TestNet.trunkHostPort());
        SipMessage atCarrier = OutboundCallIT.awaitInvite(carrier);
        assertEquals("sip:" + called + "@" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT, atCarrier.requestUri());
        assertTrue(atCarrier.header("From").orElse("").contains(LINPHONE_DID), atCarrier::toString);

        String answer = "v=0\r\no=carrier 7 7 IN IP4 " + TestNet.CARRIER + "\r\ns=-\r\nc=IN IP4 " + TestNet.CARRIER
                + "\r\nt=0 0\r\nm=audio " + CARRIER_RTP_PORT + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n";
        carrier.send(atCarrier.response(200, "OK", "lx1", "Contact: <sip:gw@" + TestNet.CARRIER + ":"
                + TestNet.CARRIER_PORT + ">\r\n", answer));
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        Matcher connected = linphonec.awaitLine(CONNECTED, WAIT);

        linphonec.command("terminate " + connected.group(1));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        linphonec.awaitLine(ENDED, WAIT);
    }

    @Test
    @Tag("IC-CNAM-IN")
    void receivesAnInboundDidCallWithTheCnamName() throws Exception {
        String sent = InboundCallIT.inviteFromCarrier(carrier, LINPHONE_DID, NAMED_CALLER, "");
        carrier.send(sent);
        Matcher incoming = linphonec.awaitLine(INCOMING, WAIT);
        String from = incoming.group(1);
        assertTrue(from.startsWith("\"" + CALLER_NAME + "\""), () -> "the CNAM name, whole: " + from);
        assertTrue(from.contains(NAMED_CALLER), from);

        linphonec.command("answer " + incoming.group(2));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(carrier, InboundCallIT.parsed(sent), ok);
        carrier.send(call.ack());
        linphonec.awaitLine(CONNECTED, WAIT);
        carrier.send(call.request("BYE", "", ""));
        SipMessage byeAnswer = carrier.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
        assertEquals(200, byeAnswer.status(), byeAnswer::toString);
        linphonec.awaitLine(ENDED, WAIT);
    }
}
