package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.sdp.MediaDescription;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * The relay on loopback: a PBX on 127.0.0.2 and a carrier on 127.0.0.4 exchange media through
 * OpenTrunk on 127.0.0.1 (IC-DIRECT with anchoring, IC-DTMF, IC-FAX).
 */
class RelayEngineTest {

    private static final InetAddress RELAY = address("127.0.0.1");
    private static final InetAddress PBX = address("127.0.0.2");
    private static final InetAddress STRANGER = address("127.0.0.3");
    private static final InetAddress CARRIER = address("127.0.0.4");
    /** Away from the default range and from the SIP test ports; a taken pair is skipped anyway. */
    private static final PortRange PORTS = new PortRange(34000, 34999);
    private static final int RECEIVE_TIMEOUT_MS = 2000;

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final Events events = new Events();
    private RelayEngine engine;

    /** What the listener heard. */
    private static final class Events implements MediaListener {
        final BlockingQueue<DtmfEvent> digits = new LinkedBlockingQueue<>();
        final BlockingQueue<Duration> timeouts = new LinkedBlockingQueue<>();
        final BlockingQueue<MediaMode> modes = new LinkedBlockingQueue<>();

        @Override
        public void dtmf(DtmfEvent event) {
            digits.add(event);
        }

        @Override
        public void mediaTimeout(MediaSession session, Duration idle) {
            timeouts.add(idle);
        }

