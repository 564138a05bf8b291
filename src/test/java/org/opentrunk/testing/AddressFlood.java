package org.opentrunk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A sender that speaks from many loopback addresses at once, 127.3.0.1 onwards (the whole of
 * 127.0.0.0/8 is the loopback interface's on Linux, so every address can be bound without
 * configuration). Each address gets a UDP socket of its own for its messages and loses it
 * right after: a flood from {@code n} addresses costs {@code n} short-lived sockets, never
 * {@code n} at once. Bounded by a message count and a time limit; nothing leaves loopback.
 */
public final class AddressFlood {

    /** Addresses per third octet: 127.3.x.1 … 127.3.x.250. */
    private static final int PER_OCTET = 250;
    /** The largest address count {@link #address} can name within 127.3.0.0/16. */
    public static final int MAX_ADDRESSES = PER_OCTET * 256;

    private static final List<String> METHODS = List.of("REGISTER", "OPTIONS", "INVITE");
    /** Sockets of the latest addresses kept open for their answers. */
    private static final int OPEN_SOCKETS = 3_000;
    /** How long the last sockets wait for answers. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(1);

    private final java.util.concurrent.ConcurrentHashMap<String, Long> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final InetSocketAddress target;
    private final String domain;

    public AddressFlood(InetSocketAddress target, String domain) {
        this.target = target;
        this.domain = domain;
    }

    /** The {@code i}-th flood address, 127.3.0.1 for 0. */
    public static String address(int i) {
        if (i < 0 || i >= MAX_ADDRESSES) {
            throw new IllegalArgumentException("address index out of 127.3.0.0/16: " + i);
        }
        return "127.3." + (i / PER_OCTET) + "." + (1 + i % PER_OCTET);
    }

    /** What one flood sent. */
    public record Sent(int addresses, long messages, long bytes, Duration took) {
        @Override
        public String toString() {
            return messages + " messages (" + bytes / 1024 + " KiB) from " + addresses + " addresses in "
                    + took.toMillis() + " ms";
        }
    }

    /**
     * From each of {@code addresses} addresses one request without credentials, REGISTER, OPTIONS
     * and INVITE in turn (address 0 a REGISTER, 1 an OPTIONS, ...), as a scanner or a botnet sends them, at about {@code perSecond} messages a
     * second; stops early at {@code limit}. The last {@value #OPEN_SOCKETS} addresses' sockets stay
     * open to count the answers (by final status class) that come back to them before they close.
     */
    public Sent signalling(int addresses, int perSecond, Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long messages = 0;
        long bytes = 0;
        int used = 0;
        java.util.ArrayDeque<DatagramChannel> open = new java.util.ArrayDeque<>();
        try {
            for (int i = 0; i < addresses && System.nanoTime() < deadline; i++, used++) {
                String from = address(i);
                DatagramChannel channel = DatagramChannel.open();
                open.add(channel);
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(from, 0));
                int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                String method = METHODS.get(i % METHODS.size());
                bytes += channel.send(ByteBuffer.wrap(request(method, from, port).getBytes(StandardCharsets.US_ASCII)), target);
                messages++;
                if (open.size() > OPEN_SOCKETS) {
                    drainAndClose(open.poll());
                }
                long due = start + messages * 1_000_000_000L / perSecond;
                long early = due - System.nanoTime();
                if (early > 1_000_000) {
                    Thread.sleep(early / 1_000_000);
                }
            }
            Thread.sleep(ANSWER_WAIT.toMillis()); // the answers to the last ones
            while (!open.isEmpty()) {
                drainAndClose(open.poll());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("flood", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Sent(used, messages, bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Final answers to the flood's requests counted so far, by status class ("2xx", "4xx", "5xx"...). */
    public java.util.Map<String, Long> answers() {
        return new java.util.TreeMap<>(answers);
    }

    /** Answers counted in all. */
    public long answered() {
        return answers.values().stream().mapToLong(Long::longValue).sum();
    }

    private void drainAndClose(DatagramChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        try (channel) {
            while (channel.receive(buffer.clear()) != null) {
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
                if (text.startsWith("SIP/2.0 ") && text.length() > 9 && text.charAt(8) != '1') {
                    answers.merge(text.charAt(8) + "xx", 1L, Long::sum);
                }
            }
        }
    }

    /**
     * Datagrams of {@code size} bytes of garbage (a request line, then one header line that never
     * ends: the costliest kind for a parser) from {@code addresses} addresses in turn, as fast as
     * this thread can send them, for {@code duration} or {@code maxMessages}, whichever ends first.
     */
    public Sent garbage(int addresses, int size, Duration duration, long maxMessages) {
        List<DatagramChannel> channels = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long messages = 0;
        long bytes = 0;
        try {
            for (int i = 0; i < addresses; i++) {
                DatagramChannel channel = DatagramChannel.open();
                channels.add(channel);
                channel.bind(new InetSocketAddress(address(i), 0));
            }
            byte[] payload = new byte[size];
            Random random = new Random(25);
            byte[] head = ("INVITE sip:" + domain + " SIP/2.0\r\nX-Garbage: ").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) ('a' + random.nextInt(26));
            }
            System.arraycopy(head, 0, payload, 0, head.length);
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            while (messages < maxMessages && System.nanoTime() < deadline) {
                buffer.rewind();
                bytes += channels.get((int) (messages % channels.size())).send(buffer, target);
                messages++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("garbage flood", e);
        } finally {
            for (DatagramChannel channel : channels) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a bound datagram socket does not fail in a way that matters here
                }
            }
        }
        return new Sent(channels.size(), messages, bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    private String request(String method, String from, int port) {
        String callId = UUID.randomUUID().toString();
        String uri = "INVITE".equals(method) ? "sip:+12065550199@" + domain : "sip:" + domain;
        String body = "INVITE".equals(method)
                ? "v=0\r\no=- 1 1 IN IP4 " + from + "\r\ns=-\r\nc=IN IP4 " + from + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
                : "";
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + from + ":" + port + ";branch=z9hG4bK" + callId.substring(0, 13) + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:flood@" + domain + ">;tag=" + callId.substring(24) + "\r\n"
                + "To: <" + ("REGISTER".equals(method) ? "sip:flood@" + domain : uri) + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:flood@" + from + ":" + port + ">\r\n"
                + ("REGISTER".equals(method) ? "Expires: 3600\r\n" : "")
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
