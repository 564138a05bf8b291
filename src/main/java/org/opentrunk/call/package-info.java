/**
 * A call through the B2BUA after its set-up was decided, without the SIP container: the state
 * machine {@link org.opentrunk.call.Call} (one {@link org.opentrunk.call.CallState}), events in as
 * method calls, commands out through {@link org.opentrunk.call.CallPort}. Its parts each hold one
 * concern: the targets and failover ({@link org.opentrunk.call.Attempts}, IC-ROUTE), each leg's
 * RFC 4028 timer and SDP memory ({@link org.opentrunk.call.LegSession}, IC-TIMER), the relayed
 * media ({@link org.opentrunk.call.CallMedia}, IC-DIRECT) and what the CDR will say
 * ({@link org.opentrunk.call.CallLedger}, IC-CDR). Plain Java, every flow unit-tested against a
 * recording port; the JSR 289 adapter ({@code org.opentrunk.sip.SipCall}) turns container
 * callbacks into events and commands into SIP messages and timers.
 */
package org.opentrunk.call;
