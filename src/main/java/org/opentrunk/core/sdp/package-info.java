/**
 * SDP as OpenTrunk handles it: a signalling B2BUA passes each offer and answer (RFC 4566,
 * offer/answer per RFC 3264, IC-RESP) from one leg to the other, filtered by the codec policy
 * (IC-CODEC), with telephone-events for DTMF (IC-DTMF), T.38 parameters for fax (IC-FAX), and
 * connection addresses and ports left alone so that media flows directly between the customer and
 * the carrier (IC-DIRECT).
 *
 * <p>{@link org.opentrunk.core.sdp.SessionDescription} keeps every line as it came, so whatever
 * the policies do not change reaches the other side byte for byte; what comes in from the network
 * is either parsed or refused with {@link org.opentrunk.core.sdp.MalformedSdpException}, never
 * anything else. Plain Java: nothing here knows about SIP servlets, HTTP or storage.
 */
package org.opentrunk.core.sdp;
