package org.opentrunk.core.provisioning;

import java.util.Locale;
import org.opentrunk.core.config.Route;
import org.opentrunk.core.config.RouteType;

/** What a route's target must look like for its type (IC-ROUTE). */
public final class RouteRules {

    public static final int MAX_ROUTES = 16;

    private RouteRules() {
    }

    /**
     * @param field the API field the route came from, e.g. {@code routes[1]}
     */
    public static Route validate(String field, String type, String target, int priority) {
        RouteType routeType;
        try {
            routeType = RouteType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field + ".type", e.getMessage());
        }
        String t = target == null ? "" : target.trim();
        String canonical = switch (routeType) {
            case HOST -> hostTarget(field + ".target", t);
            case URI -> sipUri(field + ".target", t);
            case REGISTRATION -> t; // the number's customer's registered contacts; target is a free note
            case SRV, NAPTR -> FieldRules.domain(field + ".target", t);
        };
        FieldRules.range(field + ".priority", priority, 0, 65_535);
        return new Route(routeType, canonical, priority);
    }

    /** {@code host[:port][;transport=udp|tcp]} */
    private static String hostTarget(String field, String target) {
        String[] parts = target.split(";", 2);
        String hostPort = parts[0];
        String host = hostPort;
        String port = "";
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0) {
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon);
            try {
                FieldRules.port(field, Integer.parseInt(port.substring(1)));
            } catch (NumberFormatException e) {
                throw new InvalidFieldException(field, "'" + target + "': port must be a number");
            }
        }
        String canonicalHost = FieldRules.host(field, host);
        String params = "";
        if (parts.length > 1) {
            String p = parts[1].toLowerCase(Locale.ROOT);
            if (!p.equals("transport=udp") && !p.equals("transport=tcp") && !p.equals("transport=tls")) {
                throw new InvalidFieldException(field, "'" + target
                        + "': only ;transport=udp, ;transport=tcp or ;transport=tls (IC-TLS) may follow the host");
            }
            params = ";" + p;
        }
        return canonicalHost + port + params;
    }

    private static String sipUri(String field, String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        // sips: (IC-TLS): the route is reached over TLS
        boolean secure = lower.startsWith("sips:");
        if (!(lower.startsWith("sip:") || secure) || target.length() > 512) {
            throw new InvalidFieldException(field, "'" + target + "' is not a sip: or sips: URI");
        }
        String rest = target.substring(secure ? 5 : 4);
        int at = rest.indexOf('@');
        String hostPart = (at >= 0 ? rest.substring(at + 1) : rest).split("[;?>]", 2)[0];
        if (hostPart.isEmpty()) {
            throw new InvalidFieldException(field, "'" + target + "' has no host");
        }
        hostTarget(field, hostPart);
        return target;
    }
}
