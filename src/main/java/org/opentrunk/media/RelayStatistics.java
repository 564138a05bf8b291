package org.opentrunk.media;

/**
 * What the relay has done since it started, summed over its threads; a snapshot.
 *
 * @param sessions             sessions open now
 * @param portPairsInUse       RTP/RTCP port pairs bound now (two per session)
 * @param packetsRelayed       packets forwarded (RTP, RTCP, UDPTL)
 * @param bytesRelayed         their UDP payload bytes
 * @param droppedUnlatched     packets dropped because they came from another source than the latched one
 * @param droppedNoDestination packets dropped because the other leg's address was not known yet
 * @param droppedSendFailed    packets the operating system would not send (full buffer, unreachable network)
 * @param digits               DTMF digits observed
 */
public record RelayStatistics(int sessions, int portPairsInUse, long packetsRelayed, long bytesRelayed,
        long droppedUnlatched, long droppedNoDestination, long droppedSendFailed, long digits) {
}
