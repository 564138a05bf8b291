/**
 * The registrar (RFC 3261 section 10.3) for customers that register instead of, or as well as,
 * sending from static addresses: phones and PBXs behind NAT whose inbound calls are routed to
 * their registered contacts (route type {@code registration}, IC-ROUTE).
 *
 * <p>The SIP servlet authenticates a REGISTER, hands its header values over as a
 * {@link org.opentrunk.core.registrar.RegisterHeaders}, and answers with the
 * {@link org.opentrunk.core.registrar.RegisterOutcome} that
 * {@link org.opentrunk.core.registrar.BindingTable#register} returns. The rules themselves are the
 * pure function {@link org.opentrunk.core.registrar.Registrar#decide}; the table only keeps the
 * result, bounded, for every thread. Plain Java: no SIP container types, no storage.
 */
package org.opentrunk.core.registrar;
