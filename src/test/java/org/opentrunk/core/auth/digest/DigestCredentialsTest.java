package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIGEST: reading the credentials a PBX sends, whatever it sends. */
@Tag("IC-DIGEST")
class DigestCredentialsTest {

    /** RFC 2617 section 3.5, as printed there (line breaks and all). */
    static final String RFC2617 = "Digest username=\"Mufasa\",\r\n"
            + "                 realm=\"testrealm@host.com\",\r\n"
            + "                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
            + "                 uri=\"/dir/index.html\",\r\n"
            + "                 qop=auth,\r\n"
            + "                 nc=00000001,\r\n"
            + "                 cnonce=\"0a4f113b\",\r\n"
            + "                 response=\"6629fae49393a05397450978507c4ef1\",\r\n"
            + "                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    @Test
    void theRfc2617Example() throws Exception {
        DigestCredentials c = DigestCredentials.parse(RFC2617);
        assertEquals("Mufasa", c.username());
        assertEquals("testrealm@host.com", c.realm());
        assertEquals("dcd98b7102dd2f0e8b11d0f600bfb0c093", c.nonce());
        assertEquals("/dir/index.html", c.uri());
        assertEquals("6629fae49393a05397450978507c4ef1", c.response());
        assertEquals(Optional.of("auth"), c.qop());
        assertEquals(Optional.of("00000001"), c.nc());
        assertEquals(OptionalLong.of(1), c.nonceCount());
        assertEquals(Optional.of("0a4f113b"), c.cnonce());
        assertEquals(Optional.of("5ccc069c403ebaf9f0171e9517f40e41"), c.opaque());
        assertEquals("MD5", c.algorithmToken(), "RFC 2617's default");
        assertEquals(Optional.of(DigestAlgorithm.MD5), c.algorithm());
    }

    @Test
    void anyOrderAnyCaseAnyWhitespaceUnknownParametersIgnored() throws Exception {
        DigestCredentials c = DigestCredentials.parse("  dIgEsT\tNC = 0000000A ,  Algorithm = sha-256,"
                + "RESPONSE=\"ab\" , x-foo=bar, x-bar=\"baz, \\\"qux\\\"\",Uri=\"sip:+12066418000@trunk.example.net\","
                + "cnonce=\"c\",QoP=\"auth\",realm=\"r\",nonce=\"n\",username=\"u\" , ");
        assertEquals("u", c.username());
        assertEquals("sip:+12066418000@trunk.example.net", c.uri());
        assertEquals("sha-256", c.algorithmToken(), "kept as sent");
        assertEquals(Optional.of(DigestAlgorithm.SHA_256), c.algorithm());
        assertEquals(Optional.of("auth"), c.qop(), "a quoted qop, as some PBXs send it");
        assertEquals(OptionalLong.of(10), c.nonceCount());
        assertEquals(Optional.of("0000000A"), c.nc(), "kept as sent: the client hashed this spelling");
        assertEquals(Optional.empty(), c.opaque());
    }

    @Test
    void quotedStringsUnescapeBackslashes() throws Exception {
        DigestCredentials c = DigestCredentials.parse(
                "Digest username=\"a\\\"b\\\\c\\d, e=f\", realm=\"\", nonce=\"n\", uri=\"u\", response=\"r\"");
        assertEquals("a\"b\\cd, e=f", c.username());
        assertEquals("", c.realm());
        assertEquals(Optional.empty(), c.qop(), "the RFC 2069 form parses; the verifier rejects it");
        assertEquals(OptionalLong.empty(), c.nonceCount());
    }

    @Test
    void utf8UsernamesAreKept() throws Exception {
        assertEquals("Jürgen", DigestCredentials.parse(
                "Digest username=\"Jürgen\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"r\"").username());
    }

    @Test
    void unknownAlgorithmsParseButAreNotSupported() throws Exception {
        DigestCredentials c = DigestCredentials.parse(
                "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"r\", algorithm=MD5-sess");
        assertEquals("MD5-sess", c.algorithmToken());
        assertEquals(Optional.empty(), c.algorithm());
    }

