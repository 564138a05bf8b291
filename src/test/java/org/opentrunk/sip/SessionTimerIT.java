package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * IC-TIMER, RFC 4028 on both legs, on a server of its own with short intervals (Min-SE 2 s, default
 * interval 6 s) so that refreshes and expiries happen within seconds.
 */
@Tag("IC-TIMER")
class SessionTimerIT {

    private static final int SIP_PORT = 15460;
    private static final int HTTP_PORT = 19480;
    private static final String PASSWORD = "timer-it-secret";
    private static final String PBX = "127.0.0.41";
    private static final String CARRIER = "127.0.0.42";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.41\r\ns=-\r\nc=IN IP4 127.0.0.41\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String ANSWER = "v=0\r\no=gw 7 7 IN IP4 127.0.0.42\r\ns=-\r\nc=IN IP4 127.0.0.42\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static LibertyServer server;
    private SipTestClient pbx;
    private SipTestClient carrier;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.create("timer-it", Map.of("OT_SIP_HOST", "127.0.0.1", "OT_SIP_PORT", String.valueOf(SIP_PORT),
                "OT_HTTP_HOST", "127.0.0.1", "OT_HTTP_PORT", String.valueOf(HTTP_PORT), "OT_ADMIN_PASSWORD", PASSWORD,
                "OT_SIP_DOMAIN", "timer.test", "OT_CARRIER_PROBE_INTERVAL", "0", "OT_SESSION_MIN_SE", "2",
                "OT_SESSION_EXPIRES", "6"));
        server.start();
        ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
        assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"t\",\"techPrefix\":\"41414141\",\"ips\":[\"" + PBX + "\"]}").status());
        assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":15060}").status());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void peers() {
        var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
        pbx = new SipTestClient(Transport.UDP, PBX, trunk);
        carrier = new SipTestClient(Transport.UDP, CARRIER, 15060, trunk);
    }

    @AfterEach
    void close() throws Exception {
        pbx.close();
        carrier.close();
    }

    private record Established(SipMessage invite, SipMessage ok, SipMessage atCarrier, Dialog call) {
    }

    /** A call with the given customer headers; the carrier answers with {@code carrierHeaders}. */
    private Established establish(String customerHeaders, String carrierHeaders) throws Exception {
        String text = pbx.newRequest("INVITE", "sip:41414141*+12066418000@timer.test",
                "Content-Type: application/sdp\r\n" + customerHeaders, OFFER);
        SipMessage invite = SipMessage.parse(text.getBytes(), text.length());
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        carrier.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + CARRIER + ":15060>\r\n" + carrierHeaders, ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(pbx, invite, ok);
        pbx.send(call.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        return new Established(invite, ok, atCarrier, call);
    }

    private static SipMessage awaitRequest(SipTestClient peer, String method, Duration wait) throws Exception {
        return peer.await(m -> !m.isResponse() && method.equals(m.method()), wait);
    }

    private static void answerBye(SipTestClient peer, Duration wait) throws Exception {
        SipMessage bye = awaitRequest(peer, "BYE", wait);
        assertTrue(bye.header("Reason").orElse("").contains("Session timer"), bye::toString);
        peer.send(bye.response(200, "OK", null, "", ""));
    }

    @Test
    void aCustomerThatRefreshesKeepsTheCallUpAndRefreshesDoNotCross() throws Exception {
        Established c = establish("Supported: timer\r\nSession-Expires: 4;refresher=uac\r\n", "Session-Expires: 60;refresher=uas\r\nRequire: timer\r\n");
        assertEquals("4;refresher=uac", c.ok().header("Session-Expires").orElse(""), c.ok()::toString);
        assertEquals("timer", c.ok().header("Require").orElse(""));
        for (int i = 0; i < 4; i++) { // 6 s in all, twice the 3 s expiry
            Thread.sleep(1_500);
            SipMessage refreshed = pbx.request(c.call().request("INVITE", "Session-Expires: 4;refresher=uac\r\nSupported: timer\r\n", OFFER), WAIT);
            assertEquals(200, refreshed.status(), refreshed::toString);
            pbx.send(c.call().ack());
        }
        Optional<SipMessage> crossed = carrier.receive(Duration.ofMillis(300));
        assertTrue(crossed.isEmpty(), () -> "a refresh stays on its leg: " + crossed);
        pbx.send(c.call().request("BYE", "", ""));
        SipMessage bye = awaitRequest(carrier, "BYE", WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
    }

    @Test
    @org.junit.jupiter.api.Tag("IC-TIMER")
    void aCarriersRefreshIsAnsweredOnItsLegNamingTheCarrierAsRefresher() throws Exception {
        // RFC 4028 section 9: in the 2xx to a refresh, refresher=uac is the party that sent it.
        Established c = establish("Supported: timer\r\nSession-Expires: 60;refresher=uac\r\n",
                "Session-Expires: 60;refresher=uas\r\nRequire: timer\r\n");
        Dialog carrierSide = Dialog.calleeSide(carrier, c.atCarrier(), "gw1");
        SipMessage refreshed = carrier.request(carrierSide.request("INVITE",
                "Session-Expires: 60;refresher=uac\r\nSupported: timer\r\n", ANSWER), WAIT);
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertTrue(refreshed.header("Session-Expires").orElse("").endsWith(";refresher=uac"), refreshed::toString);
        carrier.send(carrierSide.ack(refreshed));
        Optional<SipMessage> crossed = pbx.receive(Duration.ofMillis(300));
        assertTrue(crossed.isEmpty(), () -> "a refresh stays on its leg: " + crossed);
        pbx.send(c.call().request("BYE", "", ""));
        SipMessage bye = awaitRequest(carrier, "BYE", WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
    }

    @Test
    void aCustomerThatGoesSilentIsHungUpOnBothLegsBeforeExpiry() throws Exception {
        Established c = establish("Supported: timer\r\nSession-Expires: 4;refresher=uac\r\n", "Session-Expires: 60;refresher=uas\r\n");
        long answered = System.nanoTime();
        answerBye(pbx, Duration.ofSeconds(6));
        answerBye(carrier, WAIT);
        long seconds = Duration.ofNanos(System.nanoTime() - answered).toSeconds();
        assertTrue(seconds < 4, "BYE before the 4 s interval ran out (RFC 4028 §10: at 3 s): " + seconds);
        String callId = c.invite().header("Call-ID").orElseThrow();
        ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
        assertEquals("session_timer", api.awaitCdr(callId).getString("disconnectCause"));
    }

    @Test
    void withoutTimerSupportOpenTrunkRefreshesTheCustomerLegAndTheCarrierStillGetsTimers() throws Exception {
        Established c = establish("", "Session-Expires: 60;refresher=uas\r\n");
        assertEquals("6", c.atCarrier().header("Session-Expires").orElse(""), "the carrier leg always asks for timers");
        assertTrue(c.atCarrier().header("Supported").orElse("").contains("timer"), c.atCarrier()::toString);
        assertFalse(c.ok().header("Session-Expires").isPresent(), "no timer towards a PBX that has none");
        SipMessage refresh = awaitRequest(pbx, "INVITE", Duration.ofSeconds(5)); // at 3 s, half of 6
        assertTrue(refresh.body().contains("m=audio 50000"), () -> "the refresh repeats the SDP last sent: " + refresh);
        pbx.send(refresh.response(200, "OK", null, "Contact: <sip:pbx@" + PBX + ":" + pbx.localPort() + ">\r\n", OFFER));
        awaitRequest(pbx, "ACK", WAIT);
        pbx.send(c.call().request("BYE", "", ""));
        SipMessage bye = awaitRequest(carrier, "BYE", WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
    }

    @Test
    void aCarrierThatStopsAnsweringRefreshesIsHungUpOnBothLegs() throws Exception {
        establish("Supported: timer\r\nSession-Expires: 60;refresher=uac\r\n", ""); // the carrier has no timers: OpenTrunk refreshes it
        SipMessage refresh = awaitRequest(carrier, "INVITE", Duration.ofSeconds(5)); // and it never answers
        assertTrue(refresh.header("Session-Expires").isEmpty() || refresh.header("Session-Expires").get().startsWith("6"));
        answerBye(pbx, Duration.ofSeconds(5));
        answerBye(carrier, Duration.ofSeconds(5));
    }

    @Test
    void tooSmallAnIntervalIs422AndTheRetryWithTheLargerOneWorks() throws Exception {
        SipMessage refused = pbx.request(pbx.newRequest("INVITE", "sip:41414141*+12066418000@timer.test",
                "Content-Type: application/sdp\r\nSupported: timer\r\nSession-Expires: 1\r\n", OFFER), WAIT);
        assertEquals(422, refused.status(), refused::toString);
        assertEquals("2", refused.header("Min-SE").orElse(""));
        pbx.send(pbx.newRequest("INVITE", "sip:41414141*+12066418000@timer.test",
                "Content-Type: application/sdp\r\nSupported: timer\r\nSession-Expires: 2\r\n", OFFER));
        SipMessage atCarrier = awaitRequest(carrier, "INVITE", WAIT);
        carrier.send(atCarrier.response(486, "Busy Here", "b", "", ""));
        assertEquals(486, pbx.finalResponse(WAIT).status());
    }

    @Test
    void aCarriers422IsRetriedOnceWithItsMinSe() throws Exception {
        pbx.send(pbx.newRequest("INVITE", "sip:41414141*+12066418000@timer.test", "Content-Type: application/sdp\r\n", OFFER));
        SipMessage first = awaitRequest(carrier, "INVITE", WAIT);
        carrier.send(first.response(422, "Session Interval Too Small", "s1", "Min-SE: 20\r\n", ""));
        SipMessage second = awaitRequest(carrier, "INVITE", WAIT);
        assertEquals("20", second.header("Session-Expires").orElse(""), second::toString);
        carrier.send(second.response(486, "Busy Here", "s2", "", ""));
        assertEquals(486, pbx.finalResponse(WAIT).status());
    }
}
