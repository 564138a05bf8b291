package org.opentrunk.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Netstrings ({@code <length>:<bytes>,}), the framing of baresip's {@code ctrl_tcp} control
 * socket: one JSON command or event per netstring.
 */
public final class Netstring {

    /** Longest frame accepted: a control event is a few hundred bytes. */
    static final int MAX_LENGTH = 1 << 20;
    private static final int MAX_LENGTH_DIGITS = 7;

    private Netstring() {
    }

    public static byte[] encode(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] head = (body.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        frame[frame.length - 1] = ',';
        return frame;
    }

    /** Reads one netstring; blocks until it is complete. */
    public static String read(InputStream in) throws IOException {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new EOFException("control connection closed");
            }
            if (c < '0' || c > '9' || digits.size() >= MAX_LENGTH_DIGITS) {
                throw new IOException("not a netstring length: " + digits + (char) c);
            }
            digits.write(c);
        }
        int length = Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
        if (length > MAX_LENGTH) {
            throw new IOException("netstring of " + length + " bytes");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length || in.read() != ',') {
            throw new IOException("truncated netstring");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
