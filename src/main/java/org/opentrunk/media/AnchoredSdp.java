package org.opentrunk.media;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opentrunk.core.sdp.MediaDescription;
import org.opentrunk.core.sdp.SdpLine;
import org.opentrunk.core.sdp.SessionDescription;

/**
 * Rewrites a session description so that media goes through the relay: OpenTrunk's address in
 * every {@code c=} line, the relay's port on the relayed stream's {@code m=} line, the relay's RTCP
 * port in its {@code a=rtcp} line. Everything else stays as the endpoint wrote it (codecs, direction,
 * ptime, T.38 parameters, the origin), except:
 * <ul>
 * <li>other active streams are disabled (port 0): the relay carries one stream per call, and a
 * stream it does not carry must not flow around it;</li>
 * <li>ICE attributes are dropped: their candidates are the endpoint's own addresses, and an ICE
 * peer would use them to go around the relay;</li>
 * <li>a {@code c=IN IP4 0.0.0.0} (the old way to put a call on hold) is kept, so that the hold is
 * seen on the other leg.</li>
 * </ul>
 */
public final class AnchoredSdp {

    /** ICE attributes (RFC 8839), all removed. */
    public static final Set<String> ICE_ATTRIBUTES = Set.of("candidate", "remote-candidates", "ice-ufrag",
            "ice-pwd", "ice-options", "ice-lite", "ice-mismatch", "ice-pacing", "end-of-candidates");

    private AnchoredSdp() {
    }

    /**
     * {@code sdp} anchored on {@code address}: stream {@code streamIndex} on {@code rtpPort}, its
     * RTCP on {@code rtpPort + 1}.
     */
    public static SessionDescription rewrite(SessionDescription sdp, int streamIndex, InetAddress address,
            int rtpPort) {
        String connection = "IN IP4 " + address.getHostAddress();
        SessionDescription out = sdp.withSessionLines(rewriteLines(sdp.sessionLines(), connection, -1, address));
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (i == streamIndex && m.isActive()) {
                m = m.withPort(rtpPort).withLines(rewriteLines(m.lines(), connection, rtpPort + 1, address));
            } else if (m.isActive()) {
                m = m.withPort(0).withLines(rewriteLines(m.lines(), connection, -1, address));
            }
            out = out.withMedia(i, m);
        }
        return out;
    }

    private static List<SdpLine> rewriteLines(List<SdpLine> lines, String connection, int rtcpPort,
            InetAddress address) {
        List<SdpLine> out = new ArrayList<>(lines.size());
        for (SdpLine line : lines) {
            if (line.type() == 'c') {
                out.add(isHold(line) ? line : new SdpLine('c', connection));
            } else if (line.isAttribute() && ICE_ATTRIBUTES.contains(line.attributeName().toLowerCase(Locale.ROOT))) {
                continue; // dropped
            } else if (line.isAttribute("rtcp") && rtcpPort > 0) {
                boolean withAddress = line.attributeValue().orElse("").strip().split("[ \t]+").length > 1;
                out.add(SdpLine.attribute(line.attributeName(),
                        rtcpPort + (withAddress ? " IN IP4 " + address.getHostAddress() : "")));
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static boolean isHold(SdpLine connection) {
        String[] fields = connection.value().strip().split("[ \t]+");
        return fields.length == 3 && fields[2].equals(RemoteMedia.HOLD_ADDRESS);
    }
}
