package org.opentrunk.core.registrar;

import java.util.List;

/**
 * Where registrations are kept across restarts: the database in the container, a fake in tests.
 * Calls may block (a database transaction): the registrar calls it off the SIP thread, with a bound.
 */
public interface BindingPersistence {

    /** The customer's bindings become exactly {@code current} (empty: none), in one transaction. */
    void replace(long customerId, List<Binding> current) throws Exception;

    /** Every binding still valid at {@code nowMs}, to load at start-up. */
    List<Binding> loadUnexpired(long nowMs) throws Exception;

    /** One customer's bindings still valid at {@code nowMs} (another node stored them, issue 20). */
    List<Binding> loadCustomer(long customerId, long nowMs) throws Exception;

    /** Removes bindings expired at {@code nowMs}; returns how many. */
    int deleteExpired(long nowMs) throws Exception;
}
