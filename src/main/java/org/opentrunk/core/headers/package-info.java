/**
 * Which headers cross OpenTrunk's B2BUA from one leg to the other, and how: the allow-list
 * {@link org.opentrunk.core.headers.HeaderPassThrough} (P-Charge-Info, Diversion; OLI/JIP ride on
 * the identity headers, see {@link org.opentrunk.core.callerid.LineInfo}), the headers that must
 * never be copied ({@link org.opentrunk.core.headers.LegSpecificHeader}), the normalisation of
 * the numbers in what does cross ({@link org.opentrunk.core.headers.Diversion},
 * {@link org.opentrunk.core.headers.PChargeInfo}), and the customer's {@code X-Tag} for the CDR
 * ({@link org.opentrunk.core.headers.XTag}). Plain Java over header names and values as strings.
 */
package org.opentrunk.core.headers;
