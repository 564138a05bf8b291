/**
 * Who is calling, and how OpenTrunk presents the caller on the other leg: the caller's number
 * from {@code P-Asserted-Identity}, {@code Remote-Party-ID} or {@code From} (IC-CLI-OUT), in E.164
 * with {@code +} (IC-CLI-IN, IC-E164), privacy per RFC 3323 and RFC 3325, the caller name from
 * CNAM rather than from the sender (IC-CNAM-OUT, IC-CNAM-IN), and the originating line and
 * jurisdiction information that travels with the caller's identity (IC-OLI).
 *
 * <p>How the SIP layer uses it, per initial INVITE:
 * <ol>
 *   <li>Collect the received header values into {@link org.opentrunk.core.callerid.IdentityHeaders}.
 *   <li>{@link org.opentrunk.core.callerid.CallerIdentity#identify} finds the caller's number and
 *       presentation; log its {@code notes()}.
 *   <li>Look up the name for {@code number()}: the stored CNAM name on outbound calls, the CNAM
 *       lookup result on inbound calls when the called number has lookup enabled.
 *   <li>{@link org.opentrunk.core.callerid.IdentifiedCaller#toCarrier} or
 *       {@link org.opentrunk.core.callerid.IdentifiedCaller#toCustomer} gives the {@code From},
 *       {@code P-Asserted-Identity} and {@code Privacy} values for the new leg (the stack adds the
 *       From tag). Received PAI, RPI and Privacy headers are never copied.
 * </ol>
 */
package org.opentrunk.core.callerid;
