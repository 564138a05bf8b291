/**
 * A call through the B2BUA, without the SIP container: its states, the order its targets are
 * tried in and when it moves on (IC-ROUTE), each leg's RFC 4028 session timer and SDP memory
 * (IC-TIMER), and its accounting (IC-CDR). Plain Java, unit-tested without a container; the
 * JSR 289 adapter ({@code org.opentrunk.sip.Call}) turns container callbacks into calls of these
 * classes and their decisions into SIP messages.
 */
package org.opentrunk.call;
