package org.opentrunk.core.front;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrunk.core.config.Transport;

/**
 * The header in which OpenTrunk's front (deploy/kamailio/opentrunk-front.cfg) names the real
 * source of each request it forwards to a node: {@code X-OT-Source: 192.0.2.7:5060;transport=udp}.
 * The front removes any such header that arrives from outside; a node reads it only from a trusted
 * front ({@link TrustedFronts}). Anything but exactly that form is ignored, never half-read.
 */
public final class SourceHeader {

    public static final String NAME = "X-OT-Source";
    static final int MAX_PORT = 65535;
    /** Longest value read: {@code 255.255.255.255:65535;transport=udp} is 36 characters. */
    static final int MAX_LENGTH = 64;

    private static final Pattern VALUE = Pattern.compile(
            "((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})"
                    + ":(\\d{1,5})(?:;transport=([A-Za-z]+))?");

    private SourceHeader() {
    }

    /** The source the value names; empty when it is missing, too long or not of that form. */
    public static Optional<RequestSource> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = VALUE.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > MAX_PORT) {
            return Optional.empty();
        }
        Transport transport;
        String named = m.group(3) == null ? "udp" : m.group(3).toLowerCase(Locale.ROOT);
        switch (named) {
            case "udp" -> transport = Transport.UDP;
            case "tcp" -> transport = Transport.TCP;
            case "tls" -> transport = Transport.TLS;
            default -> {
                return Optional.empty(); // SCTP, WS: not transports OpenTrunk speaks (IC-IPV4)
            }
        }
        return Optional.of(new RequestSource(m.group(1), port, transport, true));
    }

    /** The header's value for {@code source} (the front writes it; tests too). */
    public static String value(RequestSource source) {
        return source.address() + ":" + source.port() + ";transport=" + source.transport().uriParameter();
    }
}
