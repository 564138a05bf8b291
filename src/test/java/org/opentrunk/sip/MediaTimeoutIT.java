package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.RtpPeer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Anchored calls on a server of their own with a 3 s media timeout (OT_MEDIA_TIMEOUT), digits kept
 * (OT_MEDIA_KEEP_DIGITS) and a ten-pair port range (OT_RTP_PORTS): a call whose media stops is hung
 * up on both sides like a session-timer expiry, and the digits reach the CDR.
 */
class MediaTimeoutIT {

    private static final int SIP_PORT = 15560;
    private static final int HTTP_PORT = 19580;
    private static final String PASSWORD = "media-it-secret";
    private static final String DOMAIN = "media.test";
    private static final String PBX = "127.0.0.51";
    private static final String CARRIER = "127.0.0.52";
    private static final String MEDIA_ADDRESS = "127.0.0.1";
    private static final String TECH_PREFIX = "51515151";
    private static final int PAIRS = 10;
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=pbx 1 1 IN IP4 " + PBX + "\r\ns=-\r\nc=IN IP4 " + PBX + "\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    private static final String ANSWER = "v=0\r\no=gw 7 7 IN IP4 " + CARRIER + "\r\ns=-\r\nc=IN IP4 " + CARRIER + "\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private static LibertyServer server;
    private static ApiClient api;
    private SipTestClient pbx;
    private SipTestClient carrier;
    private RtpPeer pbxRtp;
    private RtpPeer carrierRtp;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.create("media-it", Map.ofEntries(Map.entry("OT_SIP_HOST", "127.0.0.1"),
                Map.entry("OT_SIP_PORT", String.valueOf(SIP_PORT)), Map.entry("OT_HTTP_HOST", "127.0.0.1"),
                Map.entry("OT_HTTP_PORT", String.valueOf(HTTP_PORT)), Map.entry("OT_ADMIN_PASSWORD", PASSWORD),
                Map.entry("OT_SIP_DOMAIN", DOMAIN), Map.entry("OT_CARRIER_PROBE_INTERVAL", "0"),
                Map.entry("OT_MEDIA_ADDRESS", MEDIA_ADDRESS), Map.entry("OT_RTP_PORTS", "31000-31019"),
                Map.entry("OT_MEDIA_TIMEOUT", String.valueOf(MEDIA_TIMEOUT.toSeconds())),
                Map.entry("OT_MEDIA_KEEP_DIGITS", "true")));
        server.start();
        api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
        assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"anchored\",\"techPrefix\":\"" + TECH_PREFIX
                + "\",\"ips\":[\"" + PBX + "\"],\"anchorMedia\":true}").status());
        assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":15060}").status());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void peers() throws Exception {
        var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
        pbx = new SipTestClient(Transport.UDP, PBX, trunk);
        carrier = new SipTestClient(Transport.UDP, CARRIER, 15060, trunk);
        pbxRtp = new RtpPeer(PBX, 40000);
        carrierRtp = new RtpPeer(CARRIER, 50000);
    }

    @AfterEach
    void closeAndCheckPortsReleased() throws Exception {
        pbx.close();
        carrier.close();
        pbxRtp.close();
        carrierRtp.close();
        JsonObject after = awaitMedia(api, m -> m.getInt("portPairsFree") == PAIRS, WAIT);
        assertEquals(PAIRS, after.getInt("portPairsFree"), after::toString);
        assertEquals(0, after.getInt("sessions"), after::toString);
    }

    private record Call(SipMessage invite, Dialog pbxSide, InetSocketAddress relayForPbx, InetSocketAddress relayForCarrier) {
    }

    private Call establish() throws Exception {
        String text = pbx.newRequest("INVITE", "sip:" + TECH_PREFIX + "*+12066418000@" + DOMAIN,
                "Content-Type: application/sdp\r\n", OFFER);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SipMessage invite = SipMessage.parse(bytes, bytes.length);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        assertEquals(MEDIA_ADDRESS, RtpPeer.connectionAddress(atCarrier.body()));
        carrier.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + CARRIER + ":15060>\r\n", ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        assertEquals(MEDIA_ADDRESS, RtpPeer.connectionAddress(ok.body()));
        Dialog call = new Dialog(pbx, invite, ok);
        pbx.send(call.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        Call established = new Call(invite, call, new InetSocketAddress(MEDIA_ADDRESS, RtpPeer.mediaPort(ok.body(), "audio")),
                new InetSocketAddress(MEDIA_ADDRESS, RtpPeer.mediaPort(atCarrier.body(), "audio")));
        byte[] voice = RtpPeer.rtp(0, false, 1, 160, 0x01020304L, new byte[160]);
        assertArrayEquals(voice, MediaAnchoringIT.relayed(pbxRtp, established.relayForPbx(), voice, carrierRtp).data());
        assertArrayEquals(voice, MediaAnchoringIT.relayed(carrierRtp, established.relayForCarrier(), voice, pbxRtp).data());
        return established;
    }

    private JsonObject awaitCdr(String callId) {
        return api.awaitCdr(callId);
    }

    @Test
    void aCallWhoseMediaStopsIsHungUpOnBothSides() throws Exception {
        Call call = establish();
        long silentSince = System.nanoTime();
        Duration limit = MEDIA_TIMEOUT.plus(WAIT);
        SipMessage byeAtPbx = pbx.await(m -> !m.isResponse() && "BYE".equals(m.method()), limit);
        Duration silence = Duration.ofNanos(System.nanoTime() - silentSince);
        assertTrue(silence.compareTo(MEDIA_TIMEOUT.minusMillis(500)) >= 0, () -> "not before the media timeout: " + silence);
        pbx.send(byeAtPbx.response(200, "OK", null, "", ""));
        SipMessage byeAtCarrier = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(byeAtCarrier.response(200, "OK", null, "", ""));
        assertTrue(byeAtPbx.header("Reason").orElse("").contains("Media timeout"), byeAtPbx::toString);
        JsonObject cdr = awaitCdr(call.invite().header("Call-ID").orElseThrow());
        assertEquals("media_timeout", cdr.getString("disconnectCause"), cdr::toString);
        assertTrue(pbxRtp.receive(Duration.ofMillis(200)).isEmpty());
    }

    @Test
    void keptDigitsReachTheCdr() throws Exception {
        Call call = establish();
        int sequence = 10;
        for (int event : new int[] {1, 11}) { // 1 and #
            long timestamp = 8000L * (event + 1);
            for (int copy = 0; copy < 3; copy++) {
                pbxRtp.send(RtpPeer.rtp(101, false, sequence++, timestamp, 0x01020304L, RtpPeer.telephoneEvent(event, true, 800)),
                        call.relayForPbx());
            }
        }
        String callId = call.invite().header("Call-ID").orElseThrow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<JsonObject> live = Optional.empty();
        while (System.nanoTime() < deadline && live.map(c -> c.getInt("dtmfDigits")).orElse(0) < 2) {
            live = api.get("/api/v1/calls").array().stream().map(JsonValue::asJsonObject)
                    .filter(c -> callId.equals(c.getString("customerCallId", null))).findFirst();
            Thread.sleep(50);
        }
        pbx.send(call.pbxSide().request("BYE", "", ""));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
        JsonObject cdr = awaitCdr(callId);
        assertEquals(2, cdr.getInt("dtmfCount"), cdr::toString);
        assertEquals("1#", cdr.getString("dtmfDigits"), cdr::toString);
        assertEquals("caller_bye", cdr.getString("disconnectCause"), cdr::toString);
    }

    /** The relay's figures (/api/v1/media) once {@code settled} holds for them, or the last ones after {@code limit}. */
    static JsonObject awaitMedia(ApiClient api, java.util.function.Predicate<JsonObject> settled, Duration limit) {
        JsonObject[] last = {null};
        try {
            org.awaitility.Awaitility.await("the relay's ports").atMost(limit).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> settled.test(last[0] = api.get("/api/v1/media").json()));
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            // the caller's assertions say what the last figures were
        }
        return last[0];
    }
}
