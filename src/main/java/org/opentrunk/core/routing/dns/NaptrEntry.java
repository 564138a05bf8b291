package org.opentrunk.core.routing.dns;

import java.util.Objects;

/**
 * The data of one NAPTR record (RFC 3403), apart from the DNS library's types so that the
 * selection can be tested without DNS.
 *
 * @param order       0 to 65535; lower is processed first
 * @param preference  0 to 65535; breaks ties of equal order
 * @param flags       e.g. {@code s} (the replacement names SRV records)
 * @param service     e.g. {@code SIP+D2U}
 * @param regexp      the rewrite rule; empty for SIP (RFC 3263 section 4.1)
 * @param replacement the name to look up next, without the trailing dot; {@code "."} for none
 */
public record NaptrEntry(int order, int preference, String flags, String service, String regexp,
        String replacement) {

    public NaptrEntry {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(regexp, "regexp");
        Objects.requireNonNull(replacement, "replacement");
    }
}
