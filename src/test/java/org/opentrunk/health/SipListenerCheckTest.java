package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Against a stand-in for the SIP listener on loopback: what it answers, or its silence. */
class SipListenerCheckTest {

    private static final Duration WAIT = Duration.ofMillis(500);
    private static final String HOST = "127.0.0.1";

    @Test
    void anAnswerIsUpAndSaysWhichEvenA503() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0))) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> answer(listener,
                    "SIP/2.0 503 Service Unavailable (Not Ready)"));
            CheckResult result = new SipListenerCheck(HOST, listener.getLocalPort(), WAIT).check();
            assertTrue(result.up(), result::detail);
            assertTrue(result.detail().startsWith("udp " + HOST + ":" + listener.getLocalPort()
                    + " answered OPTIONS \"503 Service Unavailable (Not Ready)\" in "), result.detail());
            String request = received.get();
            assertTrue(request.startsWith("OPTIONS sip:" + HOST + ":" + listener.getLocalPort() + " SIP/2.0\r\n"), request);
            assertTrue(request.contains("\r\nVia: SIP/2.0/UDP " + HOST + ":"), request);
        }
    }

    @Test
    void silenceIsDown() throws Exception {
        try (DatagramSocket deaf = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0))) {
            long start = System.nanoTime();
            CheckResult result = new SipListenerCheck(HOST, deaf.getLocalPort(), WAIT).check();
            assertFalse(result.up());
            assertEquals("no answer to OPTIONS on udp " + HOST + ":" + deaf.getLocalPort() + " within "
                    + WAIT.toMillis() + " ms", result.detail());
            assertTrue(System.nanoTime() - start < WAIT.multipliedBy(3).toNanos());
        }
    }

    @Test
    void everyInterfaceIsCheckedOnLoopback() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0))) {
            CompletableFuture.supplyAsync(() -> answer(listener, "SIP/2.0 200 OK"));
            assertTrue(new SipListenerCheck("*", listener.getLocalPort(), WAIT).check().up());
        }
    }

    /** Receives one request and answers it with {@code statusLine}, echoing its Via and Call-ID. */
    private static String answer(DatagramSocket socket, String statusLine) {
        try {
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            StringBuilder response = new StringBuilder(statusLine).append("\r\n");
            request.lines().filter(l -> l.startsWith("Via:") || l.startsWith("Call-ID:") || l.startsWith("CSeq:"))
                    .forEach(l -> response.append(l).append("\r\n"));
            response.append("Content-Length: 0\r\n\r\n");
            byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
            return request;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
