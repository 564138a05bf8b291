package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SessionDescription#withSessionLines}: a relay may change the session part, never v= or o=. */
class SessionLinesTest {

    private static final SessionDescription SDP = Samples.sdp("""
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5004 RTP/AVP 0
            """);

    @Test
    void replacesTheSessionPartAndKeepsTheMedia() {
        List<SdpLine> lines = new ArrayList<>(SDP.sessionLines());
        lines.set(3, new SdpLine('c', "IN IP4 198.51.100.1"));
        SessionDescription out = SDP.withSessionLines(lines);
        assertEquals(SDP.toString().replace("c=IN IP4 192.0.2.1", "c=IN IP4 198.51.100.1"), out.toString());
        assertSame(SDP, SDP.withSessionLines(SDP.sessionLines()));
    }

    @Test
    void refusesToLoseOrChangeTheVersionAndOriginOrToGainAMediaLine() {
        List<SdpLine> lines = SDP.sessionLines();
        assertThrows(IllegalArgumentException.class, () -> SDP.withSessionLines(lines.subList(1, lines.size())));
        List<SdpLine> noOrigin = new ArrayList<>(lines);
        noOrigin.remove(1);
        assertThrows(IllegalArgumentException.class, () -> SDP.withSessionLines(noOrigin));
        List<SdpLine> otherOrigin = new ArrayList<>(lines);
        otherOrigin.set(1, new SdpLine('o', "- 1 2 IN IP4 192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> SDP.withSessionLines(otherOrigin));
        List<SdpLine> media = new ArrayList<>(lines);
        media.add(new SdpLine('m', "audio 5006 RTP/AVP 0"));
        assertThrows(IllegalArgumentException.class, () -> SDP.withSessionLines(media));
    }
}
