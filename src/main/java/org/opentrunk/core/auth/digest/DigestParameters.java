package org.opentrunk.core.auth.digest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits {@code Digest name=value, name="quoted value", ...} into lowercase names and unquoted
 * values (RFC 3261 section 25.1 and RFC 2617 section 3.2.2 syntax): the scheme and the names are
 * case-insensitive, parameters come in any order, whitespace may surround {@code =} and {@code ,},
 * empty list elements are skipped (RFC 7230 section 7), values are tokens or quoted-strings with
 * backslash escapes. Control characters are refused wherever they appear, except tab, and so is a
 * parameter given twice, since two parties could pick different ones.
 */
final class DigestParameters {

    /** The scheme, compared case-insensitively. */
    static final String SCHEME = "Digest";
    /** Longest name quoted in an error message, so that messages stay readable. */
    private static final int MAX_QUOTED_NAME = 32;

    private final String text;
    private int at;

    private DigestParameters(String text) {
        this.text = text;
    }

    /**
     * The parameters of a digest credentials value; the caller has already bounded its length.
     *
     * @throws MalformedCredentialsException if the value does not follow the syntax
     */
    static Map<String, String> parse(String text) throws MalformedCredentialsException {
        return new DigestParameters(text).parameters();
    }

    private Map<String, String> parameters() throws MalformedCredentialsException {
        skipWhitespace();
        String scheme = token();
        if (scheme.isEmpty()) {
            throw malformed("expected the scheme " + SCHEME);
        }
        if (!scheme.equalsIgnoreCase(SCHEME)) {
            throw malformed("the scheme is " + shortened(scheme) + ", not " + SCHEME);
        }
        if (!atEnd() && !isWhitespace(text.charAt(at))) {
            throw malformed("expected whitespace after " + SCHEME);
        }
        Map<String, String> parameters = new HashMap<>();
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                break;
            }
            if (text.charAt(at) == ',') {
                at++;
                continue;
            }
            String name = token().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw malformed("expected a parameter name");
            }
            skipWhitespace();
            if (atEnd() || text.charAt(at) != '=') {
                throw malformed("expected '=' after " + shortened(name));
            }
            at++;
            skipWhitespace();
            String value = value(name);
            if (parameters.putIfAbsent(name, value) != null) {
                throw malformed("parameter " + shortened(name) + " appears twice");
            }
            skipWhitespace();
            if (!atEnd() && text.charAt(at) != ',') {
                throw malformed("expected ',' after the value of " + shortened(name));
            }
        }
        if (parameters.isEmpty()) {
            throw malformed(SCHEME + " without parameters");
        }
        return parameters;
    }

    private String value(String name) throws MalformedCredentialsException {
        if (!atEnd() && text.charAt(at) == '"') {
            return quotedString(name);
        }
        String token = token();
        if (token.isEmpty()) {
            throw malformed("expected a token or a quoted string as the value of " + shortened(name));
        }
        return token;
    }

    private String quotedString(String name) throws MalformedCredentialsException {
        int start = at;
        at++; // opening quote
        StringBuilder value = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return value.toString();
            }
            if (c == '\\') {
                if (at + 1 == text.length()) {
                    break;
                }
                c = text.charAt(++at);
            }
            if (isControl(c)) {
                throw malformed("control character in the value of " + shortened(name));
            }
            value.append(c);
            at++;
        }
        throw new MalformedCredentialsException("unterminated quoted string (the value of "
                + shortened(name) + ", starting at position " + start + ")");
    }

    /** The longest run of token characters at the cursor, possibly empty. */
    private String token() {
        int start = at;
        while (!atEnd() && isTokenChar(text.charAt(at))) {
            at++;
        }
        return text.substring(start, at);
    }

    private void skipWhitespace() {
        while (!atEnd() && isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean atEnd() {
        return at >= text.length();
    }

    private MalformedCredentialsException malformed(String what) {
        return new MalformedCredentialsException(what + " at position " + at);
    }

    /** Space, tab, and CR/LF of a folded line (RFC 3261 LWS), which some stacks leave in. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' || c == 0x7f;
    }

    /** RFC 3261 token: alphanum and {@code -.!%*_+`'~}. */
    static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String shortened(String token) {
        return token.length() <= MAX_QUOTED_NAME ? token : token.substring(0, MAX_QUOTED_NAME) + "...";
    }
}
