package org.opentrunk.media;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the media relay runs. The SIP side maps its settings into this: {@code OT_MEDIA_ADDRESS}
 * to {@link #address}, {@code OT_RTP_PORTS} to {@link #ports} ({@link PortRange#parse}),
 * {@code OT_MEDIA_TIMEOUT} to {@link #mediaTimeout}.
 *
 * @param address         OpenTrunk's media address, IPv4 (IC-IPV4): the relay binds its ports on it
 *                        and writes it into every SDP it presents
 * @param ports           where RTP/RTCP pairs are taken from
 * @param mediaTimeout    how long a call may go without RTP from either side (hold excepted) before
 *                        {@link MediaListener#mediaTimeout} tears it down; at least {@link #MIN_MEDIA_TIMEOUT}
 * @param selectorThreads how many relay threads; 1 to {@link #MAX_SELECTOR_THREADS}
 * @param keepDigits      whether DTMF digits themselves are kept and reported; off, only their count
 *                        is (digits can be card numbers and PINs)
 */
public record MediaSettings(InetAddress address, PortRange ports, Duration mediaTimeout, int selectorThreads,
        boolean keepDigits) {

    /** {@code OT_MEDIA_TIMEOUT} when unset: 60 s, far above any silence suppression gap. */
    public static final Duration DEFAULT_MEDIA_TIMEOUT = Duration.ofSeconds(60);

    /** Shortest media timeout: below, packet loss bursts and jitter would end calls. Tests use it. */
    public static final Duration MIN_MEDIA_TIMEOUT = Duration.ofMillis(100);

    /**
     * Relay threads by default: one per core up to two. One thread relays well over a thousand G.711
     * calls (see {@code bench/relay.sh}); a second one spreads the load on multi-core hosts without
     * taking every core from the SIP container.
     */
    public static final int DEFAULT_SELECTOR_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

    /** Most relay threads: the relay is bound by system calls, more threads than cores do not help. */
    public static final int MAX_SELECTOR_THREADS = 16;

    public MediaSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("the media address must be IPv4 (IC-IPV4), got " + address);
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("the media address is written into SDP, so it cannot be 0.0.0.0");
        }
        if (mediaTimeout.compareTo(MIN_MEDIA_TIMEOUT) < 0) {
            throw new IllegalArgumentException("the media timeout must be at least " + MIN_MEDIA_TIMEOUT
                    + ", got " + mediaTimeout);
        }
        if (selectorThreads < 1 || selectorThreads > MAX_SELECTOR_THREADS) {
            throw new IllegalArgumentException("selector threads must be 1 to " + MAX_SELECTOR_THREADS
                    + ", got " + selectorThreads);
        }
    }

    /** The defaults on {@code address}: {@link PortRange#DEFAULT}, 60 s timeout, digits not kept. */
    public static MediaSettings defaults(InetAddress address) {
        return new MediaSettings(address, PortRange.DEFAULT, DEFAULT_MEDIA_TIMEOUT, DEFAULT_SELECTOR_THREADS, false);
    }
}
