package org.opentrunk.core.headers;

import java.util.Locale;
import java.util.Map;

/**
 * Header names compare ignoring case, and a compact form names the same header as its long form
 * (RFC 3261 section 7.3.3): {@code f} is From, {@code m} is Contact. A policy that forgot either
 * would let {@code v:} or {@code VIA:} through where {@code Via} is blocked.
 */
public final class HeaderNames {

    /** Compact form to long form, for every compact form registered with IANA. */
    public static final Map<String, String> COMPACT_FORMS = Map.ofEntries(
            Map.entry("a", "Accept-Contact"),
            Map.entry("b", "Referred-By"),
            Map.entry("c", "Content-Type"),
            Map.entry("d", "Request-Disposition"),
            Map.entry("e", "Content-Encoding"),
            Map.entry("f", "From"),
            Map.entry("i", "Call-ID"),
            Map.entry("j", "Reject-Contact"),
            Map.entry("k", "Supported"),
            Map.entry("l", "Content-Length"),
            Map.entry("m", "Contact"),
            Map.entry("n", "Identity-Info"),
            Map.entry("o", "Event"),
            Map.entry("r", "Refer-To"),
            Map.entry("s", "Subject"),
            Map.entry("t", "To"),
            Map.entry("u", "Allow-Events"),
            Map.entry("v", "Via"),
            Map.entry("x", "Session-Expires"),
            Map.entry("y", "Identity"));

    private HeaderNames() {
    }

    /** The long form, lower case: the key to compare names by. {@code null} reads as empty. */
    public static String key(String name) {
        String n = name == null ? "" : name.strip();
        String longForm = COMPACT_FORMS.getOrDefault(n.toLowerCase(Locale.ROOT), n);
        return longForm.toLowerCase(Locale.ROOT);
    }

    /** True when both name the same header. */
    public static boolean same(String a, String b) {
        return key(a).equals(key(b));
    }
}
