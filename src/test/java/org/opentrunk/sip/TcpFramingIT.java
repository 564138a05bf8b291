package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * SIP over TCP is a byte stream framed by Content-Length (RFC 3261 18.3): the server must
 * reassemble messages that arrive in pieces, split several that arrive together, survive bodies
 * that disagree with their Content-Length and header lines that never end, and keep serving
 * with thousands of idle connections open (Liberty never closes idle SIP connections: see
 * docs/operations.md). Every test ends by checking that OpenTrunk still answers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TcpFramingIT {

    private static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    /** How long a connection is left idle before it is used again. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(10);
    private static final int SPLIT_MAX_CHUNK = 7;
    private static final long SPLIT_DELAY_MS = 10;
    private static final int ENDLESS_LINE_BYTES = 1 << 20;
    private static final int ENDLESS_CONNECTIONS = 3;
    private static final int ENDLESS_WRITE_CHUNK = 16 * 1024;
    /** Idle connections held open at once; a quarter of our own descriptor limit at most. */
    private static final int IDLE_CONNECTIONS = 2_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provision() throws Exception {
        TestNetProvisioning.ensure();
    }

    @Test
    void aMessageSplitIntoSmallDelayedSegmentsIsReassembled() throws Exception {
        try (Socket socket = connect(TestNet.STRANGER)) {
            String callId = UUID.randomUUID().toString();
            byte[] bytes = options(socket, callId, "", "").getBytes(StandardCharsets.US_ASCII);
            Random sizes = new Random(4475);
            OutputStream out = socket.getOutputStream();
            int segments = 0;
            for (int at = 0; at < bytes.length; segments++) {
                int n = Math.min(bytes.length - at, 1 + sizes.nextInt(SPLIT_MAX_CHUNK));
                out.write(bytes, at, n);
                out.flush();
                at += n;
                Thread.sleep(SPLIT_DELAY_MS);
            }
            String answers = readFor(socket, ANSWER_WAIT, callId, 1);
            System.out.printf("TCP framing: %d bytes in %d segments -> %s%n", bytes.length, segments, statusLines(answers));
            assertEquals(1, count200(answers, callId), answers);
        }
    }

    @Test
    void severalMessagesInOneSegmentAreAllAnswered() throws Exception {
        try (Socket socket = connect(TestNet.STRANGER)) {
            String first = UUID.randomUUID().toString();
            String second = UUID.randomUUID().toString();
            write(socket, options(socket, first, "", "") + options(socket, second, "", ""));
            String answers = readFor(socket, ANSWER_WAIT, second, 1);
            answers += readFor(socket, Duration.ofMillis(500), first, 1);
            System.out.println("TCP framing: two requests in one segment -> " + statusLines(answers));
            assertEquals(1, count200(answers, first), answers);
            assertEquals(1, count200(answers, second), answers);
        }
    }

    @Test
    void aBodyLongerThanItsContentLengthLeavesGarbageThatDoesNotBreakTheServer() throws Exception {
        String first = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        String firstAnswers;
        String afterAnswers;
        boolean closed;
        try (Socket socket = connect(TestNet.STRANGER)) {
            // Content-Length says 5: "hello" is the body, the rest is garbage where the next message should start
            String longBody = options(socket, first, "Content-Type: text/plain\r\n", "hello").replace(
                    "Content-Length: 5\r\n\r\nhello", "Content-Length: 5\r\n\r\nhello, and then some words that are not SIP\r\n\r\n");
            write(socket, longBody);
            firstAnswers = readFor(socket, ANSWER_WAIT, first, 1);
            closed = closedBy(socket, Duration.ofMillis(200));
            afterAnswers = "";
            if (!closed) {
                write(socket, options(socket, after, "", ""));
                afterAnswers = readFor(socket, ANSWER_WAIT, after, 1);
            }
        }
        System.out.println("TCP framing: body longer than Content-Length -> " + answered(firstAnswers)
                + "; connection " + (closed ? "closed by the server" : "kept; a request sent after the garbage got "
                + answered(afterAnswers)));
        // RFC 3261 18.3 frames the message by its Content-Length, so it deserves its 200; Liberty 26
        // instead drops the connection at the garbage and the message with it (docs/operations.md,
        // "Known limits"). What OpenTrunk can promise: the stream ends, and service goes on.
        assertTrue(closed || count200(afterAnswers, after) == 1,
                "after garbage the server either closes the stream or finds the next message again");
        assertStillAnswers();
    }

    @Test
    void aBodyShorterThanItsContentLengthIsWaitedFor() throws Exception {
        try (Socket socket = connect(TestNet.STRANGER)) {
            String callId = UUID.randomUUID().toString();
            String body = "0123456789".repeat(5);
            String whole = options(socket, callId, "Content-Type: text/plain\r\n", body);
            int cut = whole.length() - 40; // 10 of the 50 body bytes sent
            write(socket, whole.substring(0, cut));
            String early = readFor(socket, Duration.ofSeconds(2), callId, 1);
            write(socket, whole.substring(cut));
            String answers = readFor(socket, ANSWER_WAIT, callId, 1);
            System.out.println("TCP framing: body shorter than Content-Length -> before the rest: " + statusLines(early)
                    + ", after it: " + statusLines(answers));
            assertEquals("", statusLines(early), "nothing is answered before the body is complete");
            assertEquals(1, count200(answers, callId), answers);
        }
        // and a connection that never delivers the rest is simply abandoned
        try (Socket socket = connect(TestNet.STRANGER)) {
            write(socket, options(socket, UUID.randomUUID().toString(), "Content-Type: text/plain\r\n", "x".repeat(50))
                    .replace("Content-Length: 50", "Content-Length: 5000"));
        }
        assertStillAnswers();
    }

    /**
     * Liberty's SIP stream parser keeps an unfinished message in memory until its end arrives; it
     * sets no limit on a header line, and re-reads the unfinished line from its start whenever
     * more bytes arrive (docs/operations.md, "Known limits"). This measures what a few such
     * connections cost and checks that service goes on meanwhile. Kept at 1 MiB a line: the re-reading makes the cost grow with the square
     * of the length.
     */
    @Test
    void endlessHeaderLinesDoNotStopService() throws Exception {
        try (TrunkUnderTest trunk = TrunkUnderTest.connect()) {
            long heapBefore = trunk.heapUsedAfterGc();
            List<String> outcomes = new ArrayList<>();
            List<Socket> endless = new ArrayList<>();
            long heapHeld;
            try {
                for (int i = 0; i < ENDLESS_CONNECTIONS; i++) {
                    Socket socket = connect(TestNet.STRANGER);
                    endless.add(socket);
                    outcomes.add(sendEndlessLine(socket));
                }
                Thread.sleep(500); // let the server read what is in flight
                heapHeld = trunk.heapUsedAfterGc();
                assertStillAnswers();
            } finally {
                for (Socket s : endless) {
                    s.close();
                }
            }
            Thread.sleep(1_000); // the server notices the closes
            long heapAfter = trunk.heapUsedAfterGc();
            System.out.printf("TCP framing: %d connections each sent a %d KiB header line without CRLF (%s); heap after GC "
                            + "%+d KB while they were open, %+d KB after they closed%n", ENDLESS_CONNECTIONS,
                    ENDLESS_LINE_BYTES / 1024, String.join("; ", outcomes), (heapHeld - heapBefore) / 1024,
                    (heapAfter - heapBefore) / 1024);
            // Not asserted: heap after the closes did not come back (+22 MB measured), see docs/operations.md.
        }
    }

    private static String sendEndlessLine(Socket socket) throws IOException {
        write(socket, "OPTIONS sip:" + TestNet.TRUNK_DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/TCP " + TestNet.STRANGER + ":"
                + socket.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString().substring(0, 8) + "\r\nX-Endless: ");
        byte[] chunk = "a".repeat(ENDLESS_WRITE_CHUNK).getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        String writeError = null;
        socket.setSoTimeout(10_000);
        long start = System.nanoTime(); // once the socket buffers are full, writing waits for the server to parse
        try {
            while (sent < ENDLESS_LINE_BYTES) {
                socket.getOutputStream().write(chunk);
                sent += chunk.length;
            }
            socket.getOutputStream().flush();
        } catch (IOException e) {
            writeError = e.getMessage();
        }
        String reply = readFor(socket, Duration.ofMillis(500), null, 1);
        long writeMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return sent / 1024 + " KiB written in " + writeMillis + " ms" + (writeError == null ? "" : " (then: " + writeError + ")")
                + ", answered " + (reply.isEmpty() ? "nothing" : statusLines(reply))
                + ", " + (closedBy(socket, Duration.ofMillis(200)) ? "closed by the server" : "left open");
    }

    /**
     * Liberty 26's SIP TCP transport reads without a timeout, so an idle connection is never
     * closed by the server (docs/operations.md, "Known limits"; tcpOptions inactivityTimeout does
     * not apply to it). What matters then is that an idle connection costs no service and is
     * still usable when its peer speaks again; thousands of them are the next test.
     */
    @Test
    void anIdleConnectionStaysUsable() throws Exception {
        try (Socket socket = connect(TestNet.STRANGER)) {
            boolean closed = closedBy(socket, IDLE_WAIT);
            assertTrue(!closed, "the server closed a connection idle for " + IDLE_WAIT.toSeconds() + " s");
            String callId = UUID.randomUUID().toString();
            write(socket, options(socket, callId, "", ""));
            String answers = readFor(socket, ANSWER_WAIT, callId, 1);
            System.out.println("TCP framing: a connection idle for " + IDLE_WAIT.toSeconds() + " s was left open; an OPTIONS "
                    + "on it then got " + answered(answers));
            assertEquals(1, count200(answers, callId), answers);
        }
    }

    @Test
    void thousandsOfIdleConnectionsDoNotStopService() throws Exception {
        long fdLimit = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        int wanted = (int) Math.min(IDLE_CONNECTIONS, fdLimit / 4);
        List<Socket> idle = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < wanted; i++) {
                idle.add(connect(TestNet.STRANGER));
            }
            System.out.printf("TCP framing: %d idle connections opened in %d ms (descriptor limit %d)%n", idle.size(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), fdLimit);
            try (SipTestClient carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT, trunk())) {
                for (Transport transport : List.of(Transport.UDP, Transport.TCP)) {
                    try (SipTestClient pbx = OutboundCallIT.pbx(transport, TestNet.CUSTOMER_PBX)) {
                        String text = OutboundCallIT.invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*"
                                + OutboundCallIT.CALLED, "", OutboundCallIT.OFFER);
                        pbx.send(text);
                        SipMessage atCarrier = OutboundCallIT.awaitInvite(carrier);
                        OutboundCallIT.answerAndHangUp(pbx, OutboundCallIT.parsed(text), carrier, atCarrier, "");
                    }
                }
            }
            long stillOpen = idle.stream().filter(s -> !closedBy(s, Duration.ofMillis(1))).count();
            System.out.printf("TCP framing: a UDP and a TCP call completed with %d idle connections open%n", stillOpen);
            assertStillAnswers();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    // ---- helpers

    private static InetSocketAddress trunk() {
        return SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT);
    }

    private static Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true); // each write is its own segment
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(trunk(), 5_000);
        return socket;
    }

    private static String options(Socket socket, String callId, String extraHeaders, String body) {
        return "OPTIONS sip:" + TestNet.TRUNK_DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + TestNet.STRANGER + ":" + socket.getLocalPort() + ";branch=z9hG4bK"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + TestNet.STRANGER + ">;tag=" + callId.substring(0, 8) + "\r\n"
                + "To: <sip:" + TestNet.TRUNK_DOMAIN + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + extraHeaders
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads for up to {@code wait}, returning early once {@code count} answers name {@code callId}. */
    private static String readFor(Socket socket, Duration wait, String callId, int count) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + wait.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            String text = got.toString(StandardCharsets.ISO_8859_1);
            if (callId != null && count200(text, callId) >= count) {
                break;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                got.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                break; // reset by the server
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closes (or resets) the connection within {@code wait}. */
    private static boolean closedBy(Socket socket, Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int count200(String text, String callId) {
        int count = 0;
        for (String message : text.split("(?=SIP/2\\.0 )")) {
            if (message.startsWith("SIP/2.0 200") && message.contains("Call-ID: " + callId)) {
                count++;
            }
        }
        return count;
    }

    private static String answered(String text) {
        String lines = statusLines(text);
        return lines.isEmpty() ? "no answer" : lines;
    }

    private static String statusLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            if (line.startsWith("SIP/2.0 ")) {
                lines.add(line.substring(8));
            }
        }
        return String.join(", ", lines);
    }

    /** OpenTrunk answers an OPTIONS on a fresh TCP connection and over UDP. */
    private static void assertStillAnswers() throws IOException {
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
            try (SipTestClient probe = new SipTestClient(transport, TestNet.STRANGER, trunk())) {
                SipMessage answer = probe.request(probe.newRequest("OPTIONS", "sip:" + TestNet.TRUNK_DOMAIN, "", ""), ANSWER_WAIT);
                assertEquals(200, answer.status(), () -> transport + ": " + answer);
            }
        }
    }
}
