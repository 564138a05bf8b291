package org.opentrunk.core.methods;

import java.util.List;
import java.util.Set;

/**
 * Which SIP methods OpenTrunk handles (IC-METHODS). Everything else, PRACK, SUBSCRIBE, NOTIFY,
 * PUBLISH, INFO, REFER, MESSAGE, UPDATE and any unknown extension method, is answered
 * 405 Method Not Allowed with {@link #ALLOW} so the peer learns what it may send.
 */
public final class MethodPolicy {

    /** The supported methods, in the order they are advertised. */
    public static final List<String> SUPPORTED =
            List.of("INVITE", "ACK", "CANCEL", "BYE", "REGISTER", "OPTIONS");

    /** Value of the {@code Allow} header in OPTIONS answers and 405 responses. */
    public static final String ALLOW = String.join(", ", SUPPORTED);

    /** Value of the {@code Accept} header: SDP is the only body OpenTrunk reads. */
    public static final String ACCEPT = "application/sdp";

    /** Value of the {@code Supported} header: RFC 4028 session timers (IC-TIMER). */
    public static final String SUPPORTED_EXTENSIONS = "timer";

    private static final Set<String> SUPPORTED_SET = Set.copyOf(SUPPORTED);

    private MethodPolicy() {
    }

    /** True when OpenTrunk handles {@code method}; SIP method names are case-sensitive. */
    public static boolean isSupported(String method) {
        return method != null && SUPPORTED_SET.contains(method);
    }

}
