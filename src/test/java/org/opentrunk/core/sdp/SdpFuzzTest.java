package org.opentrunk.core.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IC-RESP: whatever bytes arrive, parsing ends in a description or a {@link MalformedSdpException},
 * and the policies never throw on what was parsed. Fixed seeds, so a failure is reproducible.
 */
@Tag("IC-RESP")
class SdpFuzzTest {

    private static final int ITERATIONS = 6000;

    private static final byte[] INTERESTING = "\r\n\0 =/:0123456789maovcbt*#\"\\\t-".getBytes(StandardCharsets.US_ASCII);

    private static final List<String> TRICKY_LINES = List.of("m=", "m=audio", "m=audio 99999999999 RTP/AVP 0",
            "m=audio 0 RTP/AVP 0", "m=image 1 udptl t38", "m=video 1/1 RTP/AVP 96", "a=rtpmap:", "a=rtpmap:0",
            "a=rtpmap:0 G722/8000", "a=rtpmap:96 PCMU/99999999999999999999", "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:", "a=rtcp-fb:*", "o=- 1 99999999999999999999999999 IN IP4 x", "o=", "v=0", "a=T38MaxBitRate:",
            "a=T38MaxBitRate:-1", "a=T38FaxUdpEC", "a=", "c=IN IP4 ", "\u00ff\u00fe", "=", "a=\u0000");

    @Test
    void mutatedBodiesParseOrAreRefusedAndNeverBreakThePolicies() {
        Random random = new Random(0x5D9_2026L);
        List<byte[]> seeds = Samples.ALL.stream().map(Samples::wire).toList();
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] body = seeds.get(random.nextInt(seeds.size()));
            int mutations = 1 + random.nextInt(4);
            for (int j = 0; j < mutations; j++) {
                body = mutate(body, random);
            }
            parsed += check(body) ? 1 : 0;
        }
        // Both sides of the parser must have been exercised for the test to mean anything.
        if (parsed < ITERATIONS / 20 || parsed > ITERATIONS - ITERATIONS / 20) {
            fail("only " + parsed + " of " + ITERATIONS + " mutated bodies parsed; the mutations are unbalanced");
        }
    }

    @Test
    void randomTextParsesOrIsRefused() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "v=0\n" : "");
            int length = random.nextInt(400);
            for (int j = 0; j < length; j++) {
                text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
            }
            String input = text.toString();
            try {
                exercise(SessionDescription.parse(input));
            } catch (MalformedSdpException expected) {
                // refused: fine
            } catch (RuntimeException | Error e) {
                throw new AssertionError("unexpected " + e + " for " + SdpText.quote(input), e);
            }
        }
    }

    /** Parses and exercises {@code body}; true when it parsed. */
    private static boolean check(byte[] body) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(body);
        } catch (MalformedSdpException expected) {
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("parse threw " + e + " for " + show(body), e);
        }
        try {
            exercise(sdp);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("policies threw " + e + " for " + show(body), e);
        }
        return true;
    }

    private static void exercise(SessionDescription sdp) {
        assertEquals(sdp, reparse(sdp), "what is sent parses back to the same description");
        FilterResult offer = CodecPolicy.filterOffer(sdp);
        if (offer instanceof FilterResult.Filtered filtered) {
            reparse(filtered.sdp());
            CodecPolicy.checkAnswer(filtered.sdp(), sdp);
            CodecPolicy.checkAnswer(filtered.sdp(), filtered.sdp());
        } else if (offer instanceof FilterResult.Rejected rejected) {
            rejected.warningHeaderValue("trunk.example.net");
        }
        CodecPolicy.checkAnswer(sdp, sdp);
        CodecPolicy.negotiatedCodec(sdp);
        CodecPolicy.hasTelephoneEvent(sdp);
        CodecPolicy.telephoneEventPayloadType(sdp);
        T38Policy.isT38Offer(sdp);
        T38Policy.isG711Only(sdp);
        SessionDescription t38 = T38Policy.enforce(sdp);
        if (t38.toBytes().length <= SessionDescription.MAX_BYTES && t38.lines().size() <= SessionDescription.MAX_LINES) {
            reparse(t38);
        }
        reparse(sdp.withIncrementedVersion());
        sdp.sessionVersion();
    }

    private static SessionDescription reparse(SessionDescription sdp) {
        try {
            return SessionDescription.parse(sdp.toBytes());
        } catch (MalformedSdpException e) {
            throw new AssertionError("output does not parse: " + e.getMessage() + "\n" + sdp, e);
        }
    }

    private static byte[] mutate(byte[] body, Random random) {
        if (body.length == 0) {
            return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
        }
        int at = random.nextInt(body.length);
        switch (random.nextInt(8)) {
            case 0: { // overwrite one byte with any value
                byte[] out = body.clone();
                out[at] = (byte) random.nextInt(256);
                return out;
            }
            case 1: { // overwrite one byte with a character that matters to SDP
                byte[] out = body.clone();
                out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                return out;
            }
            case 2: { // insert a character that matters
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(body, 0, at);
                out.write(INTERESTING[random.nextInt(INTERESTING.length)]);
                out.write(body, at, body.length - at);
                return out.toByteArray();
            }
            case 3: { // delete a stretch
                int end = Math.min(body.length, at + 1 + random.nextInt(12));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(body, 0, at);
                out.write(body, end, body.length - end);
                return out.toByteArray();
            }
            case 4: // truncate
                return Arrays.copyOf(body, at);
            default: // line-level edits keep most bodies parseable, so the policies get exercised
                return mutateLines(body, random);
        }
    }

    private static byte[] mutateLines(byte[] body, Random random) {
        List<String> lines = new ArrayList<>(List.of(new String(body, StandardCharsets.ISO_8859_1).split("\r\n", -1)));
        int at = random.nextInt(lines.size());
        switch (random.nextInt(4)) {
            case 0 -> lines.add(at, lines.get(random.nextInt(lines.size())));
            case 1 -> lines.remove(at);
            case 2 -> lines.add(Math.max(1, at), TRICKY_LINES.get(random.nextInt(TRICKY_LINES.size())));
            default -> {
                int other = random.nextInt(lines.size());
                String line = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, line);
            }
        }
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String show(byte[] body) {
        return SdpText.quote(new String(body, StandardCharsets.ISO_8859_1).replace("\r\n", "|"))
                + " (" + body.length + " bytes, base64 " + java.util.Base64.getEncoder().encodeToString(body) + ")";
    }
}
