package org.opentrunk.media;

import java.nio.channels.DatagramChannel;

/**
 * The two bound, non-blocking sockets of one leg: RTP on an even port, RTCP on the next.
 *
 * @param rtp  bound to the even port; after a T.38 switch, UDPTL uses it too
 * @param rtcp bound to the odd port
 */
record PortPair(DatagramChannel rtp, DatagramChannel rtcp) {
}
