package org.opentrunk.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("IC-DIGEST")
class SecretMaskTest {

    private static final String INVITE = "INVITE sip:+12065550199@trunk.example SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1\r\n"
            + "Proxy-Authorization: Digest username=\"acme\", realm=\"trunk.example\", nonce=\"abc,def==\","
            + " uri=\"sip:+12065550199@trunk.example\", response=\"0123456789abcdef0123456789abcdef\","
            + " algorithm=MD5, cnonce=\"c1\", qop=auth, nc=00000001, opaque=\"op\"\r\n"
            + "authorization: Bearer eyJhbGciOi.secret.token\r\n"
            + "Content-Length: 40\r\n"
            + "\r\n"
            + "Authorization: this is the body, not a header\r\n";

    @Test
    void masksTheResponseAndNonceDerivedValuesKeepsSchemeAndUsername() {
        String masked = SecretMask.mask(INVITE);
        assertTrue(masked.contains("Proxy-Authorization: Digest username=\"acme\", realm=\"trunk.example\", nonce=\"***\","
                + " uri=\"sip:+12065550199@trunk.example\", response=\"***\", algorithm=MD5, cnonce=\"***\", qop=auth,"
                + " nc=00000001, opaque=\"***\"\r\n"), masked);
        assertFalse(masked.contains("0123456789abcdef"));
        assertFalse(masked.contains("abc,def"));
        assertTrue(masked.contains("authorization: Bearer ***\r\n"), masked);
        assertFalse(masked.contains("secret.token"));
        assertTrue(masked.endsWith("\r\n\r\nAuthorization: this is the body, not a header\r\n"), "the body is left as it is");
        assertTrue(masked.startsWith("INVITE sip:+12065550199@trunk.example SIP/2.0\r\nVia: "));
    }

    @Test
    void aMessageWithoutCredentialsIsTheSameString() {
        String bye = "BYE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n";
        assertSame(bye, SecretMask.mask(bye));
        assertEquals(null, SecretMask.mask(null));
    }

    @Test
    void valuesTheContainerHidIn_toStringAreWrittenAgainFromTheHeaderThenMasked() {
        String shown = "INVITE sip:a@b SIP/2.0\r\nProxy-Authorization: <hidden>\r\nCall-ID: x\r\n\r\n";
        String masked = SecretMask.mask(shown, name -> "proxy-authorization".equals(name)
                ? java.util.List.of("Digest username=\"acme\", nonce=\"n1\", response=\"r1\"") : java.util.List.of());
        assertEquals("INVITE sip:a@b SIP/2.0\r\nProxy-Authorization: Digest username=\"acme\", nonce=\"***\", response=\"***\"\r\n"
                + "Call-ID: x\r\n\r\n", masked);
        assertEquals("INVITE sip:a@b SIP/2.0\r\nProxy-Authorization: <hidden>\r\nCall-ID: x\r\n\r\n",
                SecretMask.mask(shown), "without the header's values: as the container showed it");
    }

    @Test
    void aSchemeWithoutParametersStays() {
        assertEquals("Digest", SecretMask.maskValue("Digest"));
        assertEquals("Basic ***", SecretMask.maskValue("Basic YWxpY2U6c2VjcmV0"));
    }

    @Test
    void sdesKeysInTheBodyAreMaskedTheSuiteAndTagStay() {
        String invite = "INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Type: application/sdp\r\n\r\n"
                + "v=0\r\nm=audio 4000 RTP/SAVP 0\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32\r\n"
                + "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n";
        String masked = SecretMask.mask(invite);
        assertEquals(invite.replace("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz", "***")
                .replace("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "***"), masked);
    }

    @Test
    void findsTheCredentialHeaderInAnyCaseAndNothingElse() {
        assertTrue(SecretMask.containsIgnoreCase("X: 1\r\nAUTHORIZATION: Digest a=b\r\n", "authorization"));
        assertTrue(SecretMask.containsIgnoreCase("proxy-AuThOrIzAtIoN", "authorization"));
        assertTrue(SecretMask.containsIgnoreCase("authorization", "authorization"));
        assertFalse(SecretMask.containsIgnoreCase("authorizatio", "authorization"));
        assertFalse(SecretMask.containsIgnoreCase("Authorisation: x", "authorization"));
        assertFalse(SecretMask.containsIgnoreCase("", "authorization"));
        // '!' | 0x20 is '!' and '@' | 0x20 is '`': no false first-letter matches outside the letters
        assertFalse(SecretMask.containsIgnoreCase("!uthorization @uthorization", "authorization"));
    }
}
