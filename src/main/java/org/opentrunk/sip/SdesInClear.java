package org.opentrunk.sip;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.servlet.sip.SipServletRequest;
import org.opentrunk.core.front.RequestSource;

/**
 * IC-SRTP: SDES keys travel in the SDP, so an SRTP offer received over UDP or TCP has handed its
 * keys to anyone on the path (RFC 4568 section 8.3 asks for TLS). The call goes on (the peer chose
 * this), but the log says so: it is a configuration mistake of the sender. At most one line a
 * minute, with how many more there were, so that a busy misconfigured PBX cannot flood the log.
 */
final class SdesInClear {

    private static final Logger LOG = Logger.getLogger(SdesInClear.class.getName());
    static final long LOG_INTERVAL_MS = 60_000;
    private static final AtomicLong nextLogAtMs = new AtomicLong();
    private static final AtomicLong unlogged = new AtomicLong();

    private SdesInClear() {
    }

    static void check(SipServletRequest request) {
        RequestSource source = RequestSources.of(request); // the sender's own, also behind a front
        if (source.transport().encrypted()) {
            return;
        }
        long now = System.currentTimeMillis();
        long next = nextLogAtMs.get();
        if (now < next || !nextLogAtMs.compareAndSet(next, now + LOG_INTERVAL_MS)) {
            unlogged.incrementAndGet();
            return;
        }
        long more = unlogged.getAndSet(0);
        LOG.warning("SRTP offer with SDES keys (a=crypto) received over " + source.transport() + " from "
                + source.address() + ":" + source.port() + ": the media keys went in clear; the sender"
                + " should use SIP over TLS (IC-SRTP, RFC 4568 section 8.3)"
                + (more > 0 ? " (" + more + " more such offers in the last minute)" : ""));
    }
}
