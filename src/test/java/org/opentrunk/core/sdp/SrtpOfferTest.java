package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SrtpOfferTest {

    private static final String HEAD = "v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    private static final String CRYPTO = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

    @Test
    void anSdesOfferIsSavpWithCryptoOnEveryActiveAudioStream() throws Exception {
        assertTrue(SrtpOffer.isSdes(sdp("m=audio 4000 RTP/SAVP 0 101\r\n" + CRYPTO)));
        assertTrue(SrtpOffer.isSdes(sdp("m=audio 4000 RTP/SAVPF 0\r\n" + CRYPTO + "m=video 0 RTP/AVP 96\r\n")));
        assertFalse(SrtpOffer.isSdes(sdp("m=audio 4000 RTP/AVP 0\r\n")), "plain RTP");
        assertFalse(SrtpOffer.isSdes(sdp("m=audio 4000 RTP/SAVP 0\r\n")), "SAVP without keys");
        assertFalse(SrtpOffer.isSdes(sdp("m=audio 4000 UDP/TLS/RTP/SAVP 0\r\na=fingerprint:sha-256 AB\r\n")), "DTLS-SRTP is not SDES");
        assertFalse(SrtpOffer.isSdes(sdp("m=audio 4000 RTP/SAVP 0\r\n" + CRYPTO + "m=audio 4002 RTP/AVP 0\r\n")),
                "a second audio stream in clear");
    }

    @Test
    void theCodecPolicyKeepsTheCryptoLinesAndTheProfile() throws Exception {
        SessionDescription offer = sdp("m=audio 4000 RTP/SAVP 9 0 101\r\na=rtpmap:9 G722/8000\r\n" + CRYPTO
                + "a=rtpmap:101 telephone-event/8000\r\n");
        FilterResult.Filtered filtered = (FilterResult.Filtered) CodecPolicy.filterOffer(offer);
        String text = new String(filtered.sdp().toString().getBytes());
        assertTrue(filtered.sdp().media().get(0).proto().equals("RTP/SAVP"), text);
        assertEquals(1, filtered.sdp().media().get(0).attributes("crypto").size(), text);
        assertTrue(SrtpOffer.isSdes(filtered.sdp()));
    }

    @Test
    void theRefusalIs488WithAWarning() {
        FilterResult.Rejected no = SrtpOffer.required();
        assertEquals(488, no.sipStatus());
        assertEquals("302 trunk.test \"SRTP required: offer RTP/SAVP with a=crypto (RFC 4568)\"", no.warningHeaderValue("trunk.test"));
    }

    private static SessionDescription sdp(String media) throws MalformedSdpException {
        return SessionDescription.parse(HEAD + media);
    }
}
