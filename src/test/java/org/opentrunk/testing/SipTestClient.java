package org.opentrunk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A raw SIP peer for tests, over UDP or TCP, bound to its own loopback address (the address is
 * who the peer is to OpenTrunk). Sends text exactly as given, so tests can also send garbage.
 */
public final class SipTestClient implements AutoCloseable {

    /** TLS: TCP framing over a TLS connection (IC-TLS); see {@link #overTls} and {@link #listenTls}. */
    public enum Transport { UDP, TCP, TLS }

    private static final int MAX_DATAGRAM = 65_535;
    private final Transport transport;
    private final String localAddress;
    private final InetSocketAddress server;
    private DatagramSocket udp;
    private Socket tcp;
    private InputStream tcpIn;
    private final ByteArrayOutputStream tcpBuffer = new ByteArrayOutputStream();

    public SipTestClient(Transport transport, String localAddress, InetSocketAddress server) {
        this(transport, localAddress, 0, server);
    }

    /**
     * @param localPort the port to listen on (0: any), e.g. a carrier's provisioned SIP port
     * @param server    where requests go (and, over TCP, the connection's other end)
     */
    public SipTestClient(Transport transport, String localAddress, int localPort, InetSocketAddress server) {
        this.transport = transport;
        this.localAddress = localAddress;
        this.server = server;
        try {
            if (transport == Transport.UDP) {
                udp = new DatagramSocket(new InetSocketAddress(localAddress, localPort));
            } else {
                tcp = new Socket();
                tcp.bind(new InetSocketAddress(localAddress, localPort));
                tcp.connect(server, 5_000);
                tcpIn = tcp.getInputStream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SipTestClient(Socket accepted) throws IOException {
        this(accepted, accepted instanceof javax.net.ssl.SSLSocket ? Transport.TLS : Transport.TCP);
    }

    private SipTestClient(Socket accepted, Transport transport) throws IOException {
        this.transport = transport;
        this.localAddress = accepted.getLocalAddress().getHostAddress();
        this.server = (InetSocketAddress) accepted.getRemoteSocketAddress();
        this.tcp = accepted;
        this.tcpIn = accepted.getInputStream();
    }

    /**
     * A peer reached over TCP by OpenTrunk (a carrier with transport=tcp): waits for the trunk to
     * connect to {@code address:port} and talks on that connection.
     */
    public static SipTestClient acceptTcp(String address, int port, Duration timeout) throws IOException {
        try (java.net.ServerSocket listener = new java.net.ServerSocket()) {
            listener.bind(new InetSocketAddress(address, port));
            listener.setSoTimeout((int) timeout.toMillis());
            return new SipTestClient(listener.accept());
        }
    }

    /** Listens on {@code address:port} for OpenTrunk's TCP connection in the background. */
    public static java.util.concurrent.Future<SipTestClient> listenTcp(String address, int port, Duration timeout)
            throws IOException {
        java.net.ServerSocket listener = new java.net.ServerSocket();
        listener.bind(new InetSocketAddress(address, port));
        listener.setSoTimeout((int) timeout.toMillis());
        java.util.concurrent.CompletableFuture<SipTestClient> accepted = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (listener) {
                accepted.complete(new SipTestClient(listener.accept()));
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        }, "tcp-carrier-accept");
        t.setDaemon(true);
        t.start();
        return accepted;
    }

    /**
     * A peer that connects to OpenTrunk over TLS from {@code localAddress} (a customer's PBX), the
     * handshake done: {@code tls} says what it trusts (and, for mutual TLS, what it presents).
     */
    public static SipTestClient overTls(javax.net.ssl.SSLContext tls, String localAddress, InetSocketAddress server)
            throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(server, 5_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.setSoTimeout(0);
        return new SipTestClient(socket, Transport.TLS);
    }

    /**
     * Listens on {@code address:port} for OpenTrunk's TLS connection in the background (a carrier
     * with transport=tls), presenting the certificate of {@code tls}; the handshake happens on
     * the first read.
     */
    public static java.util.concurrent.Future<SipTestClient> listenTls(javax.net.ssl.SSLContext tls, String address,
                                                                       int port, Duration timeout) throws IOException {
        return listenTls(tls, address, port, timeout, false);
    }

    /** As {@link #listenTls(javax.net.ssl.SSLContext, String, int, Duration)}; {@code needClientAuth}: mutual TLS. */
    public static java.util.concurrent.Future<SipTestClient> listenTls(javax.net.ssl.SSLContext tls, String address,
                                                                       int port, Duration timeout, boolean needClientAuth)
            throws IOException {
        javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        listener.setNeedClientAuth(needClientAuth);
        listener.bind(new InetSocketAddress(address, port));
        listener.setSoTimeout((int) timeout.toMillis());
        java.util.concurrent.CompletableFuture<SipTestClient> accepted = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (listener) {
                accepted.complete(new SipTestClient(listener.accept(), Transport.TLS));
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        }, "tls-carrier-accept");
        t.setDaemon(true);
        t.start();
        return accepted;
    }

    /** Over TLS: the certificates the other end presented (for mutual TLS, the client's); else none. */
    public java.security.cert.Certificate[] peerCertificates() throws IOException {
        return tcp instanceof javax.net.ssl.SSLSocket ssl ? ssl.getSession().getPeerCertificates()
                : new java.security.cert.Certificate[0];
    }

    public Transport transport() {
        return transport;
    }

    public String localAddress() {
        return localAddress;
    }

    public int localPort() {
        return transport == Transport.UDP ? udp.getLocalPort() : tcp.getLocalPort();
    }

    public void send(String message) throws IOException {
        sendBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes exactly as given (garbage tests: stray bytes that are not UTF-8). */
    public void sendBytes(byte[] bytes) throws IOException {
        if (transport == Transport.UDP) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            tcp.getOutputStream().write(bytes);
            tcp.getOutputStream().flush();
        }
    }

    /** The next message, or empty when nothing arrives within {@code timeout}. */
    public Optional<SipMessage> receive(Duration timeout) throws IOException {
        return transport == Transport.UDP ? receiveUdp(timeout) : receiveTcp(timeout);
    }

    /** Waits for the first message matching {@code wanted}, skipping others (e.g. 100 Trying). */
    public SipMessage await(Predicate<SipMessage> wanted, Duration timeout) throws IOException {
        List<SipMessage> skipped = new ArrayList<>();
        return poll(wanted, timeout, skipped).orElseThrow(
                () -> new AssertionError("No matching message within " + timeout + "; got " + skipped));
    }

    /** The final response to the request just sent (provisional ones skipped). */
    public SipMessage finalResponse(Duration timeout) throws IOException {
        return await(SipTestClient::isFinalResponse, timeout);
    }

    /**
     * Sends an out-of-dialog request and returns its final response. Over UDP the request is
     * retransmitted like RFC 3261 Timer E (500 ms, doubling) until an answer or the timeout.
     */
    public SipMessage request(String message, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SipMessage> skipped = new ArrayList<>();
        SipMessage sent = SipMessage.parse(message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        String callId = sent.header("Call-ID").orElse("");
        Predicate<SipMessage> ours = m -> isFinalResponse(m) && callId.equals(m.header("Call-ID").orElse(null));
        Duration interval = transport == Transport.UDP ? Duration.ofMillis(500) : timeout;
        while (System.nanoTime() < deadline) {
            send(message);
            Duration wait = Duration.ofNanos(Math.min(interval.toNanos(), deadline - System.nanoTime()));
            Optional<SipMessage> answer = poll(ours, wait, skipped);
            if (answer.isPresent()) {
                if ("INVITE".equals(sent.method()) && answer.get().status() >= 300) {
                    send(ackFor(sent, answer.get())); // RFC 3261 17.1.1.3: the UAC acknowledges non-2xx finals
                }
                return answer.get();
            }
            interval = interval.multipliedBy(2);
        }
        throw new AssertionError("No final response within " + timeout + " (got " + skipped + ") to:\n" + message);
    }

    /** The ACK of a non-2xx final answer: same branch as the INVITE, the answer's To tag. */
    public static String ackFor(SipMessage invite, SipMessage answer) {
        return "ACK " + invite.requestUri() + " SIP/2.0\r\n"
                + "Via: " + invite.header("Via").orElseThrow() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + invite.header("From").orElseThrow() + "\r\n"
                + "To: " + answer.header("To").orElseThrow() + "\r\n"
                + "Call-ID: " + invite.header("Call-ID").orElseThrow() + "\r\n"
                + "CSeq: " + invite.header("CSeq").orElseThrow().split(" ")[0] + " ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The first message matching {@code wanted} within {@code timeout}, the others kept in {@code skipped}. */
    public Optional<SipMessage> poll(Predicate<SipMessage> wanted, Duration timeout, List<SipMessage> skipped)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SipMessage> m = receive(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (m.isPresent() && wanted.test(m.get())) {
                return m;
            }
            m.ifPresent(skipped::add);
        }
        return Optional.empty();
    }

    private static boolean isFinalResponse(SipMessage m) {
        return m.isResponse() && m.status() >= 200;
    }

    /** An out-of-dialog request from this client, with fresh branch, tag and Call-ID. */
    public String newRequest(String method, String requestUri, String extraHeaders, String body) {
        String via = "SIP/2.0/" + transport + " " + localAddress + ":" + localPort()
                + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ";rport";
        return method + " " + requestUri + " SIP/2.0\r\n"
                + "Via: " + via + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:+12065550100@" + localAddress + ">;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + requestUri + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@" + localAddress + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:pbx@" + localAddress + ":" + localPort() + ";transport=" + transport.name().toLowerCase() + ">\r\n"
                + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n"
                + body;
    }

    private Optional<SipMessage> receiveUdp(Duration timeout) throws IOException {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            udp.receive(packet);
            return Optional.of(SipMessage.parse(packet.getData(), packet.getLength()));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    private Optional<SipMessage> receiveTcp(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<SipMessage> framed = takeFramedMessage();
            if (framed.isPresent()) {
                return framed;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            tcp.setSoTimeout((int) Math.max(1, left / 1_000_000));
            byte[] chunk = new byte[8192];
            int n;
            try {
                n = tcpIn.read(chunk);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            if (n < 0) {
                return Optional.empty();
            }
            tcpBuffer.write(chunk, 0, n);
        }
    }

    /** One whole message off the TCP stream (headers, then Content-Length bytes), if buffered. */
    private Optional<SipMessage> takeFramedMessage() {
        byte[] data = tcpBuffer.toByteArray();
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (text.startsWith("\r\n", start)) {
            start += 2; // keep-alive CRLFs between messages
        }
        int headEnd = text.indexOf("\r\n\r\n", start);
        if (headEnd < 0) {
            return Optional.empty();
        }
        int contentLength = 0;
        for (String line : text.substring(start, headEnd).split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                contentLength = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        int end = headEnd + 4 + contentLength;
        if (data.length < end) {
            return Optional.empty();
        }
        byte[] message = java.util.Arrays.copyOfRange(data, start, end);
        tcpBuffer.reset();
        tcpBuffer.write(data, end, data.length - end);
        return Optional.of(SipMessage.parse(message, message.length));
    }

    public static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
