package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.RtpPeer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * RTP bleed (issue 25) through the running trunk: while an attacker on 127.0.0.149 sprays RTP over
 * the whole relay range ({@code OT_RTP_PORTS}, 50 pairs here) and listens, anchored calls are set
 * up over SIP, the carrier talks first while the PBX is still silent (the moment a first-packet
 * latch would have handed the leg to the sprayer), then both talk. Each side must hear exactly the
 * other, the attacker nothing. Bounded: the spray is a sweep then 2 ms, at most a minute.
 */
@Tag("IC-DIRECT")
class RtpBleedIT {

    private static final String HOST = "127.0.0.141";
    private static final int SIP_PORT = 16570;
    private static final int HTTP_PORT = 20590;
    private static final String PBX = "127.0.0.143";
    private static final String CARRIER = "127.0.0.146";
    private static final String ATTACKER = "127.0.0.149";
    private static final int CARRIER_SIP_PORT = 15060;
    private static final int RTP_FIRST = 36300;
    private static final int RTP_LAST = 36399;
    private static final String PREFIX = "91119111";
    private static final String DOMAIN = "bleed.test";
    private static final String PASSWORD = "rtp-bleed-it-secret";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int CALLS = 3;
    private static final int PACKETS = 50;
    private static final long ATTACKER_SSRC = 0x66666666L;

    @Test
    void aSprayOfTheRelayRangeNeitherHearsNorSpeaksInAnchoredCalls() throws Exception {
        LibertyServer server = LibertyServer.create("rtp-bleed-it", Map.of("OT_SIP_HOST", HOST,
                "OT_SIP_PORT", String.valueOf(SIP_PORT), "OT_HTTP_HOST", HOST, "OT_HTTP_PORT", String.valueOf(HTTP_PORT),
                "OT_ADMIN_PASSWORD", PASSWORD, "OT_SIP_DOMAIN", DOMAIN, "OT_CARRIER_PROBE_INTERVAL", "0",
                "OT_MEDIA_ADDRESS", HOST, "OT_RTP_PORTS", RTP_FIRST + "-" + RTP_LAST));
        server.start();
        try (Spray spray = new Spray()) {
            ApiClient api = ApiClient.asAdmin(HOST, HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_SIP_PORT + "}").status());
            ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"anchored\",\"techPrefix\":\"" + PREFIX
                    + "\",\"ips\":[\"" + PBX + "\"],\"maxChannels\":100,\"maxCps\":100,\"anchorMedia\":true}");
            assertEquals(201, customer.status(), customer::toString);

