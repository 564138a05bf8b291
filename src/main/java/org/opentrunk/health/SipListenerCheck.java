package org.opentrunk.health;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The SIP listener is bound and the container routes requests to OpenTrunk: an OPTIONS over UDP
 * from this machine to the SIP port gets an answer. Any answer counts, 503 too (that is OpenTrunk
 * saying it is not ready, for another check's reason); only silence or an error means the SIP side
 * is down. Each check costs one short-lived SIP application session, so the check runs when
 * {@code /health/ready} is asked, not on a timer.
 */
public final class SipListenerCheck implements HealthCheck {

    public static final String NAME = "sip";
    /** How long to wait for the answer; OPTIONS is answered at once, so this is silence. */
    public static final Duration DEFAULT_ANSWER_WAIT = Duration.ofMillis(1_500);
    /** The listening host that means every interface; the check then sends to loopback. */
    static final String EVERY_INTERFACE = "*";
    /** Where the check sends when the listeners bind every interface (they are IPv4). */
    static final String LOOPBACK = "127.0.0.1";
    private static final int MAX_DATAGRAM = 65_535;

    private final String host;
    private final int port;
    private final Duration answerWait;

    /**
     * @param host the address the SIP listeners bind to ({@code OT_SIP_HOST}), {@code *} for all
     * @param port the SIP port
     */
    public SipListenerCheck(String host, int port, Duration answerWait) {
        this.host = EVERY_INTERFACE.equals(host) ? LOOPBACK : host;
        this.port = port;
        this.answerWait = Objects.requireNonNull(answerWait, "answerWait");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() throws IOException {
        InetAddress address = InetAddress.getByName(host);
        long start = System.nanoTime();
        // from the listening address itself: an address of this machine, reachable for the answer
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
            socket.setSoTimeout((int) Math.max(1, answerWait.toMillis()));
            String callId = UUID.randomUUID() + "@opentrunk-health";
            byte[] request = options(address.getHostAddress(), socket.getLocalPort(), callId);
            socket.send(new DatagramPacket(request, request.length, address, port));
            byte[] buffer = new byte[MAX_DATAGRAM];
            long deadline = start + answerWait.toNanos();
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return CheckResult.down(NAME, "no answer to OPTIONS on udp " + host + ":" + port + " within "
                            + answerWait.toMillis() + " ms");
                }
                String answer = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (answer.startsWith("SIP/2.0 ") && answer.contains(callId)) {
                    String status = answer.substring("SIP/2.0 ".length()).lines().findFirst().orElse("").trim();
                    return CheckResult.up(NAME, "udp " + host + ":" + port + " answered OPTIONS \"" + status + "\" in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                }
                long left = deadline - System.nanoTime(); // something else (a late answer to an earlier check)
                if (left <= 0) {
                    return CheckResult.down(NAME, "no answer to OPTIONS on udp " + host + ":" + port);
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    private byte[] options(String localAddress, int localPort, String callId) {
        String target = "sip:" + host + ":" + port;
        String branch = "z9hG4bK-health-" + UUID.randomUUID();
        String text = "OPTIONS " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + localAddress + ":" + localPort + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:health@" + localAddress + ">;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "User-Agent: OpenTrunk health check\r\n"
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
