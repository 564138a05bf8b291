package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * RTP bleed (issue 25), performed: an attacker on 127.0.0.149 sprays RTP at every port of the
 * relay's range, before, during and after anchored calls are answered, and listens for whatever
 * comes back. The calls' endpoints must hear only each other, the attacker nothing.
 * Real UDP sockets on loopback; the spray is bounded (a sweep, then a pause; at most
 * {@link #MAX_SPRAY}).
 */
@Tag("IC-DIRECT")
class RtpBleedTest {

    private static final InetAddress RELAY = address("127.0.0.141");
    private static final InetAddress PBX = address("127.0.0.142");
    private static final InetAddress CARRIER = address("127.0.0.143");
    private static final InetAddress NATTED_PBX = address("127.0.0.144");
    private static final InetAddress ATTACKER = address("127.0.0.149");
    /** 100 pairs: the spray covers the range quickly; away from other tests' ranges. */
    private static final PortRange PORTS = new PortRange(36000, 36199);
    private static final long ATTACKER_SSRC = 0x66666666L;
    private static final Duration MAX_SPRAY = Duration.ofSeconds(60);
    private static final int PACKETS_PER_SIDE = 50;

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private RelayEngine engine;
    private Sprayer sprayer;

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends one RTP packet to every RTP and RTCP port of the range per sweep, and counts what comes back. */
    private static final class Sprayer implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicLong sweeps = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sender;
        private final Thread listener;

        Sprayer() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(ATTACKER, 0));
            socket.setSoTimeout(100);
            long deadline = System.nanoTime() + MAX_SPRAY.toNanos();
            sender = new Thread(() -> {
                int sequence = 0;
                try {
                    while (running && System.nanoTime() < deadline) {
                        for (int port = PORTS.firstRtpPort(); port <= PORTS.last(); port++) {
                            byte[] packet = RtpPackets.audio(sequence++, 160L * sequence, ATTACKER_SSRC, 0x66);
                            socket.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(RELAY, port)));
                        }
                        sweeps.incrementAndGet();
                        Thread.sleep(2); // bounded: about 100 sweeps (20,000 packets) a second at most
                    }
                } catch (IOException | InterruptedException e) {
                    // closed: the test is over
                }
            }, "rtp-bleed-sprayer");
            listener = new Thread(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                while (running) {
                    try {
                        socket.receive(packet);
                        received.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // nothing, as it should be
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "rtp-bleed-listener");
            sender.start();
            listener.start();
        }

        /** Waits until {@code n} more sweeps have covered the whole range. */
        void awaitSweeps(int n) {
            long target = sweeps.get() + n;
            Awaitility.await("the spray covers the range " + n + " times").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5)).until(() -> sweeps.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sender.join(5000);
            listener.join(5000);
            socket.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sprayer != null) {
            sprayer.close();
        }
        if (engine != null) {
            engine.stop();
        }
        sockets.forEach(DatagramSocket::close);
    }

    private DatagramSocket socket(InetAddress host) throws SocketException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0));
        socket.setSoTimeout(50);
        sockets.add(socket);
        return socket;
    }

    private void startRelay() throws IOException {
        engine = new RelayEngine(new MediaSettings(RELAY, PORTS, MediaSettings.DEFAULT_MEDIA_TIMEOUT, 1, false));
        engine.start();
    }

    /** One anchored call: the PBX (leg A) and the carrier (leg B) with their sockets and SSRCs. */
    private record Call(MediaSession session, DatagramSocket pbx, DatagramSocket carrier, long pbxSsrc,
            long carrierSsrc) {
    }

    /** Offers from the PBX, whose SDP gives {@code pbxSdpAddress}, while the spray goes on. */
    private Call offer(int number, DatagramSocket pbx, String pbxSdpAddress) throws Exception {
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = engine.createSession(new MediaListener() {
        });
        session.legA().processRemoteOffer(Sdp.audio(pbxSdpAddress, pbx.getLocalPort(), 101, "sendrecv"));
        return new Call(session, pbx, carrier, 0x1000L + number, 0x2000L + number);
    }

    private static void answer(Call call) throws MediaException {
        call.session.legB().processRemoteAnswer(
                Sdp.audio(CARRIER.getHostAddress(), call.carrier.getLocalPort(), 101, "sendrecv"));
    }

    private static void send(DatagramSocket from, InetSocketAddress to, int sequence, long ssrc) throws IOException {
        byte[] packet = RtpPackets.audio(sequence, 160L * sequence, ssrc, 0x11);
        from.send(new DatagramPacket(packet, packet.length, to));
    }

    /** What {@code socket} received until it was quiet for its timeout: the SSRCs. */
    /** Longest a side waits for the packets sent to it before counting them. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

    private static List<Long> drain(DatagramSocket socket) throws IOException {
        return drain(socket, 0);
    }

    /**
     * What reached {@code socket}: read until it stays quiet for its timeout, and, while fewer than
     * {@code expected} came, until {@link #DRAIN_LIMIT} (a busy machine delays the relay thread,
     * which must not read as a lost packet).
     */
    private static List<Long> drain(DatagramSocket socket, int expected) throws IOException {
        List<Long> ssrcs = new ArrayList<>();
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (true) {
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException quiet) {
                if (ssrcs.size() >= expected || System.nanoTime() > deadline) {
                    return ssrcs;
                }
                continue;
            }
            ssrcs.add(ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength()).getInt(8) & 0xFFFFFFFFL);
        }
    }

    /** Both sides stream as endpoints do; each must get the other's packets and nothing else. */
    private static void assertOnlyEachOther(Call call) throws Exception {
        InetSocketAddress relayA = call.session.legA().localRtpAddress();
        InetSocketAddress relayB = call.session.legB().localRtpAddress();
        for (int i = 0; i < PACKETS_PER_SIDE; i++) {
            send(call.pbx, relayA, i, call.pbxSsrc);
            send(call.carrier, relayB, i, call.carrierSsrc);
            Thread.sleep(2);
        }
        List<Long> atCarrier = drain(call.carrier, PACKETS_PER_SIDE);
        List<Long> atPbx = drain(call.pbx, PACKETS_PER_SIDE);
        assertTrue(atCarrier.stream().allMatch(s -> s == call.pbxSsrc), "the carrier heard only the PBX: " + atCarrier);
        assertTrue(atPbx.stream().allMatch(s -> s == call.carrierSsrc), "the PBX heard only the carrier: " + atPbx);
        assertEquals(PACKETS_PER_SIDE, atCarrier.size(), "every PBX packet reached the carrier");
        assertEquals(PACKETS_PER_SIDE, atPbx.size(), "every carrier packet reached the PBX");
    }

    @Test
    void aSprayOfThePortRangeNeitherCapturesNorInjectsAudio() throws Exception {
        startRelay();
        sprayer = new Sprayer();
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(offer(i, socket(PBX), PBX.getHostAddress()));
        }
        sprayer.awaitSweeps(3); // ringing: both legs' ports are sprayed before anybody sends
        for (Call call : calls) {
            answer(call);
        }
        sprayer.awaitSweeps(3); // just after the answer, when the latches are still empty
        // The relay thread takes what the sweeps sent from its sockets in its own time (a busy
        // machine delays it): every sprayed packet is dropped before any call sends.
        long sprayedPerPort = 6;
        Awaitility.await("the spray before the calls send is dropped").atMost(Duration.ofSeconds(10))
                .until(() -> engine.statistics().droppedUnlatched() >= sprayedPerPort * 4 * 2 * 2);
        long dropped = engine.statistics().droppedUnlatched();
        for (Call call : calls) {
            assertOnlyEachOther(call);
            assertEquals(call.pbx.getLocalSocketAddress(), call.session.legA().remoteRtpAddress().orElseThrow());
            assertEquals(call.carrier.getLocalSocketAddress(), call.session.legB().remoteRtpAddress().orElseThrow());
        }
        sprayer.awaitSweeps(3); // and while the calls run
        for (Call call : calls) {
            assertOnlyEachOther(call);
        }
        assertEquals(0, sprayer.received.get(), "the attacker got no audio back");
        assertTrue(dropped >= sprayedPerPort * 4 * 2 * 2, "the spray reached the calls' sockets and was dropped: " + dropped);
    }

    @Test
    void aNattedPbxLatchesAfterTheAnswerAndTheSprayCannotMoveIt() throws Exception {
        startRelay();
        sprayer = new Sprayer();
        DatagramSocket natted = socket(NATTED_PBX);
        // the PBX writes its private address; its packets come from the NAT's public one
        Call call = offer(9, natted, "192.168.1.10");
        sprayer.awaitSweeps(3);
        answer(call);
        InetSocketAddress relayA = call.session.legA().localRtpAddress();
        // the PBX streams from the answer on, the carrier only once the PBX is latched (so that
        // nothing is sent towards the private address in the SDP)
        for (int i = 0; i < 10; i++) {
            send(natted, relayA, i, call.pbxSsrc);
            Thread.sleep(2);
        }
        Awaitility.await("the PBX behind NAT is latched").atMost(Duration.ofSeconds(5))
                .until(() -> call.session.legA().remoteRtpAddress().orElseThrow().equals(natted.getLocalSocketAddress()));
        drain(call.carrier);
        sprayer.awaitSweeps(5);
        assertOnlyEachOther(call);
        assertEquals(natted.getLocalSocketAddress(), call.session.legA().remoteRtpAddress().orElseThrow(),
                "the spray did not move the latch");
        assertEquals(0, sprayer.received.get(), "the attacker got no audio back");
    }

    /** The rules of the window, packet by packet. */
    @Test
    void aNatLatchNeedsTheWindowAfterTheAnswerAndASecondPacketWithOneSsrc() throws Exception {
        startRelay();
        DatagramSocket attacker = socket(ATTACKER);
        DatagramSocket natted = socket(NATTED_PBX);
        Call call = offer(7, natted, "192.168.1.10");
        InetSocketAddress relayA = call.session.legA().localRtpAddress();
        for (int i = 0; i < 3; i++) {
            send(attacker, relayA, i, ATTACKER_SSRC); // before the answer: no window
        }
        Awaitility.await("dropped before the answer").atMost(Duration.ofSeconds(5))
                .until(() -> engine.statistics().droppedUnlatched() >= 3);
        answer(call);
        long answeredAt = System.nanoTime();
        assertEquals("192.168.1.10", call.session.legA().remoteRtpAddress().orElseThrow().getAddress().getHostAddress());

        // in the window: single packets from many ports (a spray), garbage, one source whose SSRC
        // changes with every packet, and one whose sequence numbers jump as a sweep of the range
        // numbers them: none of them is a stream, none latches
        DatagramSocket sweeper = socket(ATTACKER);
        List<DatagramSocket> spray = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DatagramSocket s = socket(ATTACKER);
            spray.add(s);
            send(s, relayA, i, ATTACKER_SSRC);
            byte[] garbage = new byte[172];
            s.send(new DatagramPacket(garbage, garbage.length, relayA));
            send(attacker, relayA, 50 + i, ATTACKER_SSRC + i);
            send(sweeper, relayA, 200 * i, ATTACKER_SSRC);
        }
        Awaitility.await("the spray is dropped").atMost(Duration.ofSeconds(5))
                .until(() -> engine.statistics().droppedUnlatched() >= 3 + 4 * 40);
        assertEquals("192.168.1.10", call.session.legA().remoteRtpAddress().orElseThrow().getAddress().getHostAddress(),
                "nothing latched");
        assertEquals(0, engine.statistics().packetsRelayed());

        // 160 packets did not use the window up: the NATed PBX's stream still latches (two packets, one SSRC)
        assertTrue(System.nanoTime() - answeredAt < RelayConnection.NAT_WINDOW.toNanos(), "still within the window");
        send(natted, relayA, 1, call.pbxSsrc);
        send(natted, relayA, 2, call.pbxSsrc);
        Awaitility.await("the PBX behind NAT latches after the spray").atMost(Duration.ofSeconds(5))
                .until(() -> call.session.legA().remoteRtpAddress().orElseThrow().equals(natted.getLocalSocketAddress()));
        send(attacker, relayA, 100, ATTACKER_SSRC);
        send(attacker, relayA, 101, ATTACKER_SSRC);
        assertTrue(drain(call.carrier).stream().allMatch(s -> s == call.pbxSsrc), "only the PBX reached the carrier");
        assertEquals(natted.getLocalSocketAddress(), call.session.legA().remoteRtpAddress().orElseThrow());
    }

    /** A leg whose window passed unlatched waits for its SDP's address; a new answer opens a new window. */
    @Test
    void afterTheWindowNoStreamLatchesUntilTheNextAnswer() throws Exception {
        startRelay();
        DatagramSocket attacker = socket(ATTACKER);
        DatagramSocket natted = socket(NATTED_PBX);
        Call call = offer(8, natted, "192.168.1.10");
        InetSocketAddress relayA = call.session.legA().localRtpAddress();
        answer(call);
        Thread.sleep(RelayConnection.NAT_WINDOW.toMillis() + 200); // the window passes: waiting out a time is the point
        for (int i = 0; i < 5; i++) {
            send(attacker, relayA, 10 + i, ATTACKER_SSRC);
        }
        Awaitility.await("the stream is dropped").atMost(Duration.ofSeconds(5))
                .until(() -> engine.statistics().droppedUnlatched() >= 5);
        assertEquals("192.168.1.10", call.session.legA().remoteRtpAddress().orElseThrow().getAddress().getHostAddress(),
                "nothing latched after the window");
        assertEquals(0, engine.statistics().packetsRelayed());

        answer(call);
        AtomicLong sequence = new AtomicLong(99);
        Awaitility.await("the PBX latches in the new window").atMost(Duration.ofSeconds(5)).until(() -> {
            send(natted, relayA, (int) sequence.getAndIncrement(), call.pbxSsrc);
            return call.session.legA().remoteRtpAddress().orElseThrow().equals(natted.getLocalSocketAddress());
        });
        assertEquals(natted.getLocalSocketAddress(), call.session.legA().remoteRtpAddress().orElseThrow());
    }
}
