package org.opentrunk.sip;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * What the SIP side tells, and asks, the other nodes of the trunk (issue 20), as plain functions so
 * that it knows nothing of how nodes share state.
 *
 * @param bindingsStored told a customer id after its registrations were stored, so the other nodes
 *                       load them
 * @param keepaliveDuty  whether this node sends the keepalives to registered contacts now
 */
public record ClusterHooks(LongConsumer bindingsStored, BooleanSupplier keepaliveDuty) {

    /** A node on its own: nobody to tell, and it sends every keepalive. */
    public static final ClusterHooks SINGLE_NODE = new ClusterHooks(customerId -> { }, () -> true);

    public ClusterHooks {
        Objects.requireNonNull(bindingsStored, "bindingsStored");
        Objects.requireNonNull(keepaliveDuty, "keepaliveDuty");
    }
}
