package org.opentrunk.core.registrar;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.opentrunk.core.config.Transport;

/**
 * A REGISTER, read: what {@link Registrar#decide} needs and nothing that could be malformed.
 *
 * @param customerId    the authenticated customer
 * @param contacts      the Contact entries in order; empty for a query (fetch) of the bindings
 * @param expires       the Expires header, when it has a well-formed value
 * @param callId        the Call-ID (valid per {@link Binding#isCallId})
 * @param cseq          the CSeq number, 0 to {@link Binding#MAX_CSEQ}
 * @param sourceAddress the IPv4 address it came from, dotted quad
 * @param sourcePort    the port it came from
 * @param transport     the transport it came over
 * @param userAgent     the User-Agent, made printable and cut to {@link Binding#MAX_USER_AGENT_LENGTH}
 * @param nowMs         the time of the request (epoch milliseconds)
 * @param path          its Path values (RFC 3327), valid per {@link Binding#isPath}
 */
public record RegisterRequest(long customerId, List<ContactEntry> contacts, OptionalLong expires, String callId,
                              long cseq, String sourceAddress, int sourcePort, Transport transport,
                              Optional<String> userAgent, long nowMs, List<String> path) {

    /**
     * Most contacts read from one REGISTER. Above the per-customer binding limit, so that a UA that
     * lists too many is told {@link RegisterProblem#TOO_MANY_BINDINGS}, and small enough that a
     * hostile list costs next to nothing.
     */
    public static final int MAX_CONTACTS = 32;

    private static final String METHOD = "REGISTER";
    /** How dual-stack sockets show an IPv4 peer. */
    private static final String IPV4_MAPPED = "::ffff:";

    public RegisterRequest {
        contacts = List.copyOf(contacts);
        path = List.copyOf(path);
        if (!Binding.isPath(path)) {
            throw new IllegalArgumentException("not a Path");
        }
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(userAgent, "userAgent");
        if (contacts.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException("more than " + MAX_CONTACTS + " contacts");
        }
        if (!Binding.isCallId(callId)) {
            throw new IllegalArgumentException("not a Call-ID");
        }
        if (cseq < 0 || cseq > Binding.MAX_CSEQ) {
            throw new IllegalArgumentException("CSeq out of range: " + cseq);
        }
        if (!Binding.isIpv4(sourceAddress) || sourcePort < 1 || sourcePort > Binding.MAX_PORT) {
            throw new IllegalArgumentException("source is not an IPv4 address and port");
        }
    }

    /** A REGISTER without Path. */
    public RegisterRequest(long customerId, List<ContactEntry> contacts, OptionalLong expires, String callId, long cseq,
                           String sourceAddress, int sourcePort, Transport transport, Optional<String> userAgent, long nowMs) {
        this(customerId, contacts, expires, callId, cseq, sourceAddress, sourcePort, transport, userAgent, nowMs, List.of());
    }

    /** Reads a REGISTER; never throws for any header text. */
    public static RegisterParseResult parse(RegisterHeaders headers) {
        try {
            List<ContactEntry> contacts = ContactHeaderParser.parse(headers.contactValues());
            String callId = headers.callId() == null ? null : headers.callId().strip();
            if (!Binding.isCallId(callId)) {
                throw new RegisterRefusal(RegisterProblem.MALFORMED_CALL_ID,
                        "Call-ID " + ContactHeaderParser.quote(headers.callId()) + " is empty, longer than "
                                + Binding.MAX_CALL_ID_LENGTH + " characters or not printable");
            }
            long cseq = cseq(headers.cseq());
            String source = unmapped(headers.sourceAddress());
            if (!Binding.isIpv4(source) || headers.sourcePort() < 1 || headers.sourcePort() > Binding.MAX_PORT) {
                throw new RegisterRefusal(RegisterProblem.UNSUPPORTED_SOURCE, "source "
                        + ContactHeaderParser.quote(headers.sourceAddress()) + " port " + headers.sourcePort()
                        + " is not an IPv4 address and port");
            }
            return new RegisterParseResult.Parsed(new RegisterRequest(headers.customerId(), contacts,
                    DeltaSeconds.parse(headers.expires()), callId, cseq, source, headers.sourcePort(),
                    headers.transport(), userAgent(headers.userAgent()), headers.nowMs(), path(headers.path())));
        } catch (RegisterRefusal refusal) {
            return new RegisterParseResult.Malformed(refusal.problem,
                    "REGISTER of customer " + headers.customerId() + ": " + refusal.getMessage());
        }
    }

    /** True for a REGISTER without contacts: it asks for the current bindings and changes nothing. */
    public boolean isFetch() {
        return contacts.isEmpty();
    }

    /**
     * The Path values as sent (a value may list several, comma-separated, RFC 3327 §4); refused
     * when a binding could not keep them: a call to it would miss the proxies it registered through.
     */
    private static List<String> path(List<String> values) throws RegisterRefusal {
        List<String> entries = new java.util.ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(",(?=\\s*<)")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        if (!Binding.isPath(entries)) {
            throw new RegisterRefusal(RegisterProblem.MALFORMED_PATH, "Path of " + entries.size()
                    + " entries is not at most " + Binding.MAX_PATH_ENTRIES + " <sip:...> values of at most "
                    + Binding.MAX_PATH_LENGTH + " characters");
        }
        return entries;
    }

    /** {@code 12 REGISTER} or {@code 12}: the number. */
    private static long cseq(String value) throws RegisterRefusal {
        String[] parts = value == null ? new String[0] : value.strip().split("[ \t]+");
        boolean wellFormed = parts.length >= 1 && parts.length <= 2
                && !parts[0].isEmpty() && parts[0].length() <= 10 && parts[0].chars().allMatch(c -> c >= '0' && c <= '9')
                && Long.parseLong(parts[0]) <= Binding.MAX_CSEQ
                && (parts.length == 1 || parts[1].equals(METHOD));
        if (!wellFormed) {
            throw new RegisterRefusal(RegisterProblem.MALFORMED_CSEQ, "CSeq " + ContactHeaderParser.quote(value)
                    + " is not a number below 2**31 followed by REGISTER");
        }
        return Long.parseLong(parts[0]);
    }

    private static String unmapped(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        return a.toLowerCase(Locale.ROOT).startsWith(IPV4_MAPPED) ? a.substring(IPV4_MAPPED.length()) : a;
    }

    /** Control characters become spaces; cut at a whole character; blank is none. Informational, so never refused. */
    private static Optional<String> userAgent(String value) {
        if (value == null) {
            return Optional.empty();
        }
        StringBuilder clean = new StringBuilder();
        value.strip().codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String text = clean.toString().strip();
        if (text.length() > Binding.MAX_USER_AGENT_LENGTH) {
            int end = Binding.MAX_USER_AGENT_LENGTH;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end).strip();
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
