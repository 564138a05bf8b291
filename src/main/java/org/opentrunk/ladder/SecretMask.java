package org.opentrunk.ladder;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Masks credentials in a SIP message's text before it is kept: the values of
 * {@code Authorization} and {@code Proxy-Authorization}. The scheme and the parameters that say
 * whose and which credentials they are (username, realm, uri, algorithm, qop, nc) stay readable;
 * the response and everything derived from the nonce (nonce, cnonce, opaque) become
 * {@value #MASK}. A scheme other than Digest keeps only its name. In the body, the SDES master
 * keys of SRTP offers and answers ({@code a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<key>}, RFC
 * 4568) are masked too: the media keys stay the endpoints' (IC-SRTP).
 */
public final class SecretMask {

    public static final String MASK = "***";
    private static final java.util.regex.Pattern SDES_KEY = java.util.regex.Pattern.compile("inline:[^|\\s;]+");
    private static final Set<String> KEPT = Set.of("username", "realm", "uri", "algorithm", "qop", "nc");

    private SecretMask() {
    }

    /** {@code text} with its credentials masked; the same string when it has none. */
    public static String mask(String text) {
        return mask(text, name -> List.of());
    }

    /**
     * {@code text} with its credentials masked, where a container's {@code toString()} hid the
     * values of the credential headers (Liberty writes {@code <hidden>}): each such line is
     * written again from {@code values} (the header's values, in order, by its lower-case name)
     * and then masked, so that the scheme and username show.
     */
    public static String mask(String text, Function<String, List<String>> values) {
        if (text == null || (!containsIgnoreCase(text, "authorization") && !text.contains("a=crypto:"))) {
            return text; // the common case: a scan, no copy
        }
        Map<String, Iterator<String>> remaining = new HashMap<>();
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        boolean inHeaders = true;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            String line = text.substring(start, next);
            if (inHeaders && line.strip().isEmpty() && start > 0) {
                inHeaders = false; // the body is not headers
            }
            out.append(inHeaders ? maskLine(line, values, remaining) : maskSdesKey(line));
            start = next;
        }
        return out.toString();
    }

    /** An {@code a=crypto} line with its key(s) masked; other body lines as they are. */
    private static String maskSdesKey(String line) {
        return line.startsWith("a=crypto:") ? SDES_KEY.matcher(line).replaceAll("inline:" + MASK) : line;
    }

    private static String maskLine(String line, Function<String, List<String>> values, Map<String, Iterator<String>> remaining) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return line;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (!name.equals("authorization") && !name.equals("proxy-authorization")) {
            return line;
        }
        int valueEnd = line.length();
        while (valueEnd > colon + 1 && (line.charAt(valueEnd - 1) == '\n' || line.charAt(valueEnd - 1) == '\r')) {
            valueEnd--;
        }
        String value = line.substring(colon + 1, valueEnd).strip();
        Iterator<String> actual = remaining.computeIfAbsent(name, n -> {
            List<String> list = values.apply(n);
            return (list == null ? List.<String>of() : list).iterator();
        });
        if (actual.hasNext()) {
            String next = actual.next();
            if (next != null) {
                value = next.strip();
            }
        }
        return line.substring(0, colon + 1) + " " + maskValue(value) + line.substring(valueEnd);
    }

    /** A credentials value: {@code scheme param=value, ...}. */
    static String maskValue(String value) {
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (space < 0) {
            return scheme;
        }
        if (!scheme.equalsIgnoreCase("Digest")) {
            return scheme + " " + MASK;
        }
        StringBuilder out = new StringBuilder(scheme);
        String rest = value.substring(space + 1);
        int i = 0;
        boolean first = true;
        while (i < rest.length()) {
            int paramEnd = paramEnd(rest, i);
            String param = rest.substring(i, paramEnd).strip();
            if (!param.isEmpty()) {
                out.append(first ? " " : ", ");
                first = false;
                int eq = param.indexOf('=');
                String name = (eq < 0 ? param : param.substring(0, eq)).strip();
                if (eq < 0 || KEPT.contains(name.toLowerCase(Locale.ROOT))) {
                    out.append(param);
                } else {
                    String v = param.substring(eq + 1).strip();
                    out.append(name).append('=').append(v.startsWith("\"") ? "\"" + MASK + "\"" : MASK);
                }
            }
            i = paramEnd + 1;
        }
        return out.toString();
    }

    /** The index of the comma that ends the parameter starting at {@code from} (outside quotes), or the end. */
    private static int paramEnd(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return s.length();
    }

    /**
     * Whether {@code text} holds {@code word} (lower case ASCII letters) in any case. Runs on every
     * message of every call (issue 23: a case-insensitive compare at each position cost 6% of the
     * server's CPU at 1,000 calls/s), so it compares only where the first letter matches.
     */
    static boolean containsIgnoreCase(String text, String word) {
        int n = word.length();
        char first = word.charAt(0);
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, word, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
