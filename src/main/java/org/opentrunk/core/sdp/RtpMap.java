package org.opentrunk.core.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code a=rtpmap} attribute (RFC 4566 section 6): {@code <payload type> <encoding name>/<clock
 * rate>[/<encoding parameters>]}, which tells what a payload type number means in one media
 * description. Encoding names are compared ignoring case (they are media subtype names, RFC 4855).
 *
 * @param payloadType        the format it describes, as in the {@code m=} line
 * @param encodingName       e.g. {@code PCMU}, {@code telephone-event}, {@code opus}
 * @param clockRate          in Hz
 * @param encodingParameters for audio the channel count, e.g. {@code 2} in {@code opus/48000/2}; empty when absent
 */
public record RtpMap(String payloadType, String encodingName, long clockRate, String encodingParameters) {

    /** Longest clock rate accepted, in digits: far beyond any real rate, short enough for a {@code long}. */
    static final int MAX_CLOCK_RATE_DIGITS = 10;

    public RtpMap {
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(encodingName, "encodingName");
        Objects.requireNonNull(encodingParameters, "encodingParameters");
    }

    /**
     * The mapping in the value of an {@code a=rtpmap:} line, or empty when the value does not have
     * that form (such a mapping is not understood, so its format is not recognised as any codec).
     */
    public static Optional<RtpMap> parse(String attributeValue) {
        String[] fields = SdpText.fields(attributeValue);
        if (fields.length != 2) {
            return Optional.empty();
        }
        String[] encoding = fields[1].split("/", -1);
        if (encoding.length < 2 || encoding.length > 3 || encoding[0].isEmpty()
                || !SdpText.isDigits(encoding[1]) || encoding[1].length() > MAX_CLOCK_RATE_DIGITS) {
            return Optional.empty();
        }
        String parameters = encoding.length == 3 ? encoding[2] : "";
        return Optional.of(new RtpMap(fields[0], encoding[0], Long.parseLong(encoding[1]), parameters));
    }

    /** {@code <encoding name>/<clock rate>[/<encoding parameters>]}, e.g. {@code opus/48000/2}. */
    public String encoding() {
        return encodingName + "/" + clockRate + (encodingParameters.isEmpty() ? "" : "/" + encodingParameters);
    }
}
