package org.opentrunk.core.sdp;

import java.util.Locale;

/**
 * SRTP with SDES keys in an offer (IC-SRTP; RFC 3711, keys per RFC 4568): what OpenTrunk needs to
 * know of it. The crypto lines themselves pass untouched: the keys stay between the endpoints,
 * and the codec policy (IC-CODEC) treats {@code RTP/SAVP} streams like {@code RTP/AVP} ones.
 */
public final class SrtpOffer {

    /** RFC 3261 section 20.43: "Incompatible transport protocol", for an offer that is not SRTP. */
    public static final int INCOMPATIBLE_TRANSPORT_PROTOCOL = 302;
    static final String REQUIRED_TEXT = "SRTP required: offer RTP/SAVP with a=crypto (RFC 4568)";

    private SrtpOffer() {
    }

    /**
     * True when every active audio stream is secure RTP ({@code RTP/SAVP}, {@code RTP/SAVPF})
     * with at least one {@code a=crypto} line, and there is at least one such stream.
     */
    public static boolean isSdes(SessionDescription sdp) {
        boolean any = false;
        for (MediaDescription m : sdp.media()) {
            if (!m.isAudio() || !m.isActive()) {
                continue;
            }
            if (!isSecureProfile(m) || m.attributes("crypto").isEmpty()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** True when any stream carries an {@code a=crypto} line: SDES keys, readable by whoever reads the SDP. */
    public static boolean carriesKeys(SessionDescription sdp) {
        return sdp.media().stream().anyMatch(m -> !m.attributes("crypto").isEmpty());
    }

    /** {@code RTP/SAVP}, {@code RTP/SAVPF} (not {@code UDP/TLS/RTP/SAVP}: DTLS-SRTP keys are not SDES). */
    static boolean isSecureProfile(MediaDescription m) {
        String proto = m.proto().toUpperCase(Locale.ROOT);
        return proto.equals("RTP/SAVP") || proto.equals("RTP/SAVPF");
    }

    /** The refusal for a customer with {@code requireSrtp} whose offer is not SRTP: 488 with a Warning. */
    public static FilterResult.Rejected required() {
        return new FilterResult.Rejected(CodecPolicy.NOT_ACCEPTABLE_HERE, INCOMPATIBLE_TRANSPORT_PROTOCOL, REQUIRED_TEXT);
    }
}
