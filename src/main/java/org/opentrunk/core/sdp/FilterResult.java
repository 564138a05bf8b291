package org.opentrunk.core.sdp;

import java.util.List;
import java.util.Objects;

/**
 * What {@link CodecPolicy} made of an offer or an answer (IC-CODEC): the description to send on,
 * or the refusal to send back.
 *
 * <p>A result rather than an exception: an offer with no codec OpenTrunk carries is ordinary
 * input (a PBX set up for wideband only, a video phone) and the caller answers it either way.
 */
public sealed interface FilterResult permits FilterResult.Filtered, FilterResult.Rejected {

    /**
     * The description with only what OpenTrunk carries.
     *
     * @param sdp             the description to send on; equal to the input when nothing was removed
     * @param removedCodecs   each format taken out of an audio stream, for logs:
     *                        {@code opus/48000/2 (PT 111)}, {@code G722/8000 (PT 9)}, {@code PT 34}
     * @param disabledStreams each stream whose port was set to 0, for logs: {@code video (m-line 2)}
     */
    record Filtered(SessionDescription sdp, List<String> removedCodecs, List<String> disabledStreams)
            implements FilterResult {
        public Filtered {
            Objects.requireNonNull(sdp, "sdp");
            removedCodecs = List.copyOf(removedCodecs);
            disabledStreams = List.copyOf(disabledStreams);
        }

        /** True when something was removed or disabled. */
        public boolean changed() {
            return !removedCodecs.isEmpty() || !disabledStreams.isEmpty();
        }
    }

    /**
     * Refused: no voice codec OpenTrunk carries is left (IC-CODEC). For an offer, answer
     * {@code sipStatus} with a {@code Warning} header ({@link #warningHeaderValue}); for an
     * answer, end the call (ACK and BYE) and fail the other leg the same way.
     *
     * @param sipStatus 488 Not Acceptable Here
     * @param warnCode  305 Incompatible media format (RFC 3261 section 20.43)
     * @param warnText  the reason, printable ASCII without {@code "} or {@code \}, fit for a
     *                  quoted string; names no more of the input than sanitised codec names
     */
    record Rejected(int sipStatus, int warnCode, String warnText) implements FilterResult {
        public Rejected {
            Objects.requireNonNull(warnText, "warnText");
            for (int i = 0; i < warnText.length(); i++) {
                char c = warnText.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    throw new IllegalArgumentException("a warning text is printable ASCII without quotes or"
                            + " backslashes: " + SdpText.quote(warnText));
                }
            }
        }

        /** The reason phrase for the status line. */
        public String reasonPhrase() {
            return sipStatus == CodecPolicy.NOT_ACCEPTABLE_HERE ? "Not Acceptable Here" : "Rejected";
        }

        /**
         * The value of a SIP {@code Warning} header (RFC 3261 section 20.43):
         * {@code 305 trunk.example.net "Incompatible media format: ..."}.
         *
         * @param warnAgent the host (and port) of the server adding the header, or a pseudonym
         * @throws IllegalArgumentException when {@code warnAgent} is empty or has spaces, quotes or controls
         */
        public String warningHeaderValue(String warnAgent) {
            if (warnAgent == null || warnAgent.isEmpty()) {
                throw new IllegalArgumentException("a warn-agent is required");
            }
            for (int i = 0; i < warnAgent.length(); i++) {
                char c = warnAgent.charAt(i);
                if (c <= 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    throw new IllegalArgumentException("a warn-agent is a host or token: " + SdpText.quote(warnAgent));
                }
            }
            return warnCode + " " + warnAgent + " \"" + warnText + "\"";
        }
    }
}
