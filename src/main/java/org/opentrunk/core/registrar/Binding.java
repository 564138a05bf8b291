package org.opentrunk.core.registrar;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opentrunk.core.address.SipUri;
import org.opentrunk.core.config.Transport;

/**
 * One registered contact of a customer (RFC 3261 section 10.3): where its inbound calls go until
 * {@link #expiresAtMs}. Calls are sent to {@link #sourceAddress}:{@link #sourcePort} over
 * {@link #transport}, where the REGISTER came from, not to the host in the contact URI: behind NAT
 * the URI names a private address that only the customer's side can reach, while the source is
 * the NAT binding the registration refreshes. The contact URI becomes the Request-URI.
 *
 * @param customerId    the customer the REGISTER authenticated as
 * @param contactUri    the contact's URI as text ({@code sip:100@192.168.1.5:5060;transport=udp}), a
 *                      {@code sip:} URI of at most {@link #MAX_CONTACT_URI_LENGTH} characters
 * @param sourceAddress the IPv4 address the REGISTER came from (dotted quad)
 * @param sourcePort    the port it came from
 * @param transport     the transport it came over
 * @param expiresAtMs   when the binding lapses (epoch milliseconds); expired at this instant
 * @param callId        the REGISTER's Call-ID, at most {@link #MAX_CALL_ID_LENGTH} characters
 * @param cseq          the REGISTER's CSeq number, 0 to {@link #MAX_CSEQ}
 * @param q             the contact's preference, when it gave one
 * @param userAgent     the REGISTER's User-Agent, at most {@link #MAX_USER_AGENT_LENGTH} characters,
 *                      for the operator's eyes only
 * @param path          the REGISTER's Path header values (RFC 3327), in order: the Route set of
 *                      every request to this contact, so it goes back through the proxies (the
 *                      cluster's front) it registered through; empty when it came directly.
 *                      At most {@link #MAX_PATH_ENTRIES} of at most {@link #MAX_PATH_LENGTH} characters
 */
public record Binding(long customerId, String contactUri, String sourceAddress, int sourcePort, Transport transport,
                      long expiresAtMs, String callId, long cseq, Optional<QValue> q, Optional<String> userAgent, List<String> path) {

    /** Longest contact URI kept; real ones are under 200 characters, and the column holds this many. */
    public static final int MAX_CONTACT_URI_LENGTH = 512;
    /** Longest Call-ID kept, as for CDRs. */
    public static final int MAX_CALL_ID_LENGTH = 255;
    /** Longest User-Agent kept; longer ones are cut when a REGISTER is read, never refused. */
    public static final int MAX_USER_AGENT_LENGTH = 128;
    /** RFC 3261 section 8.1.1.5: a CSeq number is below 2**31. */
    public static final long MAX_CSEQ = Integer.MAX_VALUE;
    public static final int MAX_PORT = 65535;
    /** Path entries kept: a front or two (RFC 3327 allows more; a longer chain is refused). */
    public static final int MAX_PATH_ENTRIES = 4;
    /** Longest Path entry, as the column holds {@link #MAX_PATH_ENTRIES} of them. */
    public static final int MAX_PATH_LENGTH = 250;

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public Binding {
        Objects.requireNonNull(contactUri, "contactUri");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(userAgent, "userAgent");
        path = List.copyOf(path);
        if (!isPath(path)) {
            throw new IllegalArgumentException("Path has more than " + MAX_PATH_ENTRIES + " entries, or one longer than "
                    + MAX_PATH_LENGTH + " characters or not printable");
        }
        if (ContactUris.parse(contactUri).isEmpty()) {
            throw new IllegalArgumentException("contact URI is not a sip: URI of at most " + MAX_CONTACT_URI_LENGTH
                    + " characters");
        }
        if (!isIpv4(sourceAddress)) {
            throw new IllegalArgumentException("source address is not an IPv4 address");
        }
        if (sourcePort < 1 || sourcePort > MAX_PORT) {
            throw new IllegalArgumentException("source port out of range: " + sourcePort);
        }
        if (!isCallId(callId)) {
            throw new IllegalArgumentException("Call-ID is empty, longer than " + MAX_CALL_ID_LENGTH
                    + " characters or not printable");
        }
        if (cseq < 0 || cseq > MAX_CSEQ) {
            throw new IllegalArgumentException("CSeq out of range: " + cseq);
        }
        if (userAgent.isPresent() && (userAgent.get().isEmpty() || userAgent.get().length() > MAX_USER_AGENT_LENGTH
                || userAgent.get().chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("User-Agent is empty, longer than " + MAX_USER_AGENT_LENGTH
                    + " characters or has control characters");
        }
    }

    /** A binding without Path: its REGISTER came directly. */
    public Binding(long customerId, String contactUri, String sourceAddress, int sourcePort, Transport transport,
                   long expiresAtMs, String callId, long cseq, Optional<QValue> q, Optional<String> userAgent) {
        this(customerId, contactUri, sourceAddress, sourcePort, transport, expiresAtMs, callId, cseq, q, userAgent, List.of());
    }

    /** Path values as a REGISTER may carry them: few, short, printable, each a {@code <sip:...>} name-addr. */
    public static boolean isPath(List<String> path) {
        return path.size() <= MAX_PATH_ENTRIES && path.stream().allMatch(p -> p != null && !p.isBlank()
                && p.length() <= MAX_PATH_LENGTH && p.strip().startsWith("<sip:") && p.strip().endsWith(">")
                && p.chars().allMatch(c -> c >= 0x20 && c < 0x7f));
    }

    /** The contact URI, parsed (it always parses: the constructor checked). */
    public SipUri uri() {
        return ContactUris.parse(contactUri).orElseThrow();
    }

    public boolean isExpired(long nowMs) {
        return expiresAtMs <= nowMs;
    }

    /** Whole seconds left, rounded up, so that a binding made for 3600 s shows 3600 at once; 0 once expired. */
    public long remainingSeconds(long nowMs) {
        long remainingMs = expiresAtMs - nowMs;
        return remainingMs <= 0 ? 0 : (remainingMs + 999) / 1000;
    }

    /** True for dotted-quad IPv4 text such as {@code 192.0.2.10}. */
    public static boolean isIpv4(String text) {
        return text != null && IPV4.matcher(text).matches();
    }

    /** Call-ID: 1 to {@link #MAX_CALL_ID_LENGTH} printable ASCII characters, no spaces (RFC 3261 section 25.1). */
    public static boolean isCallId(String text) {
        return text != null && !text.isEmpty() && text.length() <= MAX_CALL_ID_LENGTH
                && text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
