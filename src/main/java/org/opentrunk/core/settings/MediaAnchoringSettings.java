package org.opentrunk.core.settings;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings of media anchoring (IC-DIRECT: customers with {@code anchorMedia}), read here as plain
 * values; the SIP layer turns them into the relay's {@code org.opentrunk.media.MediaSettings}.
 *
 * @param address      the address OpenTrunk writes into anchored SDP ({@code c=}) and binds its relay
 *                     ports on ({@code OT_MEDIA_ADDRESS}); empty when not set, and then the SIP host
 *                     when that is an IPv4 address, else this machine's first non-loopback IPv4 address
 * @param rtpPortFirst lowest UDP port of the relay ({@code OT_RTP_PORTS}, {@code <first>-<last>})
 * @param rtpPortLast  highest UDP port of the relay
 * @param mediaTimeout how long an answered, not held, anchored call may go without any RTP before it is
 *                     hung up on both sides ({@code OT_MEDIA_TIMEOUT}, seconds)
 * @param keepDigits   whether DTMF digits themselves are kept on CDRs, or only their count
 *                     ({@code OT_MEDIA_KEEP_DIGITS}, {@code true}/{@code false}: digits can be card numbers)
 */
public record MediaAnchoringSettings(Optional<String> address, int rtpPortFirst, int rtpPortLast,
                                     Duration mediaTimeout, boolean keepDigits) {

    /** The default {@code OT_RTP_PORTS}: 5,000 RTP/RTCP pairs, 2,500 anchored calls. */
    public static final String DEFAULT_RTP_PORTS = "20000-29999";
    /** The default {@code OT_MEDIA_TIMEOUT}: far above any silence-suppression gap. */
    public static final long DEFAULT_MEDIA_TIMEOUT_SECONDS = 60;
    /** The longest {@code OT_MEDIA_TIMEOUT} accepted: a day. */
    public static final long MAX_MEDIA_TIMEOUT_SECONDS = 86_400;
    /** Below are the privileged ports, never media. */
    public static final int MIN_RTP_PORT = 1024;
    public static final int MAX_RTP_PORT = 65535;

    public MediaAnchoringSettings {
        if (rtpPortFirst < MIN_RTP_PORT || rtpPortLast > MAX_RTP_PORT || evenAtOrAbove(rtpPortFirst) + 1 > rtpPortLast) {
            throw new InvalidSettingException("OT_RTP_PORTS", rtpPortFirst + "-" + rtpPortLast,
                    "<first>-<last> within " + MIN_RTP_PORT + "-" + MAX_RTP_PORT + " holding at least one even/odd port pair");
        }
    }

    static MediaAnchoringSettings from(Function<String, String> env) {
        Optional<String> address = Optional.ofNullable(env.apply("OT_MEDIA_ADDRESS")).map(String::trim)
                .filter(a -> !a.isEmpty());
        if (address.isPresent() && !isIpv4Literal(address.get())) {
            SettingProblems.report(env, new InvalidSettingException("OT_MEDIA_ADDRESS", address.get(),
                    "an IPv4 address of this machine (it is written into SDP), not 0.0.0.0"));
            address = Optional.empty();
        }
        String ports = Optional.ofNullable(env.apply("OT_RTP_PORTS")).map(String::trim).filter(p -> !p.isEmpty())
                .orElse(DEFAULT_RTP_PORTS);
        String[] ends = ports.split("\\s*-\\s*", -1);
        if (ends.length != 2 || !isPort(ends[0]) || !isPort(ends[1])) {
            SettingProblems.report(env, new InvalidSettingException("OT_RTP_PORTS", ports,
                    "<first>-<last>, e.g. " + DEFAULT_RTP_PORTS));
            ends = DEFAULT_RTP_PORTS.split("-");
        }
        String keep = Optional.ofNullable(env.apply("OT_MEDIA_KEEP_DIGITS")).map(String::trim).orElse("");
        if (!keep.isEmpty() && !keep.equalsIgnoreCase("true") && !keep.equalsIgnoreCase("false")) {
            SettingProblems.report(env, new InvalidSettingException("OT_MEDIA_KEEP_DIGITS", keep, "true or false"));
        }
        return new MediaAnchoringSettings(address, Integer.parseInt(ends[0]), Integer.parseInt(ends[1]),
                Duration.ofSeconds(TrunkSettings.number(env, "OT_MEDIA_TIMEOUT", DEFAULT_MEDIA_TIMEOUT_SECONDS, 1,
                        MAX_MEDIA_TIMEOUT_SECONDS)),
                keep.equalsIgnoreCase("true"));
    }

    /** A dotted-quad IPv4 literal other than 0.0.0.0; never a host name (no DNS at start-up). */
    public static boolean isIpv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return !text.equals("0.0.0.0");
    }

    private static boolean isPort(String text) {
        return !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int evenAtOrAbove(int port) {
        return (port & 1) == 0 ? port : port + 1;
    }
}
