package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.sdp.SessionDescription;

/** IC-DIRECT with anchoring: the SDP each leg sees points at OpenTrunk, the rest is as sent. */
@Tag("IC-DIRECT")
class AnchoredSdpTest {

    private static final InetAddress RELAY = InetAddress.getLoopbackAddress();

    @Test
    void putsTheRelayAddressAndPortInPlaceOfTheEndpointsAndKeepsTheRest() {
        SessionDescription offer = Sdp.audio("192.0.2.10", 10954, 101, "sendrecv");
        SessionDescription out = AnchoredSdp.rewrite(offer, 0, RELAY, 20002);
        assertEquals(offer.toString()
                .replace("c=IN IP4 192.0.2.10", "c=IN IP4 127.0.0.1")
                .replace("m=audio 10954", "m=audio 20002"), out.toString());
        assertTrue(out.toString().contains("o=- 100 1 IN IP4 192.0.2.10"), "the origin is the endpoint's");
    }

    @Test
    void rewritesMediaLevelConnectionAndRtcpAndDropsIce() {
        SessionDescription offer = Sdp.parse("""
                v=0
                o=- 1 1 IN IP4 198.51.100.20
                s=-
                t=0 0
                a=ice-lite
                m=audio 24680 RTP/AVP 0 101
                c=IN IP4 198.51.100.20
                a=rtpmap:101 telephone-event/8000
                a=rtcp:24681 IN IP4 198.51.100.20
                a=ice-ufrag:abcd
                a=ice-pwd:0123456789abcdef01234567
                a=candidate:1 1 UDP 2130706431 198.51.100.20 24680 typ host
                a=sendrecv
                m=video 24682 RTP/AVP 96
                c=IN IP4 198.51.100.20
                a=rtpmap:96 H264/90000
                """);
        assertEquals(Sdp.crlf("""
                v=0
                o=- 1 1 IN IP4 198.51.100.20
                s=-
                t=0 0
                m=audio 30000 RTP/AVP 0 101
                c=IN IP4 127.0.0.1
                a=rtpmap:101 telephone-event/8000
                a=rtcp:30001 IN IP4 127.0.0.1
                a=sendrecv
                m=video 0 RTP/AVP 96
                c=IN IP4 127.0.0.1
                a=rtpmap:96 H264/90000
                """), AnchoredSdp.rewrite(offer, 0, RELAY, 30000).toString());
    }

    @Test
    void keepsAHoldAddressSoThatTheOtherLegSeesTheHold() {
        SessionDescription hold = Sdp.parse(Sdp.audio("192.0.2.10", 10954, 101, "sendonly").toString()
                .replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0"));
        String out = AnchoredSdp.rewrite(hold, 0, RELAY, 20002).toString();
        assertTrue(out.contains("c=IN IP4 0.0.0.0\r\n"), out);
        assertTrue(out.contains("m=audio 20002 "), out);
    }

    @Test
    @Tag("IC-FAX")
    void aT38OfferIsRelayedOnItsImageStream() throws Exception {
        SessionDescription offer = Sdp.t38("192.0.2.10", 4000, 2);
        assertEquals(0, RemoteMedia.relayedStreamIndex(offer));
        RemoteMedia media = RemoteMedia.of(offer, 0);
        assertEquals(MediaMode.T38, media.mode());
        assertEquals(new InetSocketAddress("192.0.2.10", 4000), media.rtp());
        assertTrue(AnchoredSdp.rewrite(offer, 0, RELAY, 20002).toString().contains("m=image 20002 udptl t38\r\n"));
    }

    @Test
    @Tag("IC-DTMF")
    void readsWhereTheEndpointReceivesAndHowItSignalsDigits() throws Exception {
        RemoteMedia media = RemoteMedia.of(Sdp.audio("192.0.2.10", 10954, 96, "sendrecv"), 0);
        assertEquals(MediaMode.AUDIO, media.mode());
        assertEquals(new InetSocketAddress("192.0.2.10", 10954), media.rtp());
        assertEquals(new InetSocketAddress("192.0.2.10", 10955), media.rtcp());
        assertEquals(96, media.telephoneEventPayloadType());
        assertEquals(MediaDirection.SENDRECV, media.direction());

        SessionDescription noEvents = Sdp.parse("""
                v=0
                o=- 1 1 IN IP4 192.0.2.1
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                a=inactive
                m=audio 5004 RTP/AVP 0
                """);
        RemoteMedia plain = RemoteMedia.of(noEvents, 0);
        assertEquals(101, plain.telephoneEventPayloadType(), "IC-DTMF: 101 by default");
        assertTrue(plain.isHold(), "session-level inactive");
    }

    @Test
    void aHoldAddressHasNoDestination() throws Exception {
        SessionDescription hold = Sdp.parse(Sdp.audio("192.0.2.10", 10954, 101, "sendrecv").toString()
                .replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0"));
        RemoteMedia media = RemoteMedia.of(hold, 0);
        assertNull(media.rtp());
        assertTrue(media.isHold());
    }

    @Test
    void refusesIpv6HostNamesAndDescriptionsWithoutARelayableStream() {
        String ipv6 = Sdp.audio("192.0.2.10", 10954, 101, "sendrecv").toString()
                .replace("c=IN IP4 192.0.2.10", "c=IN IP6 2001:db8::1");
        assertEquals(488, assertThrows(BadSdpException.class, () -> RemoteMedia.of(Sdp.parse(ipv6), 0)).sipStatus());
        String name = Sdp.audio("192.0.2.10", 10954, 101, "sendrecv").toString()
                .replace("c=IN IP4 192.0.2.10", "c=IN IP4 media.example.net");
        assertThrows(BadSdpException.class, () -> RemoteMedia.of(Sdp.parse(name), 0));
        SessionDescription video = Sdp.parse("""
                v=0
                o=- 1 1 IN IP4 192.0.2.1
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                m=video 5004 RTP/AVP 96
                """);
        assertEquals(-1, RemoteMedia.relayedStreamIndex(video));
        assertThrows(BadSdpException.class, () -> RemoteMedia.of(video, 0));
    }
}
