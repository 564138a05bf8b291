package org.opentrunk.core.address;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * {@code %XX} escapes of URI user parts (RFC 3261 section 19.1.2, RFC 3986 section 2.1), read as
 * UTF-8. PBXs escape inconsistently ({@code %23} or a bare {@code #}, {@code %2B} or {@code +}), so
 * OpenTrunk compares user parts only after {@link #decode}.
 */
public final class UriEscapes {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEscapes() {
    }

    /**
     * {@code text} with every {@code %XX} replaced by its byte, the bytes read as UTF-8; empty when
     * a {@code %} is not followed by two hex digits, the bytes are not UTF-8, or {@code text} has
     * half a surrogate pair.
     */
    public static Optional<String> decode(String text) {
        if (Syntax.loneSurrogate(text) >= 0) {
            return Optional.empty();
        }
        if (text.indexOf('%') < 0) {
            return Optional.of(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || !isAsciiHex(text.charAt(i + 1)) || !isAsciiHex(text.charAt(i + 2))) {
                    return Optional.empty();
                }
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 3;
            } else {
                byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** {@code text} with every character for which {@code raw} is false written as UTF-8 {@code %XX} escapes. */
    public static String encode(String text, IntPredicate raw) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (raw.test(c)) {
                out.appendCodePoint(c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static boolean isAsciiHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