            InetSocketAddress trunk = SipTestClient.address(HOST, SIP_PORT);
            try (SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, trunk);
                 SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_SIP_PORT, trunk)) {
                spray.start();
                for (int i = 0; i < CALLS; i++) {
                    oneCall(i, pbx, carrier, spray);
                }
            }
            JsonObject media = api.get("/api/v1/media").json();
            assertTrue(media.getJsonNumber("droppedUnlatched").longValue() >= CALLS * 2L * 2 * 3,
                    "the spray reached the calls' ports and was dropped: " + media);
            assertEquals(0, spray.received.get(), "the attacker heard nothing");
            assertTrue(spray.sweeps.get() >= CALLS * 6L, "the range was sprayed throughout: " + spray.sweeps.get());
        } finally {
            server.stop();
        }
    }

    private void oneCall(int n, SipTestClient pbx, SipTestClient carrier, Spray spray) throws Exception {
        long pbxSsrc = 0x1000 + n;
        long carrierSsrc = 0x2000 + n;
        try (RtpPeer pbxRtp = new RtpPeer(PBX, 40000 + 2 * n); RtpPeer carrierRtp = new RtpPeer(CARRIER, 50000 + 2 * n)) {
            String offer = sdp(PBX, pbxRtp.localAddress().getPort());
            String text = pbx.newRequest("INVITE", "sip:" + PREFIX + "*+12066418000@" + DOMAIN,
                    "Content-Type: application/sdp\r\n", offer);
            pbx.send(text);
            SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            InetSocketAddress relayForCarrier = relay(atCarrier.body());
            spray.awaitSweeps(3); // ringing: the legs' ports are sprayed before anyone talks
            carrier.send(atCarrier.response(200, "OK", "gw" + n, "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_SIP_PORT + ">\r\n",
                    sdp(CARRIER, carrierRtp.localAddress().getPort())));
            SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
            InetSocketAddress relayForPbx = relay(ok.body());
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Dialog pbxSide = new Dialog(pbx, SipMessage.parse(bytes, bytes.length), ok);
            pbx.send(pbxSide.ack());
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
            spray.awaitSweeps(3); // answered, nothing latched yet: the instant a first-packet latch was lost

            // the carrier talks first, the PBX is silent: its audio must reach the PBX, not the sprayer
            for (int i = 0; i < 20; i++) {
                carrierRtp.send(RtpPeer.rtp(0, false, i, 160L * i, carrierSsrc, new byte[160]), relayForCarrier);
                Thread.sleep(2);
            }
            assertEquals(List.of(20L, 0L), count(pbxRtp, carrierSsrc), "the PBX heard the carrier, and only the carrier");
            // then both talk, the spray going on
            for (int i = 0; i < PACKETS; i++) {
                pbxRtp.send(RtpPeer.rtp(0, false, i, 160L * i, pbxSsrc, new byte[160]), relayForPbx);
                carrierRtp.send(RtpPeer.rtp(0, false, 20 + i, 160L * (20 + i), carrierSsrc, new byte[160]), relayForCarrier);
                Thread.sleep(2);
            }
            assertEquals(List.of((long) PACKETS, 0L), count(carrierRtp, pbxSsrc), "the carrier heard the PBX, and only it");
            assertEquals(List.of((long) PACKETS, 0L), count(pbxRtp, carrierSsrc), "the PBX heard the carrier, and only it");

            pbx.send(pbxSide.request("BYE", "", ""));
            SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
            carrier.send(bye.response(200, "OK", null, "", ""));
            pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
        }
    }

    /** [packets with {@code expected} SSRC, packets with any other] until the peer is quiet for 300 ms. */
    private static List<Long> count(RtpPeer peer, long expected) throws Exception {
        long right = 0;
        long wrong = 0;
        for (Optional<RtpPeer.Received> r = peer.receive(Duration.ofMillis(300)); r.isPresent();
             r = peer.receive(Duration.ofMillis(300))) {
            long ssrc = ByteBuffer.wrap(r.get().data()).getInt(8) & 0xFFFFFFFFL;
            if (ssrc == expected) {
                right++;
            } else {
                wrong++;
            }
        }
        return List.of(right, wrong);
    }

    private static String sdp(String address, int port) {
        return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n";
    }

    /** The relay's address in an SDP OpenTrunk sent. */
    private static InetSocketAddress relay(String sdp) {
        assertEquals(HOST, RtpPeer.connectionAddress(sdp), sdp);
        int port = RtpPeer.mediaPort(sdp, "audio");
        assertTrue(port >= RTP_FIRST && port <= RTP_LAST, sdp);
        return new InetSocketAddress(HOST, port);
    }

    /** The attacker: one RTP packet to every port of the range per sweep, and an ear for anything back. */
    private static final class Spray implements AutoCloseable {
        final AtomicLong sweeps = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        private final DatagramSocket socket;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Spray() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(ATTACKER, 0));
            socket.setSoTimeout(100);
        }

        void start() {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            threads.add(new Thread(() -> {
                int sequence = 0;
                try {
                    while (running && System.nanoTime() < deadline) {
                        for (int port = RTP_FIRST; port <= RTP_LAST; port++) {
                            byte[] packet = RtpPeer.rtp(0, false, sequence, 160L * sequence, ATTACKER_SSRC, new byte[160]);
                            sequence++;
                            socket.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(HOST, port)));
                        }
                        sweeps.incrementAndGet();
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    // closed: the test is over
                }
            }, "rtp-bleed-it-spray"));
            threads.add(new Thread(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                while (running) {
                    try {
                        socket.receive(packet);
                        received.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // nothing, as it should be
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "rtp-bleed-it-ear"));
            threads.forEach(Thread::start);
        }

        void awaitSweeps(int n) throws InterruptedException {
            long target = sweeps.get() + n;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sweeps.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(sweeps.get() >= target, "the spray is running");
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(5000);
            }
            socket.close();
        }
    }
}
