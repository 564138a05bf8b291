package org.opentrunk.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * T.38 fax parameters (IC-FAX): at most 9600 bit/s, UDP error correction by redundancy, no ECM.
 * Pure functions over a session description, for the SIP code that handles a fax re-INVITE.
 *
 * <p>What each parameter means in SDP (ITU-T T.38 Annex D attributes on an
 * {@code m=image <port> udptl t38} stream):
 * <ul>
 * <li><b>9600 bit/s</b>: {@code a=T38MaxBitRate} is capped at {@value #MAX_BIT_RATE}. A lower
 * rate the endpoint declared is kept (it is the endpoint's limit, and "maximum 9600" allows it);
 * a higher, missing or unreadable one becomes {@value #MAX_BIT_RATE}.</li>
 * <li><b>Redundancy</b>: {@code a=T38FaxUdpEC} is set to {@value #UDP_ERROR_CORRECTION}, replacing
 * {@code t38UDPFEC} or {@code t38UDPNoEC}, added when missing.</li>
 * <li><b>No ECM, no transcoding</b>: {@code T38FaxFillBitRemoval}, {@code T38FaxTranscodingMMR}
 * and {@code T38FaxTranscodingJBIG} are removed, whatever their value. MMR and JBIG coding only
 * exist with T.30 Error Correction Mode, and fill-bit removal and transcoding ask the far gateway
 * to re-encode image data, which the trunk's fax service does not support (IC-FAX). ECM itself is
 * not a T.38 SDP attribute: the fax terminals agree on it in their T.30 DIS/DCS frames inside the
 * T.38 stream, which a signalling-only OpenTrunk (IC-DIRECT) does not see. {@code T38FaxMaxBuffer},
 * {@code T38FaxMaxDatagram} and {@code T38FaxVersion} are kept.</li>
 * <li><b>Rate management</b>: {@code a=T38FaxRateManagement} is the one attribute T.38 requires;
 * a value the endpoint sent is kept, a missing one is added as {@value #RATE_MANAGEMENT}, the
 * method T.38 intends for UDP.</li>
 * </ul>
 * Attribute names are matched ignoring case (senders write {@code T38MaxBitrate},
 * {@code T38FaxUdpEc} ...); a line that is changed keeps the sender's spelling of the name, added
 * lines use Annex D's. Apply {@link #enforce} to the re-offer and to its answer alike, so that
 * both endpoints see the same limits.
 */
public final class T38Policy {

    /** IC-FAX: maximum fax rate, bit/s. */
    public static final int MAX_BIT_RATE = 9600;

    /** IC-FAX: UDP error correction by redundancy. */
    public static final String UDP_ERROR_CORRECTION = "t38UDPRedundancy";

    /** Data rate management method 2 (the TCF is sent across the network), added when none is given. */
    public static final String RATE_MANAGEMENT = "transferredTCF";

    static final String MAX_BIT_RATE_ATTRIBUTE = "T38MaxBitRate";
    static final String UDP_EC_ATTRIBUTE = "T38FaxUdpEC";
    static final String RATE_MANAGEMENT_ATTRIBUTE = "T38FaxRateManagement";
    /** IC-FAX: no ECM-only coding and no transcoding; these attributes are removed (Annex D names). */
    static final List<String> REMOVED_ATTRIBUTES = List.of("T38FaxFillBitRemoval", "T38FaxTranscodingMMR",
            "T38FaxTranscodingJBIG");

    /** Longest bit rate value read, in digits; anything longer is unreadable and replaced. */
    private static final int MAX_RATE_DIGITS = 6;

    private T38Policy() {
    }

    /** True for an {@code m=image <port> udptl t38} media description (whatever its port). */
    public static boolean isT38Stream(MediaDescription m) {
        return m.media().equalsIgnoreCase("image") && m.proto().equalsIgnoreCase("udptl")
                && m.formats().stream().anyMatch(format -> format.equalsIgnoreCase("t38"));
    }

    /** True when the description has an active T.38 stream: a switch to fax (IC-FAX). */
    public static boolean isT38Offer(SessionDescription sdp) {
        return sdp.media().stream().anyMatch(m -> m.isActive() && isT38Stream(m));
    }

    /**
     * True when the active audio streams carry only G.711 (PCMU, PCMA) and telephone-events, with
     * at least one G.711 format: the kind of call IC-FAX lets switch to T.38, and the kind a fax
     * falls back to when T.38 fails. Other streams are not looked at.
     */
    public static boolean isG711Only(SessionDescription sdp) {
        List<MediaDescription> audio = CodecPolicy.activeAudio(sdp);
        boolean g711 = false;
        for (MediaDescription m : audio) {
            for (String format : m.formats()) {
                Codec codec = Codec.of(m, format).orElse(null);
                if (codec == Codec.PCMU || codec == Codec.PCMA) {
                    g711 = true;
                } else if (codec != Codec.TELEPHONE_EVENT) {
                    return false;
                }
            }
        }
        return g711;
    }

    /**
     * The description with the IC-FAX parameters on every active T.38 stream (see the class
     * comment); other streams, and other lines of T.38 streams, unchanged. Returns the same
     * description when there is nothing to change.
     */
    public static SessionDescription enforce(SessionDescription sdp) {
        SessionDescription result = sdp;
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (m.isActive() && isT38Stream(m)) {
                result = result.withMedia(i, m.withLines(enforce(m.lines())));
            }
        }
        return result;
    }

    private static List<SdpLine> enforce(List<SdpLine> lines) {
        List<SdpLine> out = new ArrayList<>(lines.size() + 3);
        boolean rate = false;
        boolean errorCorrection = false;
        boolean rateManagement = false;
        for (SdpLine line : lines) {
            if (REMOVED_ATTRIBUTES.stream().anyMatch(line::isAttribute)) {
                continue;
            }
            if (line.isAttribute(MAX_BIT_RATE_ATTRIBUTE)) {
                if (!rate) {
                    rate = true;
                    out.add(isRateWithinLimit(line) ? line : SdpLine.attribute(line.attributeName(),
                            String.valueOf(MAX_BIT_RATE)));
                }
            } else if (line.isAttribute(UDP_EC_ATTRIBUTE)) {
                if (!errorCorrection) {
                    errorCorrection = true;
                    boolean redundancy = line.attributeValue().map(String::strip)
                            .filter(UDP_ERROR_CORRECTION::equalsIgnoreCase).isPresent();
                    out.add(redundancy ? line : SdpLine.attribute(line.attributeName(), UDP_ERROR_CORRECTION));
                }
            } else {
                rateManagement |= line.isAttribute(RATE_MANAGEMENT_ATTRIBUTE);
                out.add(line);
            }
        }
        if (!rate) {
            out.add(SdpLine.attribute(MAX_BIT_RATE_ATTRIBUTE, String.valueOf(MAX_BIT_RATE)));
        }
        if (!rateManagement) {
            out.add(SdpLine.attribute(RATE_MANAGEMENT_ATTRIBUTE, RATE_MANAGEMENT));
        }
        if (!errorCorrection) {
            out.add(SdpLine.attribute(UDP_EC_ATTRIBUTE, UDP_ERROR_CORRECTION));
        }
        return out;
    }

    private static boolean isRateWithinLimit(SdpLine line) {
        String value = line.attributeValue().map(String::strip).orElse("");
        if (!SdpText.isDigits(value) || value.length() > MAX_RATE_DIGITS) {
            return false;
        }
        int rate = Integer.parseInt(value);
        return rate > 0 && rate <= MAX_BIT_RATE;
    }
}
