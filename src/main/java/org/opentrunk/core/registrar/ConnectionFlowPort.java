package org.opentrunk.core.registrar;

import java.util.OptionalInt;
import org.opentrunk.core.config.Transport;

/**
 * The port under which a SIP stack that reuses connections (RFC 5923) files a TCP or TLS
 * connection a PBX opened: the sent-by port of the PBX's top Via, on the connection's remote
 * address. Liberty's stack does so for every inbound stream connection by default (its
 * {@code forceConnectionReuse}, without the peer's {@code alias} parameter): a request addressed
 * to {@code source address : sent-by port} goes over the PBX's own connection, while one addressed
 * to the connection's ephemeral source port finds no connection and is sent over a new one to a
 * port where nothing listens (issue 21, a PBX registered over TLS: docs/operations.md, "Registered
 * PBXs over TCP and TLS"). UDP has no connection: its source port is where replies go (NAT).
 */
public final class ConnectionFlowPort {

    /** RFC 3261 section 18.2.2 / 19.1.2: sent-by without a port means 5060, 5061 for TLS. */
    public static final int DEFAULT_PORT = 5060;
    public static final int DEFAULT_TLS_PORT = 5061;

    private ConnectionFlowPort() {
    }

    /**
     * The port to address requests to for a PBX whose request came from {@code sourcePort} over
     * {@code transport} with top Via {@code topVia} (its value, e.g. {@code SIP/2.0/TLS
     * 192.0.2.7:5061;branch=...;rport}): the sent-by port for TCP and TLS, the source port for
     * UDP or when the Via cannot be read.
     */
    public static int of(Transport transport, int sourcePort, String topVia) {
        if (transport == Transport.UDP) {
            return sourcePort;
        }
        return sentByPort(topVia, transport).orElse(sourcePort);
    }

    /** The sent-by port of a Via value, its transport's default when it names none; empty when unreadable. */
    static OptionalInt sentByPort(String via, Transport transport) {
        if (via == null) {
            return OptionalInt.empty();
        }
        String text = via.strip();
        int space = indexOfWhitespace(text);
        if (!text.regionMatches(true, 0, "SIP/2.0/", 0, "SIP/2.0/".length()) || space < 0) {
            return OptionalInt.empty();
        }
        String rest = text.substring(space).stripLeading();
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ';' && rest.charAt(end) != ',' && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        String sentBy = rest.substring(0, end);
        int colon = sentBy.startsWith("[") ? sentBy.indexOf(':', Math.max(0, sentBy.indexOf(']'))) : sentBy.indexOf(':');
        if (sentBy.isEmpty()) {
            return OptionalInt.empty();
        }
        if (colon < 0) {
            return OptionalInt.of(transport == Transport.TLS ? DEFAULT_TLS_PORT : DEFAULT_PORT);
        }
        try {
            int port = Integer.parseInt(sentBy.substring(colon + 1));
            return port >= 1 && port <= Binding.MAX_PORT ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException notAPort) {
            return OptionalInt.empty();
        }
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
