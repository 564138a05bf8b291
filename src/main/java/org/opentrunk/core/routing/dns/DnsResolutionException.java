package org.opentrunk.core.routing.dns;

import java.util.Objects;

/**
 * DNS could not say where an {@code srv} or {@code naptr} route leads: the server did not answer
 * in time, answered with an error, or the domain is no DNS name. A name that simply has no such
 * records (NXDOMAIN, no data) is not an error: the resolver returns no targets for it.
 *
 * <p>Checked: the SIP code that routes a call must decide what to do (try the next route, answer
 * the caller) rather than let it escape into the container as a 500.
 */
public final class DnsResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Failure {
        /** No answer from the DNS server within the query timeout, or it could not be reached. */
        NO_ANSWER,
        /** The server answered with an error (SERVFAIL, REFUSED ...) or with data that makes no sense. */
        SERVER_FAILURE,
        /** The route's domain is not a valid DNS name: nothing was asked. */
        INVALID_NAME
    }

    private final Failure failure;
    private final String name;

    /**
     * @param name the DNS name being looked up when it failed
     */
    public DnsResolutionException(Failure failure, String name, String detail, Throwable cause) {
        super("DNS lookup of " + name + " failed (" + failure + "): " + detail, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.name = Objects.requireNonNull(name, "name");
    }

    public Failure failure() {
        return failure;
    }

    /** The DNS name being looked up when it failed. */
    public String name() {
        return name;
    }
}
