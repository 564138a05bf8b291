/**
 * SIP addresses as they appear in the header values OpenTrunk reads and rewrites: {@code From},
 * {@code P-Asserted-Identity}, {@code Remote-Party-ID}, {@code Diversion}, {@code P-Charge-Info}.
 * {@link org.opentrunk.core.address.AddressParser} turns one header value (the text after the
 * colon, as the SIP stack hands it over) into {@link org.opentrunk.core.address.SipAddress}es;
 * {@link org.opentrunk.core.address.SipAddress#render()} turns one back into text.
 *
 * <p>A package of its own, under both {@code callerid} and {@code headers}, so that neither depends
 * on the other for syntax. Plain Java: no SIP container types, so every rule is a unit test, and
 * a value is read the same way whichever container runs OpenTrunk.
 */
package org.opentrunk.core.address;
