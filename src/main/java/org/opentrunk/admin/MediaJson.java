package org.opentrunk.admin;

import org.opentrunk.media.RelayStatistics;

/** The media relay of anchored calls in the API: what it holds now and has relayed since start. */
public class MediaJson {
    /** anchored calls with a media session now */
    public int sessions;
    /** RTP/RTCP port pairs bound now (two per anchored call) */
    public int portPairsInUse;
    /** port pairs of OT_RTP_PORTS still free */
    public int portPairsFree;
    public long packetsRelayed;
    public long bytesRelayed;
    /** packets from a source other than the latched one (hijack attempts, stale streams) */
    public long droppedUnlatched;
    /** DTMF digits seen since start */
    public long digits;

    static MediaJson of(RelayStatistics s, int free) {
        MediaJson json = new MediaJson();
        json.sessions = s.sessions();
        json.portPairsInUse = s.portPairsInUse();
        json.portPairsFree = free;
        json.packetsRelayed = s.packetsRelayed();
        json.bytesRelayed = s.bytesRelayed();
        json.droppedUnlatched = s.droppedUnlatched();
        json.digits = s.digits();
        return json;
    }
}