        @Override
        public void modeChanged(MediaSession session, MediaMode mode) {
            modes.add(mode);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private RelayEngine start(Duration timeout, boolean keepDigits) throws IOException {
        engine = new RelayEngine(new MediaSettings(RELAY, PORTS, timeout, 1, keepDigits));
        engine.start();
        return engine;
    }

    private DatagramSocket socket(InetAddress host) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0));
        socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        sockets.add(socket);
        return socket;
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.stop();
        }
        sockets.forEach(DatagramSocket::close);
    }

    private static void send(DatagramSocket from, byte[] packet, InetSocketAddress to) throws IOException {
        from.send(new DatagramPacket(packet, packet.length, to));
    }

    private DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing arrived at " + socket.getLocalSocketAddress() + "; relay: "
                    + engine.statistics(), e);
        }
        return packet;
    }

    private static byte[] data(DatagramPacket packet) {
        return Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
    }

    private static void assertNothingArrives(DatagramSocket socket) throws IOException {
        socket.setSoTimeout(300);
        try {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            socket.receive(packet);
            throw new AssertionError("unexpected packet from " + packet.getSocketAddress());
        } catch (SocketTimeoutException expected) {
            // dropped, as it should be
        } finally {
            socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    private static int port(SessionDescription sdp) {
        return sdp.media().get(0).port();
    }

    /** Offer from the PBX (leg A) declaring {@code pbxPort}, answer from the carrier (leg B) on {@code carrier}. */
    private MediaSession call(int pbxPort, DatagramSocket carrier, String direction) throws Exception {
        MediaSession session = engine.createSession(events);
        SessionDescription toCarrier = session.legA().processRemoteOffer(Sdp.audio("127.0.0.2", pbxPort, 101, "sendrecv"));
        assertEquals(session.legB().localRtpAddress().getPort(), port(toCarrier));
        assertTrue(toCarrier.toString().contains("c=IN IP4 127.0.0.1\r\n"), toCarrier.toString());
        SessionDescription toPbx = session.legB().processRemoteAnswer(
                Sdp.audio("127.0.0.4", carrier.getLocalPort(), 101, direction));
        assertEquals(session.legA().localRtpAddress().getPort(), port(toPbx));
        return session;
    }

    @Test
    @Tag("IC-DIRECT")
    void relaysRtpBothWaysUnchangedFromTheRelaysAddress() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        InetSocketAddress relayA = session.legA().localRtpAddress();
        InetSocketAddress relayB = session.legB().localRtpAddress();
        assertEquals(RELAY, relayA.getAddress());
        assertEquals(0, relayA.getPort() % 2, "RTP on an even port");
        assertEquals(relayA.getPort() + 1, session.legA().localRtcpAddress().getPort(), "RTCP on the next one");

        for (int i = 0; i < 5; i++) {
            byte[] toCarrier = RtpPackets.audio(100 + i, 160L * i, 0xA1A2A3A4L, i);
            send(pbx, toCarrier, relayA);
            DatagramPacket atCarrier = receive(carrier);
            assertArrayEquals(toCarrier, data(atCarrier));
            assertEquals(relayB, atCarrier.getSocketAddress(), "from the port the carrier was given");

            byte[] toPbx = RtpPackets.audio(900 + i, 8000 + 160L * i, 0xB1B2B3B4L, 0x55);
            send(carrier, toPbx, relayB);
            DatagramPacket atPbx = receive(pbx);
            assertArrayEquals(toPbx, data(atPbx));
            assertEquals(relayA, atPbx.getSocketAddress());
        }
        // the relay counts a packet after sending it, so the last count may lag the last receive
        await(() -> engine.statistics().packetsRelayed() == 10, "ten packets are counted");
        assertEquals(5, session.legA().packetsRelayed());
        assertEquals(5, session.legB().packetsRelayed());
        assertEquals(10L * (12 + 160), engine.statistics().bytesRelayed());
    }

    @Test
    @Tag("IC-DIRECT")
    void relaysRtcpBetweenTheOddPorts() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket pbxRtcp = new DatagramSocket(new InetSocketAddress(PBX, pbx.getLocalPort() + 1));
        pbxRtcp.setSoTimeout(RECEIVE_TIMEOUT_MS);
        sockets.add(pbxRtcp);
        DatagramSocket carrier = socket(CARRIER);
        DatagramSocket carrierRtcp = socket(CARRIER);
        MediaSession session = engine.createSession(events);
        session.legA().processRemoteOffer(Sdp.audio("127.0.0.2", pbx.getLocalPort(), 101, "sendrecv"));
        session.legB().processRemoteAnswer(Sdp.parse(Sdp.audio("127.0.0.4", carrier.getLocalPort(), 101, "sendrecv")
                .toString().replace("a=sendrecv", "a=sendrecv\na=rtcp:" + carrierRtcp.getLocalPort())));

        byte[] report = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};
        send(pbxRtcp, report, session.legA().localRtcpAddress());
        DatagramPacket atCarrier = receive(carrierRtcp);
        assertArrayEquals(report, data(atCarrier));
        assertEquals(session.legB().localRtcpAddress(), atCarrier.getSocketAddress());
        send(carrierRtcp, report, session.legB().localRtcpAddress());
        assertArrayEquals(report, data(receive(pbxRtcp)));
    }

    @Test
    void latchesOntoTheFirstSourceAndDropsAnyOther() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket declared = socket(PBX); // what the PBX's SDP says
        DatagramSocket natted = socket(PBX); // where its packets really come from
        DatagramSocket stranger = socket(STRANGER);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(declared.getLocalPort(), carrier, "sendrecv");
        InetSocketAddress relayA = session.legA().localRtpAddress();
        InetSocketAddress relayB = session.legB().localRtpAddress();

        byte[] early = RtpPackets.audio(1, 0, 2, 1);
        send(carrier, early, relayB);
        assertArrayEquals(early, data(receive(declared)), "before latching, to the SDP's address");
        assertEquals(declared.getLocalSocketAddress(), session.legA().remoteRtpAddress().orElseThrow());

        byte[] first = RtpPackets.audio(1, 0, 1, 7);
        send(natted, first, relayA);
        assertArrayEquals(first, data(receive(carrier)));
        byte[] reply = RtpPackets.audio(2, 160, 2, 8);
        send(carrier, reply, relayB);
        assertArrayEquals(reply, data(receive(natted)), "after latching, to where the PBX sends from");
        assertEquals(natted.getLocalSocketAddress(), session.legA().remoteRtpAddress().orElseThrow());

        send(stranger, RtpPackets.audio(666, 0, 666, 0x66), relayA);
        assertNothingArrives(carrier);
        assertEquals(1, engine.statistics().droppedUnlatched());
        send(carrier, reply, relayB);
        assertArrayEquals(reply, data(receive(natted)), "the stranger did not take the stream over");
    }

    @Test
    @Tag("IC-DTMF")
    void reportsEachDigitOnceAndRelaysEveryEventPacket() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, true);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        InetSocketAddress relayA = session.legA().localRtpAddress();
        List<byte[]> sent = new ArrayList<>();
        sent.addAll(List.of(RtpPackets.keyPress(10, 8000, 77, 5)));
        sent.addAll(List.of(RtpPackets.keyPress(20, 16000, 77, 11)));
        for (byte[] packet : sent) {
            send(pbx, packet, relayA);
            assertArrayEquals(packet, data(receive(carrier)));
        }
        DtmfEvent five = events.digits.poll(2, TimeUnit.SECONDS);
        DtmfEvent hash = events.digits.poll(2, TimeUnit.SECONDS);
        assertEquals('5', five.digit());
        assertEquals(Leg.A, five.from());
        assertEquals(Duration.ofMillis(100), five.duration());
        assertEquals('#', hash.digit());
        assertEquals(2, hash.count());
        assertEquals(null, events.digits.poll(200, TimeUnit.MILLISECONDS), "no digit twice");
        assertEquals("5#", session.legA().digits());
        assertEquals(2, session.legA().digitCount());
        assertEquals(0, session.legB().digitCount());
        assertEquals(2, engine.statistics().digits());
    }

    @Test
    @Tag("IC-DTMF")
    void digitsAreCountedButNotKeptUnlessConfigured() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        for (byte[] packet : RtpPackets.keyPress(10, 8000, 77, 4)) {
            send(carrier, packet, session.legB().localRtpAddress());
            receive(pbx);
        }
        DtmfEvent digit = events.digits.poll(2, TimeUnit.SECONDS);
        assertTrue(digit.isMasked());
        assertEquals(Leg.B, digit.from());
        assertEquals(1, session.legB().digitCount());
        assertEquals("", session.legB().digits());
    }

    @Test
    void aSilentCallTimesOutAndGivesItsPortsBack() throws Exception {
        start(Duration.ofMillis(300), false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        int port = session.legA().localRtpAddress().getPort();
        assertEquals(2, engine.portPairsInUse());
        send(pbx, RtpPackets.audio(1, 0, 1, 1), session.legA().localRtpAddress());
        receive(carrier);

        Duration idle = events.timeouts.poll(3, TimeUnit.SECONDS);
        assertTrue(idle != null && idle.compareTo(Duration.ofMillis(300)) > 0, "timed out after " + idle);
        assertTrue(session.isReleased());
        await(() -> engine.portPairsInUse() == 0, "the ports are back");
        assertEquals(0, engine.sessionCount());
        new DatagramSocket(new InetSocketAddress(RELAY, port)).close(); // really unbound
        assertThrows(SessionReleasedException.class,
                () -> session.legA().processRemoteOffer(Sdp.audio("127.0.0.2", 4000, 101, "sendrecv")));
    }

    @Test
    void aCallOnHoldDoesNotTimeOut() throws Exception {
        start(Duration.ofMillis(200), false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "recvonly");
        assertEquals(null, events.timeouts.poll(1, TimeUnit.SECONDS));
        assertFalse(session.isReleased());
    }

    @Test
    void releaseGivesEveryPortBackAndIsIdempotent() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        List<MediaSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sessions.add(engine.createSession(events));
        }
        assertEquals(10, engine.portPairsInUse());
        int port = sessions.get(0).legB().localRtcpAddress().getPort();
        for (MediaSession session : sessions) {
            session.release();
            session.release();
        }
        await(() -> engine.portPairsInUse() == 0, "the ports are back");
        new DatagramSocket(new InetSocketAddress(RELAY, port)).close();
        MediaSession last = engine.createSession(events);
        engine.stop();
        assertTrue(last.isReleased());
        assertEquals(0, engine.portPairsInUse(), "stopping releases what is left");
    }

    @Test
    @Tag("IC-FAX")
    void switchesToUdptlWhenTheFaxReofferIsAccepted() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        InetSocketAddress relayA = session.legA().localRtpAddress();
        InetSocketAddress relayB = session.legB().localRtpAddress();
        send(pbx, RtpPackets.audio(1, 0, 1, 1), relayA);
        receive(carrier);

        DatagramSocket pbxFax = socket(PBX);
        DatagramSocket carrierFax = socket(CARRIER);
        SessionDescription toCarrier = session.legA().processRemoteOffer(Sdp.t38("127.0.0.2", pbxFax.getLocalPort(), 2));
        MediaDescription image = toCarrier.media().get(0);
        assertEquals("m=image " + relayB.getPort() + " udptl t38", image.mediaLine().toString());
        assertEquals("9600", image.attribute("T38MaxBitRate").orElseThrow());
        assertEquals("t38UDPRedundancy", image.attribute("T38FaxUdpEC").orElseThrow());
        assertEquals(MediaMode.AUDIO, session.mode(), "not before the answer");

        SessionDescription toPbx = session.legB().processRemoteAnswer(Sdp.t38("127.0.0.4", carrierFax.getLocalPort(), 2));
        assertEquals(relayA.getPort(), port(toPbx));
        assertEquals("9600", toPbx.media().get(0).attribute("T38MaxBitRate").orElseThrow());
        assertEquals(MediaMode.T38, session.mode());
        assertEquals(MediaMode.T38, events.modes.poll(2, TimeUnit.SECONDS));

        // UDPTL with a redundant copy of the previous IFP packet: relayed as it is
        byte[] udptl = {0x00, 0x02, 0x06, (byte) 0xC0, 0x01, (byte) 0x80, 0x00, 0x00, 0x00, 0x01, 0x02, 0x06,
                (byte) 0xC0, 0x01, (byte) 0x80, 0x00, 0x00};
        send(pbxFax, udptl, relayA);
        DatagramPacket atCarrier = receive(carrierFax);
        assertArrayEquals(udptl, data(atCarrier));
        assertEquals(relayB, atCarrier.getSocketAddress());
        send(carrierFax, udptl, relayB);
        assertArrayEquals(udptl, data(receive(pbxFax)));
        send(pbx, RtpPackets.audio(2, 160, 1, 1), relayA); // the old RTP source: the latch moved
        assertNothingArrives(carrierFax);
    }

    @Test
    @Tag("IC-FAX")
    void aRefusedFaxReofferLeavesTheCallOnG711() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        DatagramSocket pbx = socket(PBX);
        DatagramSocket carrier = socket(CARRIER);
        MediaSession session = call(pbx.getLocalPort(), carrier, "sendrecv");
        session.legA().processRemoteOffer(Sdp.t38("127.0.0.2", 4000, 2));
        session.legA().offerRejected(); // the carrier answered 488
        assertEquals(MediaMode.AUDIO, session.mode());
        byte[] audio = RtpPackets.audio(5, 800, 1, 3);
        send(pbx, audio, session.legA().localRtpAddress());
        assertArrayEquals(audio, data(receive(carrier)));
        send(carrier, audio, session.legB().localRtpAddress());
        assertArrayEquals(audio, data(receive(pbx)));
        assertEquals(null, events.modes.poll(200, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class,
                () -> session.legB().processRemoteAnswer(Sdp.t38("127.0.0.4", 4000, 2)), "no offer pending");
    }

    @Test
    void aMalformedBodyIsABadSdpWith400() throws Exception {
        start(MediaSettings.DEFAULT_MEDIA_TIMEOUT, false);
        MediaSession session = engine.createSession(events);
        BadSdpException bad = assertThrows(BadSdpException.class,
                () -> session.legA().processRemoteOffer("v=1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(400, bad.sipStatus());
    }
}
