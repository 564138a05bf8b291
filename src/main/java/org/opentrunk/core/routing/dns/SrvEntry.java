package org.opentrunk.core.routing.dns;

import java.util.Objects;

/**
 * The data of one SRV record (RFC 2782), apart from the DNS library's types so that the ordering
 * can be tested without DNS.
 *
 * @param priority 0 to 65535; lower is tried first
 * @param weight   0 to 65535; share of first attempts among records of one priority
 * @param port     the target's port
 * @param target   host name without the trailing dot, or {@value #NOT_AVAILABLE}
 */
public record SrvEntry(int priority, int weight, int port, String target) {

    /** The target that says "this service is decidedly not available at this domain". */
    public static final String NOT_AVAILABLE = ".";

    /** Largest priority, weight and port: SRV fields are 16-bit unsigned. */
    public static final int MAX_FIELD = 65535;

    public SrvEntry {
        Objects.requireNonNull(target, "target");
        checkField("priority", priority);
        checkField("weight", weight);
        checkField("port", port);
    }

    /** True when this record names no host: the {@value #NOT_AVAILABLE} target, or port 0. */
    public boolean notAvailable() {
        return target.isEmpty() || NOT_AVAILABLE.equals(target) || port == 0;
    }

    private static void checkField(String name, int value) {
        if (value < 0 || value > MAX_FIELD) {
            throw new IllegalArgumentException(name + " must be 0 to " + MAX_FIELD + ", not " + value);
        }
    }
}
