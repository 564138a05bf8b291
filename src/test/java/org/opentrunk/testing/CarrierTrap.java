package org.opentrunk.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Listens where the provisioned carriers are (UDP {@link TestNet#CARRIER} and
 * {@link TestNet#SECOND_CARRIER}, port {@link TestNet#CARRIER_PORT}) and writes down everything
 * OpenTrunk sends there. Answers INVITEs 486 and other requests 200, so that a call an
 * authenticated customer places during a garbage test ends at once. Also notes what is not
 * well-formed SIP: whatever garbage came in, what OpenTrunk sends on must be.
 */
public final class CarrierTrap implements AutoCloseable {

    private static final int RECEIVE_POLL_MS = 200;
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z]+ sips?:\\S+ SIP/2\\.0");
    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 [1-6]\\d\\d .*");
    /** What RFC 3261 8.1.1 makes every request carry (responses: all but Max-Forwards). */
    private static final List<String> MANDATORY = List.of("Via", "From", "To", "Call-ID", "CSeq");
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<String> malformed = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean open = true;

    public CarrierTrap() throws SocketException {
        for (String host : List.of(TestNet.CARRIER, TestNet.SECOND_CARRIER)) {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, TestNet.CARRIER_PORT));
            socket.setSoTimeout(RECEIVE_POLL_MS);
            sockets.add(socket);
            Thread reader = new Thread(() -> read(host, socket), "carrier-trap-" + host);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
    }

    private void read(String host, DatagramSocket socket) {
        byte[] buffer = new byte[65_535];
        while (open) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            SipMessage message = SipMessage.parse(packet.getData(), packet.getLength());
            String line = host + ": " + message.startLine() + " (Call-ID " + message.header("Call-ID").orElse("?") + ")";
            seen.add(line);
            if (!wellFormed(message)) {
                malformed.add(line + ":\n" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
            if (!message.isResponse() && !"ACK".equals(message.method())) {
                String reply = "INVITE".equals(message.method())
                        ? message.response(486, "Busy Here", "trap", "", "")
                        : message.response(200, "OK", "trap", "", "");
                byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                try {
                    socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    private static boolean wellFormed(SipMessage message) {
        boolean startLine = message.isResponse() ? STATUS_LINE.matcher(message.startLine()).matches()
                : REQUEST_LINE.matcher(message.startLine()).matches() && message.header("Max-Forwards").isPresent();
        return startLine && MANDATORY.stream().allMatch(h -> message.header(h).isPresent());
    }

    /** What reached a carrier address without a proper start line or a mandatory header, with its text. */
    public List<String> malformed() {
        synchronized (malformed) {
            return List.copyOf(malformed);
        }
    }

    /** Everything that reached a carrier address so far, one line a message. */
    public List<String> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    public void clear() {
        seen.clear();
        malformed.clear();
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        sockets.forEach(DatagramSocket::close);
        for (Thread reader : readers) {
            reader.join(2_000);
        }
    }
}