    @Test
    void malformedInputGetsAReadableTypedError() {
        String ok = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x@y\", response=\"0a\", "
                + "qop=auth, nc=00000001, cnonce=\"c\"";
        assertMalformed(null, "no credentials");
        assertMalformed("", "expected the scheme Digest");
        assertMalformed("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "the scheme is Basic, not Digest");
        assertMalformed("Digest", "without parameters");
        assertMalformed("Digest ,, ,", "without parameters");
        assertMalformed("Digest\"x\"", "expected whitespace after Digest");
        assertMalformed(ok.replace("username=\"u\", ", ""), "the username parameter is missing");
        assertMalformed(ok.replace("realm=\"r\", ", ""), "the realm parameter is missing");
        assertMalformed(ok.replace("nonce=\"n\", ", ""), "the nonce parameter is missing");
        assertMalformed(ok.replace("uri=\"sip:x@y\", ", ""), "the uri parameter is missing");
        assertMalformed(ok.replace("response=\"0a\", ", ""), "the response parameter is missing");
        assertMalformed(ok.replace(", cnonce=\"c\"", ""), "qop requires cnonce and nc");
        assertMalformed(ok.replace("nc=00000001, ", ""), "qop requires cnonce and nc");
        assertMalformed(ok.replace("00000001", "0000001"), "nc must be 8 hex digits");
        assertMalformed(ok.replace("00000001", "000000001"), "nc must be 8 hex digits");
        assertMalformed(ok.replace("00000001", "0000000g"), "nc must be 8 hex digits");
        assertMalformed(ok.replace("00000001", "\"+0000001\""), "nc must be 8 hex digits");
        assertMalformed(ok.replace("00000001", "00000000"), "nc starts at 00000001");
        assertMalformed(ok.replace("cnonce=\"c\"", "cnonce=\"c"), "unterminated quoted string (the value of cnonce");
        assertMalformed(ok.replace("realm=\"r\"", "realm=\"r"), "expected ',' after the value of realm");
        assertMalformed(ok + ", opaque=\"abc\\", "unterminated quoted string (the value of opaque");
        assertMalformed(ok.replace("uri=\"sip:x@y\"", "uri=sip:x@y"), "expected ',' after the value of uri");
        assertMalformed(ok.replace("realm=\"r\"", "realm="), "expected a token or a quoted string as the value of realm");
        assertMalformed(ok.replace("realm=\"r\"", "realm"), "expected '=' after realm");
        assertMalformed(ok.replace("realm=\"r\"", "=\"r\""), "expected a parameter name");
        assertMalformed(ok + ", Realm=\"other\"", "parameter realm appears twice");
        assertMalformed(ok.replace("\"u\"", "\"u\u0000\""), "control character in the value of username");
        assertMalformed(ok.replace("\"u\"", "\"u\r\nVia: x\""), "control character in the value of username");
        assertMalformed(ok.replace("\"u\"", "\"u\\\n\""), "control character in the value of username");
        assertMalformed(ok + " " + "x".repeat(DigestCredentials.MAX_HEADER_LENGTH),
                "more than the " + DigestCredentials.MAX_HEADER_LENGTH + " allowed");
    }

    @Test
    void errorsDoNotRepeatTheInput() {
        String secretLooking = "Digest username=\"topsecret\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"r\", nc=zzzzzzzz";
        MalformedCredentialsException e = assertThrows(MalformedCredentialsException.class,
                () -> DigestCredentials.parse(secretLooking));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertFalse(e.getMessage().contains("zzzzzzzz"), e.getMessage());
        String longName = "Digest " + "a".repeat(1000) + "=";
        e = assertThrows(MalformedCredentialsException.class, () -> DigestCredentials.parse(longName));
        assertTrue(e.getMessage().length() < 120, e.getMessage());
    }

    @Test
    void theLengthLimitIsInclusive() throws Exception {
        String base = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"r\", x=\"";
        String exact = base + "y".repeat(DigestCredentials.MAX_HEADER_LENGTH - base.length() - 1) + "\"";
        assertEquals(DigestCredentials.MAX_HEADER_LENGTH, exact.length());
        DigestCredentials.parse(exact);
    }

    @Test
    void renderedCredentialsParseBackEqual() throws Exception {
        DigestCredentials c = new DigestCredentials("a \"b\" \\c", "r\tealm", "n", "sip:+1@h;transport=tcp", "ff",
                "SHA-256", Optional.of("auth"), Optional.of("c,n"), Optional.of("0000002a"), Optional.of("o"));
        assertEquals(c, DigestCredentials.parse(c.toHeaderValue()));
        DigestCredentials odd = new DigestCredentials("u", "r", "n", "u", "r", "weird algo",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(odd, DigestCredentials.parse(odd.toHeaderValue()));
    }

    /**
     * Thousands of mutations of valid credentials, with a fixed seed so a failure reproduces:
     * the parser returns credentials or throws {@link MalformedCredentialsException}, nothing
     * else, and whatever it returns survives a render/parse round trip.
     */
    @Test
    void fuzzedInputOnlyEverYieldsCredentialsOrTheTypedError() {
        Random random = new Random(0x0_7E57_D16E57L);
        String[] seeds = {
            RFC2617,
            new DigestCredentials("alice", "trunk.example.net", "AAAAAYxyz-_", "sip:+12066418000@trunk.example.net",
                    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", "SHA-256",
                    Optional.of("auth"), Optional.of("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"),
                    Optional.of("00000001"), Optional.of("op")).toHeaderValue(),
            "digest nc=00000002,qop=\"auth\",username=\"a\\\"b\",realm=r,nonce=n,uri=\"u\",response=r,cnonce=c",
        };
        String alphabet = "\"\\,= \t\r\n;:@/-_.!%*+`'~aAzZ09éü\u0000\u007f\u00ff\u2028\uD800\uDC00\uFFFF";
        int parsed = 0;
        int malformed = 0;
        for (int i = 0; i < 20_000; i++) {
            String input = mutate(seeds[random.nextInt(seeds.length)], random, alphabet);
            try {
                DigestCredentials c = DigestCredentials.parse(input);
                parsed++;
                DigestCredentials again = DigestCredentials.parse(c.toHeaderValue());
                assertEquals(c, again, "round trip of " + printable(input));
            } catch (MalformedCredentialsException e) {
                malformed++;
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + ": " + e + " for input " + printable(input), e);
            }
        }
        assertTrue(parsed > 1_000, "the mutations should leave many inputs valid: " + parsed);
        assertTrue(malformed > 1_000, "and break many: " + malformed);
    }

    private static String mutate(String seed, Random random, String alphabet) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(9)) {
                case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> { if (s.length() > 0) s.deleteCharAt(at); }
                case 2 -> { if (s.length() > 0) s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); }
                case 3 -> s.setLength(at); // truncate
                case 4 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(40)))); // duplicate a stretch
                case 5 -> s.insert(at, ", x" + random.nextInt(100) + "=\"" + "y".repeat(random.nextInt(20)) + "\"");
                case 6 -> s.insert(at, "z".repeat(random.nextInt(3) == 0 ? DigestCredentials.MAX_HEADER_LENGTH : 50));
                case 7 -> { for (int k = 0; k < 3; k++) s.insert(random.nextInt(s.length() + 1), ' '); }
                default -> { if (s.length() > 0) s.setCharAt(at, (char) random.nextInt(0x10000)); }
            }
        }
        return s.toString();
    }

    private static String printable(String input) {
        StringBuilder out = new StringBuilder();
        input.chars().limit(300).forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static void assertMalformed(String input, String messagePart) {
        MalformedCredentialsException e = assertThrows(MalformedCredentialsException.class,
                () -> DigestCredentials.parse(input), String.valueOf(input));
        assertTrue(e.getMessage().contains(messagePart), "message: " + e.getMessage() + " / expected: " + messagePart);
    }
}
