/**
 * Media anchoring (IC-DIRECT, per customer with {@code anchorMedia}): OpenTrunk relays a call's
 * RTP, RTCP and, after a fax switch, UDPTL (IC-FAX) between its two legs, observes DTMF
 * telephone-events (IC-DTMF) and ends calls whose media stopped.
 *
 * <p>The SIP code talks to interfaces shaped after JSR 309: a {@link org.opentrunk.media.MediaEngine}
 * creates a {@link org.opentrunk.media.MediaSession} per call, with a
 * {@link org.opentrunk.media.NetworkConnection} per leg that takes that leg's SDP and gives the SDP
 * for the other leg, and a {@link org.opentrunk.media.MediaListener} hears about digits, timeouts
 * and mode changes. {@link org.opentrunk.media.RelayEngine} is the in-process implementation
 * (non-blocking datagram channels, a few selector threads); another engine can be plugged in behind
 * the same interfaces. Plain Java: nothing here knows about SIP servlets.
 */
package org.opentrunk.media;
