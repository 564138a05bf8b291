/**
 * The caller's name on inbound calls (IC-CNAM-IN): OpenTrunk's CNAM storage first, then an
 * optional external provider over HTTP ({@code OT_CNAM_URL}), cached, bounded in time and made
 * safe for a display name.
 *
 * <p>How the SIP layer uses it, per initial INVITE to a number with {@code cnamLookup}:
 * <ol>
 *   <li>At start-up, one {@link org.opentrunk.core.cnam.CnamLookup#fromSetting} with the stored
 *       names and the value of {@code OT_CNAM_URL}; an unusable URL fails the start with
 *       {@link org.opentrunk.core.cnam.InvalidCnamUrlException}.
 *   <li>Per call, {@link org.opentrunk.core.cnam.CnamLookup#lookupAndWait} (blocks at most the
 *       given wait) or {@link org.opentrunk.core.cnam.CnamLookup#lookup} (a future that always
 *       completes normally in time) for the caller's E.164 number.
 *   <li>The result goes to {@code IdentifiedCaller.toCustomer(domain, name)} as it is.
 * </ol>
 */
package org.opentrunk.core.cnam;
