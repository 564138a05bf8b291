package org.opentrunk.hep;

import java.net.InetAddress;

/**
 * One captured SIP message as HEP describes it: who sent it to whom over what, when, and the
 * Call-ID that Homer correlates the two legs' messages by.
 *
 * @param source        sender's address; null when OpenTrunk does not know it (sent as the unspecified address)
 * @param sourcePort    sender's port, 0 when unknown
 * @param destination   receiver's address; null when unknown
 * @param destinationPort receiver's port, 0 when unknown
 * @param tcp           carried over TCP or TLS (false: UDP)
 * @param epochMicros   when OpenTrunk received or sent it, microseconds since 1970 (wall clock: Homer shows it)
 * @param callId        the message's Call-ID, HEP's correlation id
 * @param text          the SIP message (credentials masked, as in the ladder)
 */
public record HepMessage(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                         boolean tcp, long epochMicros, String callId, String text) {
}
