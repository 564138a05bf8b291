package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.RtpPeer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Media anchoring (IC-DIRECT with anchorMedia, IC-DTMF, IC-FAX) over real SIP and real UDP: a
 * customer with anchorMedia whose PBX is on 127.0.0.6 (the shared test customer on 127.0.0.2 stays
 * direct-media), the carrier on 127.0.0.3, each with plain UDP sockets as its RTP endpoints, so that
 * every byte relayed can be compared with what was sent. OpenTrunk's media address is the test
 * server's SIP host (OT_MEDIA_ADDRESS unset). After every test, whatever way its call ended, the
 * relay must hold no session and no port.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MediaAnchoringIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String ANCHORED_PBX = "127.0.0.6";
    static final String ANCHORED_TECH_PREFIX = "23456789";
    static final String CALLED = "+12066418000";
    static final String INBOUND_DID = "+12065550320";
    static final int PBX_SIP_PORT = 15070;
    static final int PBX_RTP = 40000;
    static final int CARRIER_RTP = 50000;
    static final String MEDIA_ADDRESS = TestNet.TRUNK_HOST;

    static final String PBX_OFFER = "v=0\r\no=pbx 1 1 IN IP4 " + ANCHORED_PBX + "\r\ns=-\r\nc=IN IP4 " + ANCHORED_PBX
            + "\r\nt=0 0\r\nm=audio " + PBX_RTP + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n";
    static final String CARRIER_ANSWER = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=audio " + CARRIER_RTP + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    /** The carrier's fax switch (IC-FAX): 14400 bit/s and FEC, which OpenTrunk must bring down to its limits. */
    static final String CARRIER_T38_OFFER = "v=0\r\no=carrier 7 8 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=image " + (CARRIER_RTP + 2) + " udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\n"
            + "a=T38FaxRateManagement:transferredTCF\r\na=T38FaxUdpEC:t38UDPFEC\r\n";
    static final String PBX_T38_ANSWER = "v=0\r\no=pbx 1 2 IN IP4 " + ANCHORED_PBX + "\r\ns=-\r\nc=IN IP4 " + ANCHORED_PBX
            + "\r\nt=0 0\r\nm=image " + (PBX_RTP + 2) + " udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:9600\r\n"
            + "a=T38FaxRateManagement:transferredTCF\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n";

    private SipTestClient carrier;
    private SipTestClient pbx;
    private RtpPeer pbxRtp;
    private RtpPeer carrierRtp;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provisionAndListen() throws Exception {
        TestNetProvisioning.ensure();
        long customer = ensureAnchoredCustomer();
        InboundCallIT.number(customer, INBOUND_DID, false,
                "[{\"type\":\"host\",\"target\":\"" + ANCHORED_PBX + ":" + PBX_SIP_PORT + "\",\"priority\":0}]");
        var trunk = SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT);
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT, trunk);
        pbx = new SipTestClient(Transport.UDP, ANCHORED_PBX, PBX_SIP_PORT, trunk);
        pbxRtp = new RtpPeer(ANCHORED_PBX, PBX_RTP);
        carrierRtp = new RtpPeer(TestNet.CARRIER, CARRIER_RTP);
    }

    @AfterEach
    void closeAndCheckPortsReleased() throws Exception {
        carrier.close();
        pbx.close();
        pbxRtp.close();
        carrierRtp.close();
        // (g) ports released after every ending: each test's call is over by now
        JsonObject after = MediaTimeoutIT.awaitMedia(ApiClient.asAdmin(),
                m -> m.getInt("sessions") == 0 && m.getInt("portPairsInUse") == 0, WAIT);
        assertEquals(0, after.getInt("sessions"), after::toString);
        assertEquals(0, after.getInt("portPairsInUse"), after::toString);
        assertEquals(5000, after.getInt("portPairsFree"), () -> "OT_RTP_PORTS default 20000-29999: " + after);
    }

    static long ensureAnchoredCustomer() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        for (JsonValue v : api.get("/api/v1/customers").array()) {
            JsonObject c = v.asJsonObject();
            if (ANCHORED_TECH_PREFIX.equals(c.getString("techPrefix"))) {
                return c.getJsonNumber("id").longValue();
            }
        }
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"Anchored PBX\",\"techPrefix\":\"" + ANCHORED_TECH_PREFIX
                + "\",\"ips\":[\"" + ANCHORED_PBX + "\"],\"maxChannels\":100,\"maxCps\":100,\"anchorMedia\":true}");
        assertEquals(201, r.status(), r::toString);
        return r.json().getJsonNumber("id").longValue();
    }

    static JsonObject media() throws Exception {
        ApiClient.Reply r = ApiClient.asAdmin().get("/api/v1/media");
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    /** The live call whose customer leg has {@code callId}, from /api/v1/calls. */
    static Optional<JsonObject> liveCall(String callId) throws Exception {
        return ApiClient.asAdmin().get("/api/v1/calls").array().stream().map(JsonValue::asJsonObject)
                .filter(c -> callId.equals(c.getString("customerCallId", null))).findFirst();
    }

    static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }

    // ---- an anchored outbound call

    /**
     * An answered outbound call of the anchored customer.
     *
     * @param relayForPbx     where OpenTrunk told the PBX to send media
     * @param relayForCarrier where OpenTrunk told the carrier to send media
     */
    record AnchoredCall(SipMessage invite, Dialog pbxSide, SipMessage atCarrier, Dialog carrierSide,
                        InetSocketAddress relayForPbx, InetSocketAddress relayForCarrier) {
    }

    private AnchoredCall establish() throws Exception {
        String text = pbx.newRequest("INVITE", "sip:" + ANCHORED_TECH_PREFIX + "*" + CALLED + "@" + TestNet.TRUNK_DOMAIN,
                "Content-Type: application/sdp\r\n", PBX_OFFER);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        InetSocketAddress relayForCarrier = anchoredAddress(atCarrier.body(), "audio");
        carrier.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + TestNet.CARRIER + ":15060>\r\n",
                CARRIER_ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        InetSocketAddress relayForPbx = anchoredAddress(ok.body(), "audio");
        assertFalse(relayForPbx.equals(relayForCarrier), "one port pair per leg");
        Dialog pbxSide = new Dialog(pbx, parsed(text), ok);
        pbx.send(pbxSide.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        return new AnchoredCall(parsed(text), pbxSide, atCarrier, Dialog.calleeSide(carrier, atCarrier, "gw1"),
                relayForPbx, relayForCarrier);
    }

    /** The relay's address in an SDP OpenTrunk sent: its media address, a port of OT_RTP_PORTS. */
    static InetSocketAddress anchoredAddress(String sdp, String media) {
        assertEquals(MEDIA_ADDRESS, RtpPeer.connectionAddress(sdp), () -> "anchored: OpenTrunk's media address in\n" + sdp);
        assertFalse(sdp.contains(ANCHORED_PBX + "\r\nt=") && sdp.contains("c=IN IP4 " + ANCHORED_PBX), sdp);
        int port = RtpPeer.mediaPort(sdp, media);
        assertTrue(port >= 20000 && port <= 29999 && port % 2 == 0, () -> "an even port of OT_RTP_PORTS: " + port);
        return new InetSocketAddress(MEDIA_ADDRESS, port);
    }

    private void hangUpFromPbx(AnchoredCall call) throws Exception {
        pbx.send(call.pbxSide().request("BYE", "", ""));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
    }

    /**
     * Sends {@code packet} from {@code from} to {@code relay} until it comes out at {@code to} (the
     * first packets may race the relay learning the far end's address), and returns what came out.
     */
    static RtpPeer.Received relayed(RtpPeer from, InetSocketAddress relay, byte[] packet, RtpPeer to) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            from.send(packet, relay);
            Optional<RtpPeer.Received> out = to.receive(Duration.ofMillis(200));
            if (out.isPresent()) {
                return out.get();
            }
        }
        throw new AssertionError("nothing relayed from " + from.localAddress() + " via " + relay + " to " + to.localAddress());
    }

    static byte[] voice(int sequence, long ssrc) {
        byte[] payload = new byte[160];
        Arrays.fill(payload, (byte) (sequence & 0x7f));
        return RtpPeer.rtp(0, false, sequence, 160L * sequence, ssrc, payload);
    }

    /** Media relayed both ways, unchanged, each side seeing it come from OpenTrunk's port for it. */
    private void assertRelaysBothWays(AnchoredCall call, RtpPeer pbxMedia, int sequence) throws Exception {
        byte[] up = voice(sequence, 0x11223344L);
        RtpPeer.Received atCarrier = relayed(pbxMedia, call.relayForPbx(), up, carrierRtp);
        assertArrayEquals(up, atCarrier.data(), "RTP forwarded unchanged: payload, SSRC, sequence, timestamp");
        assertEquals(call.relayForCarrier(), atCarrier.source(), "from the port OpenTrunk gave the carrier");
        byte[] down = voice(sequence + 500, 0x55667788L);
        RtpPeer.Received atPbx = relayed(carrierRtp, call.relayForCarrier(), down, pbxMedia);
        assertArrayEquals(down, atPbx.data());
        assertEquals(call.relayForPbx(), atPbx.source(), "from the port OpenTrunk gave the PBX");
    }

    // ---- (a) both parties see OpenTrunk's address, RTP is relayed unchanged

    @Test
    @Tag("IC-DIRECT")
    void anchoredCallRelaysRtpBothWaysUnchanged() throws Exception {
        AnchoredCall call = establish();
        assertTrue(call.atCarrier().body().contains("a=rtpmap:101 telephone-event/8000"), "codecs pass unchanged");
        assertRelaysBothWays(call, pbxRtp, 1);
        JsonObject live = liveCall(call.invite().header("Call-ID").orElseThrow()).orElseThrow();
        assertTrue(live.getBoolean("anchored"), live::toString);
        JsonObject media = media();
        assertEquals(1, media.getInt("sessions"), media::toString);
        assertEquals(2, media.getInt("portPairsInUse"), media::toString);
        hangUpFromPbx(call);
    }

    @Test
    @Tag("IC-DIRECT")
    void directMediaCustomerIsNotAnchored() throws Exception {
        try (SipTestClient directPbx = new SipTestClient(Transport.UDP, TestNet.CUSTOMER_PBX,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT))) {
            String text = directPbx.newRequest("INVITE", "sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED
                    + "@" + TestNet.TRUNK_DOMAIN, "Content-Type: application/sdp\r\n", OutboundCallIT.OFFER);
            directPbx.send(text);
            SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            assertEquals(TestNet.CUSTOMER_PBX, RtpPeer.connectionAddress(atCarrier.body()), "IC-DIRECT: untouched");
            assertEquals(0, media().getInt("sessions"));
            OutboundCallIT.answerAndHangUp(directPbx, parsed(text), carrier, atCarrier, "");
        }
    }

    // ---- (b) RFC 4733 telephone-events are counted

    @Test
    @Tag("IC-DTMF")
    void telephoneEventsAreCountedOnTheLiveCall() throws Exception {
        AnchoredCall call = establish();
        assertRelaysBothWays(call, pbxRtp, 1); // both descriptions in force at the relay
        int sequence = 10;
        for (int digit : new int[] {4, 2}) {
            long timestamp = 10_000L * (digit + 1);
            pbxRtp.send(RtpPeer.rtp(101, true, sequence++, timestamp, 0x11223344L, RtpPeer.telephoneEvent(digit, false, 160)),
                    call.relayForPbx());
            for (int copy = 0; copy < 3; copy++) { // the end packet, sent three times (RFC 4733 2.5.1.4)
                pbxRtp.send(RtpPeer.rtp(101, false, sequence++, timestamp, 0x11223344L, RtpPeer.telephoneEvent(digit, true, 800)),
                        call.relayForPbx());
            }
        }
        String callId = call.invite().header("Call-ID").orElseThrow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int digits = -1;
        while (System.nanoTime() < deadline && digits != 2) {
            digits = liveCall(callId).orElseThrow().getInt("dtmfDigits");
            Thread.sleep(50);
        }
        assertEquals(2, digits, "two digits, each end packet counted once");
        int relayedEvents = 0;
        while (carrierRtp.receive(Duration.ofMillis(300)).isPresent()) {
            relayedEvents++;
        }
        assertEquals(8, relayedEvents, "telephone-events are relayed like any RTP, copies included");
        hangUpFromPbx(call);
    }

    // ---- (c) and (d) T.38 re-INVITE from the carrier, accepted or refused (IC-FAX)

    /** The carrier re-INVITEs to T.38; returns the re-INVITE as the PBX received it. */
    private SipMessage carrierSwitchesToFax(AnchoredCall call, String[] sentReinvite) throws Exception {
        sentReinvite[0] = call.carrierSide().request("INVITE", "", CARRIER_T38_OFFER);
        carrier.send(sentReinvite[0]);
        SipMessage atPbx = pbx.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        String sdp = atPbx.body();
        assertEquals(call.relayForPbx(), anchoredAddress(sdp, "image"), "the fax stream on the PBX leg's ports");
        assertTrue(sdp.contains("a=T38MaxBitRate:9600"), sdp);
        assertTrue(sdp.contains("a=T38FaxUdpEC:t38UDPRedundancy"), sdp);
        assertFalse(sdp.contains("t38UDPFEC"), sdp);
        return atPbx;
    }

    /** The ACK for a 2xx to an in-dialog INVITE the test sent: its CSeq number, a new branch. */
    static String ackOf(String reinvite) {
        SipMessage sent = parsed(reinvite);
        String number = sent.header("CSeq").orElseThrow().split(" ")[0];
        String head = reinvite.substring(0, reinvite.indexOf("\r\n\r\n"))
                .replaceFirst("^INVITE ", "ACK ")
                .replaceFirst("CSeq: " + number + " INVITE", "CSeq: " + number + " ACK")
                .replaceFirst("branch=z9hG4bK[0-9a-f]+", "branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                .replaceFirst("Content-Type: application/sdp\r\n", "")
                .replaceFirst("Content-Length: \\d+", "Content-Length: 0");
        return head + "\r\n\r\n";
    }

    @Test
    @Tag("IC-FAX") @Tag("IC-CDR")
    void acceptedT38SwitchRelaysUdptlAndMarksTheCdr() throws Exception {
        AnchoredCall call = establish();
        assertRelaysBothWays(call, pbxRtp, 1);
        String[] reinvite = new String[1];
        SipMessage atPbx = carrierSwitchesToFax(call, reinvite);
        pbx.send(atPbx.response(200, "OK", null, "Contact: <sip:pbx@" + ANCHORED_PBX + ":" + PBX_SIP_PORT + ">\r\n", PBX_T38_ANSWER));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        assertEquals(call.relayForCarrier(), anchoredAddress(ok.body(), "image"));
        assertTrue(ok.body().contains("a=T38FaxUdpEC:t38UDPRedundancy"), ok::body);
        carrier.send(ackOf(reinvite[0]));
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);

        try (RtpPeer pbxFax = new RtpPeer(ANCHORED_PBX, PBX_RTP + 2);
             RtpPeer carrierFax = new RtpPeer(TestNet.CARRIER, CARRIER_RTP + 2)) {
            // UDPTL (T.38 Annex A) packets: sequence number, primary IFP, redundancy; relayed as they are
            byte[] up = {0x00, 0x01, 0x06, (byte) 0xd0, 0x04, 0x00, 0x01, 0x02, 0x00};
            RtpPeer.Received atCarrier = relayed(pbxFax, call.relayForPbx(), up, carrierFax);
            assertArrayEquals(up, atCarrier.data(), "UDPTL relayed unchanged, redundancy included");
            assertEquals(call.relayForCarrier(), atCarrier.source());
            byte[] down = {0x00, 0x07, 0x03, 0x40, 0x22, 0x11, 0x01, 0x02, 0x40, 0x22};
            RtpPeer.Received atPbxFax = relayed(carrierFax, call.relayForCarrier(), down, pbxFax);
            assertArrayEquals(down, atPbxFax.data());
            assertEquals(call.relayForPbx(), atPbxFax.source());
        }
        hangUpFromPbx(call);
        JsonObject cdr = awaitCdr(call.invite().header("Call-ID").orElseThrow());
        assertTrue(cdr.getBoolean("fax"), () -> "IC-FAX: the CDR marks fax: " + cdr);
    }

    @Test
    @Tag("IC-FAX")
    void refusedT38SwitchKeepsTheCallOnG711() throws Exception {
        AnchoredCall call = establish();
        assertRelaysBothWays(call, pbxRtp, 1);
        String[] reinvite = new String[1];
        SipMessage atPbx = carrierSwitchesToFax(call, reinvite);
        pbx.send(atPbx.response(488, "Not Acceptable Here", null, "", ""));
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT); // the container's ACK of the 488
        SipMessage refusal = carrier.await(m -> m.isResponse() && "INVITE".equals(m.method()) && m.status() >= 200, WAIT);
        assertEquals(488, refusal.status(), "the refusal goes back to the re-INVITE's sender");
        carrier.send(SipTestClient.ackFor(parsed(reinvite[0]), refusal));
        pbxRtp.drain();
        carrierRtp.drain();
        assertRelaysBothWays(call, pbxRtp, 100); // still up, still G.711 on the same ports
        hangUpFromPbx(call);
        JsonObject cdr = awaitCdr(call.invite().header("Call-ID").orElseThrow());
        assertFalse(cdr.getBoolean("fax"), cdr::toString);
        assertEquals("caller_bye", cdr.getString("disconnectCause"), cdr::toString);
    }

    @Test
    @Tag("IC-DIRECT") @Tag("IC-FAX") @Tag("IC-CDR")
    void directMediaT38SwitchGetsTheLimitsInTheAnswerTooAndMarksTheCdr() throws Exception {
        try (SipTestClient directPbx = new SipTestClient(Transport.UDP, TestNet.CUSTOMER_PBX,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT))) {
            String text = directPbx.newRequest("INVITE", "sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED
                    + "@" + TestNet.TRUNK_DOMAIN, "Content-Type: application/sdp\r\n", OutboundCallIT.OFFER);
            directPbx.send(text);
            SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            carrier.send(atCarrier.response(200, "OK", "gw4", "Contact: <sip:gw@" + TestNet.CARRIER + ":15060>\r\n",
                    OutboundCallIT.ANSWER));
            SipMessage ok = directPbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
            Dialog call = new Dialog(directPbx, parsed(text), ok);
            directPbx.send(call.ack());
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);

            String reinvite = call.request("INVITE", "", PBX_T38_ANSWER.replace(ANCHORED_PBX, TestNet.CUSTOMER_PBX));
            directPbx.send(reinvite);
            SipMessage fax = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            assertEquals(TestNet.CUSTOMER_PBX, RtpPeer.connectionAddress(fax.body()), "IC-DIRECT: not anchored");
            carrier.send(fax.response(200, "OK", null, "Contact: <sip:gw@" + TestNet.CARRIER + ":15060>\r\n",
                    CARRIER_T38_OFFER));
            SipMessage accepted = directPbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
            assertTrue(accepted.body().contains("a=T38MaxBitRate:9600"), () -> "IC-FAX in the answer too: " + accepted.body());
            assertTrue(accepted.body().contains("a=T38FaxUdpEC:t38UDPRedundancy"), accepted::body);
            assertEquals(TestNet.CARRIER, RtpPeer.connectionAddress(accepted.body()));
            directPbx.send(ackOf(reinvite));
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
            directPbx.send(call.request("BYE", "", ""));
            SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
            carrier.send(bye.response(200, "OK", null, "", ""));
            directPbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
            JsonObject cdr = awaitCdr(parsed(text).header("Call-ID").orElseThrow());
            assertTrue(cdr.getBoolean("fax"), cdr::toString);
        }
    }

    // ---- (e) symmetric RTP latching

    @Test
    void rtpFromAnotherPortThanTheSdpsIsLatchedAndAnsweredThere() throws Exception {
        AnchoredCall call = establish();
        try (RtpPeer natted = new RtpPeer(ANCHORED_PBX, PBX_RTP + 10); // a PBX behind NAT: its SDP says 40000
             RtpPeer intruder = new RtpPeer(TestNet.STRANGER, 0)) {
            byte[] up = voice(1, 0x0badcafeL);
            assertArrayEquals(up, relayed(natted, call.relayForPbx(), up, carrierRtp).data());
            byte[] down = voice(2, 0x55667788L);
            RtpPeer.Received atNatted = relayed(carrierRtp, call.relayForCarrier(), down, natted);
            assertArrayEquals(down, atNatted.data(), "answered where the PBX's media came from");
            assertTrue(pbxRtp.receive(Duration.ofMillis(300)).isEmpty(), "not to the SDP's port any more");
            intruder.send(voice(3, 0x66666666L), call.relayForPbx());
            assertTrue(carrierRtp.receive(Duration.ofMillis(500)).isEmpty(), "no hijacking from another source");
        }
        hangUpFromPbx(call);
    }

    // ---- (g) ports released however the call ends (checked after each test)

    @Test
    void portsAreReleasedWhenTheCarrierRefuses() throws Exception {
        String text = pbx.newRequest("INVITE", "sip:" + ANCHORED_TECH_PREFIX + "*" + CALLED + "@" + TestNet.TRUNK_DOMAIN,
                "Content-Type: application/sdp\r\n", PBX_OFFER);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        anchoredAddress(atCarrier.body(), "audio");
        carrier.send(atCarrier.response(486, "Busy Here", "gw2", "", ""));
        SipMessage busy = pbx.await(m -> m.isResponse() && m.status() >= 200, WAIT);
        assertEquals(486, busy.status());
        pbx.send(SipTestClient.ackFor(parsed(text), busy));
    }

    @Test
    void portsAreReleasedWhenTheCallerCancels() throws Exception {
        String text = pbx.newRequest("INVITE", "sip:" + ANCHORED_TECH_PREFIX + "*" + CALLED + "@" + TestNet.TRUNK_DOMAIN,
                "Content-Type: application/sdp\r\n", PBX_OFFER);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        String ringing = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
                + "m=audio " + CARRIER_RTP + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        carrier.send(atCarrier.response(183, "Session Progress", "gw3", "Contact: <sip:gw@" + TestNet.CARRIER + ":15060>\r\n", ringing));
        SipMessage progress = pbx.await(m -> m.isResponse() && m.status() == 183, WAIT);
        InetSocketAddress relayForPbx = anchoredAddress(progress.body(), "audio");
        InetSocketAddress relayForCarrier = anchoredAddress(atCarrier.body(), "audio");
        byte[] announcement = voice(7, 0x77777777L);
        assertArrayEquals(announcement, relayed(carrierRtp, relayForCarrier, announcement, pbxRtp).data(),
                "early media is relayed too");
        assertEquals(relayForPbx, relayed(carrierRtp, relayForCarrier, announcement, pbxRtp).source());
        String cancel = text.substring(0, text.indexOf("\r\n\r\n")).replaceFirst("^INVITE ", "CANCEL ")
                .replaceFirst("CSeq: (\\d+) INVITE", "CSeq: $1 CANCEL").replaceFirst("Content-Type: application/sdp\r\n", "")
                .replaceFirst("Content-Length: \\d+", "Content-Length: 0") + "\r\n\r\n";
        pbx.send(cancel);
        SipMessage atCarrierCancel = carrier.await(m -> !m.isResponse() && "CANCEL".equals(m.method()), WAIT);
        carrier.send(atCarrierCancel.response(200, "OK", null, "", ""));
        carrier.send(atCarrier.response(487, "Request Terminated", "gw3", "", ""));
        SipMessage terminated = pbx.await(m -> m.isResponse() && m.status() == 487, WAIT);
        pbx.send(SipTestClient.ackFor(parsed(text), terminated));
    }

    // ---- inbound: the customer is the callee

    @Test
    void anchoredInboundCall() throws Exception {
        String text = carrier.newRequest("INVITE", "sip:" + INBOUND_DID + "@" + TestNet.TRUNK_DOMAIN,
                "Content-Type: application/sdp\r\n", CARRIER_ANSWER);
        carrier.send(text);
        SipMessage atPbx = pbx.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        InetSocketAddress relayForPbx = anchoredAddress(atPbx.body(), "audio");
        pbx.send(atPbx.response(200, "OK", "p1", "Contact: <sip:pbx@" + ANCHORED_PBX + ":" + PBX_SIP_PORT + ">\r\n", PBX_OFFER));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        InetSocketAddress relayForCarrier = anchoredAddress(ok.body(), "audio");
        SipMessage sent = parsed(text);
        Dialog carrierSide = new Dialog(carrier, sent, ok);
        carrier.send(carrierSide.ack());
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        AnchoredCall call = new AnchoredCall(sent, null, null, null, relayForPbx, relayForCarrier);
        assertRelaysBothWays(call, pbxRtp, 1);
        carrier.send(carrierSide.request("BYE", "", ""));
        SipMessage bye = pbx.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        pbx.send(bye.response(200, "OK", null, "", ""));
        carrier.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
    }

    /** The CDR of the call whose customer leg had {@code callId}, once written. */
    static JsonObject awaitCdr(String callId) {
        return ApiClient.asAdmin().awaitCdr(callId);
    }
}
