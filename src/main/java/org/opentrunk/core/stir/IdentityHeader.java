package org.opentrunk.core.stir;

import java.util.Locale;
import java.util.Optional;

/**
 * A received {@code Identity} header (RFC 8224 section 4.1):
 * {@code <compact JWS>;info=<URI>;alg=ES256;ppt=shaken}, with parameters in any order.
 *
 * @param jws  the compact JWS (header.claims.signature)
 * @param info the certificate URL of the {@code info} parameter, without its angle brackets
 * @param ppt  the {@code ppt} parameter, empty when absent
 */
public record IdentityHeader(String jws, String info, Optional<String> ppt) {

    /** An Identity header longer than this is refused unparsed: a SHAKEN one is about 600 characters. */
    public static final int MAX_LENGTH = 8 * 1024;

    /** The header, or empty when it is not one (no JWS, no info): such a header cannot be verified. */
    public static Optional<IdentityHeader> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = value.trim().split(";");
        String jws = parts[0].trim();
        if (jws.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        String info = null;
        String ppt = null;
        // info's URI is in <>; it may hold ';' itself (URI parameters), so rejoin until the '>'.
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder v = new StringBuilder(p.substring(eq + 1).trim());
            if (name.equals("info") && v.length() > 0 && v.charAt(0) == '<') {
                while (v.indexOf(">") < 0 && i + 1 < parts.length) {
                    v.append(';').append(parts[++i]);
                }
                int close = v.indexOf(">");
                if (close < 0) {
                    return Optional.empty();
                }
                info = v.substring(1, close);
            } else if (name.equals("ppt")) {
                ppt = v.toString().replace("\"", "");
            }
        }
        return info == null ? Optional.empty() : Optional.of(new IdentityHeader(jws, info, Optional.ofNullable(ppt)));
    }
}
