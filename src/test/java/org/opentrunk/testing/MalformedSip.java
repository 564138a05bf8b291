package org.opentrunk.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A reproducible source of broken SIP: valid INVITEs, REGISTERs, OPTIONS, BYEs and responses,
 * each damaged one to three times (flipped bytes, truncation, duplicated or missing headers, huge
 * values, lying Content-Lengths, bytes that are not UTF-8, broken line ends, mangled start
 * lines). The same seed gives the same messages.
 */
public final class MalformedSip {

    /** Largest value a "huge header" mutation inserts; keeps every message inside one datagram. */
    private static final int HUGE_VALUE_MAX = 16 * 1024;
    private static final int MAX_MUTATIONS = 3;
    private static final String[] BAD_CONTENT_LENGTHS = {"-1", "99999", "abc", "", "2147483648", "0", "1 2", "+5"};
    private static final byte[][] NOT_UTF8 = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {0}, {(byte) 0x80, (byte) 0x80, (byte) 0x80}};
    private static final String[] BAD_START_LINES = {"INVITE", "SIP/2.0 9999 What", "SIP/2.0 20 OK",
            "INV ITE sip:x SIP/2.0", "OPTIONS sip: SIP/2.0", "REGISTER <sip:a@b> SIP/2.0", "BYE sip:a@b SIP/3.0",
            "\u0000\u0001\u0002", "GET / HTTP/1.1", "SIP/2.0 200", "X sip:a@b SIP/2.0 extra"};

    private final Random random;
    private final String address;
    private final int port;
    private final String transport;
    private final String requestUser;
    /** Whether REGISTERs carry a wrong digest (counts towards the sender's brute-force block). */
    private final boolean wrongDigests;
    private long sequence;

    /**
     * @param address, port where the sender listens (its Via, so that answers come back)
     * @param requestUser who INVITEs call, e.g. a customer's tech-prefixed number
     */
    public MalformedSip(long seed, String address, int port, String transport, String requestUser) {
        this(seed, address, port, transport, requestUser, true);
    }

    public MalformedSip(long seed, String address, int port, String transport, String requestUser, boolean wrongDigests) {
        this.wrongDigests = wrongDigests;
        this.random = new Random(seed);
        this.address = address;
        this.port = port;
        this.transport = transport;
        this.requestUser = requestUser;
    }

    /**
     * The next damaged message. Its top Via is left whole: Liberty answers a request it cannot
     * parse at the Via's host and port (no received= to go by), so a damaged Via would send
     * answers to whatever address the damage spelt, off this machine, or make the server look
     * the damage up in DNS (docs/security.md, "Via host names"; ViaHostNamesIT covers names).
     */
    public byte[] next() {
        String text = template();
        int viaStart = text.indexOf("\r\nVia: ") + 2;
        int viaEnd = text.indexOf("\r\n", viaStart) + 2;
        byte[] via = text.substring(viaStart, viaEnd).getBytes(StandardCharsets.UTF_8);
        byte[] message = (text.substring(0, viaStart) + text.substring(viaEnd)).getBytes(StandardCharsets.UTF_8);
        int mutations = 1 + random.nextInt(MAX_MUTATIONS);
        for (int i = 0; i < mutations; i++) {
            message = mutate(message);
        }
        return withLineAfterTheFirst(message, via);
    }

    /** {@code line} inserted after the first line feed of {@code message}, or appended on a line of its own. */
    private static byte[] withLineAfterTheFirst(byte[] message, byte[] line) {
        int at = 0;
        while (at < message.length && message[at] != '\n') {
            at++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + line.length + 2);
        if (at == message.length) {
            out.writeBytes(message);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(line);
        } else {
            out.write(message, 0, at + 1);
            out.writeBytes(line);
            out.write(message, at + 1, message.length - at - 1);
        }
        return out.toByteArray();
    }

    private String template() {
        long n = sequence++;
        String callId = "fuzz-" + n + "-" + Long.toHexString(random.nextLong()) + "@" + address;
        String via = "Via: SIP/2.0/" + transport + " " + address + ":" + port + ";branch=z9hG4bKfz" + n + ";rport\r\n";
        String from = "From: <sip:+12065550100@" + address + ">;tag=f" + n + "\r\n";
        String trunk = TestNet.TRUNK_DOMAIN;
        String contact = "Contact: <sip:pbx@" + address + ":" + port + ";transport=" + transport.toLowerCase() + ">\r\n";
        String sdp = "v=0\r\no=pbx 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        switch (random.nextInt(6)) {
            case 0, 1:
                return "INVITE sip:" + requestUser + "@" + trunk + " SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + from
                        + "To: <sip:" + requestUser + "@" + trunk + ">\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                        + contact + "Supported: timer\r\nSession-Expires: 1800\r\nP-Asserted-Identity: <sip:+12065550100@"
                        + address + ">\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            case 2:
                return "REGISTER sip:" + trunk + " SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n"
                        + "From: <sip:pbx@" + trunk + ">;tag=r" + n + "\r\nTo: <sip:pbx@" + trunk + ">\r\nCall-ID: " + callId
                        + "\r\nCSeq: " + (n + 1) + " REGISTER\r\n" + contact + "Expires: 60\r\n"
                        + (wrongDigests ? "Authorization: Digest username=\"pbx\", realm=\"" + trunk + "\", nonce=\"abc\", uri=\"sip:"
                        + trunk + "\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5\r\n" : "")
                        + "Content-Length: 0\r\n\r\n";
            case 3:
                return "OPTIONS sip:" + trunk + " SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + from + "To: <sip:" + trunk
                        + ">\r\nCall-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n";
            case 4:
                return "BYE sip:pbx@" + trunk + " SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + from + "To: <sip:" + trunk
                        + ">;tag=t" + n + "\r\nCall-ID: " + callId + "\r\nCSeq: 2 BYE\r\nReason: Q.850;cause=16\r\n"
                        + "Content-Length: 0\r\n\r\n";
            default:
                String status = random.nextBoolean() ? "200 OK" : "180 Ringing";
                return "SIP/2.0 " + status + "\r\nVia: SIP/2.0/UDP " + TestNet.TRUNK_HOST + ":" + TestNet.TRUNK_PORT
                        + ";branch=z9hG4bKnotours" + n + "\r\n" + from + "To: <sip:" + trunk + ">;tag=t" + n + "\r\nCall-ID: "
                        + callId + "\r\nCSeq: 1 INVITE\r\n" + contact + "Content-Type: application/sdp\r\nContent-Length: "
                        + sdp.length() + "\r\n\r\n" + sdp;
        }
    }

    private byte[] mutate(byte[] m) {
        if (m.length == 0) {
            return m;
        }
        switch (random.nextInt(10)) {
            case 0: { // flip a few bytes
                byte[] out = m.clone();
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 1: // truncate
                return Arrays.copyOf(m, random.nextInt(m.length));
            case 2: { // duplicate a header line
                List<String> lines = lines(m);
                if (lines.size() > 2) {
                    int i = 1 + random.nextInt(lines.size() - 2); // a header, not the body after them
                    lines.add(i, lines.get(i));
                }
                return join(lines);
            }
            case 3: { // remove a header line
                List<String> lines = lines(m);
                if (lines.size() > 2) {
                    lines.remove(1 + random.nextInt(lines.size() - 2));
                }
                return join(lines);
            }
            case 4: { // a huge value
                List<String> lines = lines(m);
                String huge = "x".repeat(1 + random.nextInt(HUGE_VALUE_MAX));
                int i = 1 + random.nextInt(Math.max(1, lines.size() - 1));
                if (random.nextBoolean() && i < lines.size() - 1 && lines.get(i).contains(":")) {
                    lines.set(i, lines.get(i) + huge);
                } else {
                    lines.add(Math.min(i, lines.size()), "X-Huge: " + huge);
                }
                return join(lines);
            }
            case 5: { // lying Content-Length
                String text = new String(m, StandardCharsets.ISO_8859_1);
                String bad = BAD_CONTENT_LENGTHS[random.nextInt(BAD_CONTENT_LENGTHS.length)];
                return text.replaceFirst("Content-Length: \\d+", "Content-Length: " + bad).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 6: { // bytes that are not UTF-8
                byte[] insert = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
                int at = random.nextInt(m.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(m, 0, at);
                out.writeBytes(insert);
                out.write(m, at, m.length - at);
                return out.toByteArray();
            }
            case 7: { // line ends: bare LF, bare CR, or a folded line
                String text = new String(m, StandardCharsets.ISO_8859_1);
                String[] broken = {"\n", "\r", "\r\n ", "\r\n\r\n"};
                int at = text.indexOf("\r\n", random.nextInt(text.length()));
                if (at < 0) {
                    return m;
                }
                return (text.substring(0, at) + broken[random.nextInt(broken.length)] + text.substring(at + 2))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 8: { // a mangled start line
                List<String> lines = lines(m);
                lines.set(0, BAD_START_LINES[random.nextInt(BAD_START_LINES.length)]);
                return join(lines);
            }
            default: { // a header with a broken value: unbalanced quotes and brackets, bad numbers
                List<String> lines = lines(m);
                String[] broken = {"From: \"unbalanced <sip:a@b", "To: <sip:a@b;tag=", "CSeq: notanumber INVITE",
                        "Max-Forwards: -1", "Via: SIP/2.0/UDP", "Contact: <sip:@:99999>", "Call-ID: ",
                        "Expires: 99999999999999999999", "Session-Expires: 0;refresher=nobody", "Content-Type: /",
                        "Route: <sip:" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT + ";lr", "Require: ,,,",
                        "Proxy-Authorization: Digest username=\"x\", nonce=\"", "P-Asserted-Identity: <tel:+1;;>",
                        "Remote-Party-ID: <sip:%zz@x>;party=", "Privacy: id;;", "Diversion: <>;reason="};
                int i = 1 + random.nextInt(Math.max(1, lines.size() - 1));
                lines.add(Math.min(i, lines.size()), broken[random.nextInt(broken.length)]);
                return join(lines);
            }
        }
    }

    /** Header lines (start line first) and, as the last element, the blank line and body. */
    private static List<String> lines(byte[] m) {
        String text = new String(m, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        List<String> lines = new ArrayList<>(Arrays.asList(head.split("\r\n", -1)));
        lines.add(headEnd < 0 ? "" : "\r\n" + text.substring(headEnd + 4)); // marker: the rest
        return lines;
    }

    private static byte[] join(List<String> lines) {
        String rest = lines.remove(lines.size() - 1);
        return (String.join("\r\n", lines) + (rest.isEmpty() ? "" : "\r\n" + rest)).getBytes(StandardCharsets.ISO_8859_1);
    }
}
