package org.opentrunk.media;

/** What a session relays: voice over RTP, or fax over UDPTL after a T.38 switch (IC-FAX). */
public enum MediaMode {
    /** RTP and RTCP (G.711, G.729, telephone-events); DTMF is observed. */
    AUDIO,
    /** T.38 over UDPTL, relayed packet for packet, redundancy included. */
    T38
}
