package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.core.registrar.TestRegister.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.address.FuzzInput;
import org.opentrunk.core.config.Transport;

/** Reading a REGISTER's header values: contacts, Expires, Call-ID, CSeq, source, User-Agent. */
class RegisterRequestTest {

    private static List<String> uris(RegisterRequest request) {
        return request.contacts().stream().map(c -> ((RequestedContact) c).uriText()).toList();
    }

    private static RequestedContact contact(RegisterRequest request, int index) {
        return assertInstanceOf(RequestedContact.class, request.contacts().get(index));
    }

    @Test
    void severalContactsInOneValueWithDisplayNamesAndParameters() {
        RegisterRequest r = register("\"Desk, Front\" <sip:100@192.168.1.5:5060;transport=udp>;expires=60;q=0.5, "
                + "Reception <sip:101@192.168.1.6>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\","
                + "sip:102@192.168.1.7;expires=30").request();
        assertEquals(List.of("sip:100@192.168.1.5:5060;transport=udp", "sip:101@192.168.1.6", "sip:102@192.168.1.7"),
                uris(r));
        assertEquals(OptionalLong.of(60), contact(r, 0).expiresSeconds());
        assertEquals(Optional.of(new QValue(500)), contact(r, 0).q());
        assertEquals(OptionalLong.empty(), contact(r, 1).expiresSeconds());
        assertEquals(OptionalLong.of(30), contact(r, 2).expiresSeconds(),
                "a bare URI's parameters are the header's (RFC 3261 section 20)");
    }

    @Test
    void contactsSpreadOverSeveralValuesKeepTheirOrder() {
        RegisterRequest r = register("<sip:100@192.168.1.5>", "<sip:101@192.168.1.6>, ,<sip:102@192.168.1.7>,").request();
        assertEquals(3, r.contacts().size());
        assertEquals("sip:102@192.168.1.7", contact(r, 2).uriText());
    }

    @Test
    void aWildcardIsReadWhereverItStands() {
        assertEquals(List.of(new ContactEntry.Wildcard()), register(" * ").request().contacts());
        RegisterRequest mixed = register("<sip:100@192.168.1.5>, *").request();
        assertEquals(new ContactEntry.Wildcard(), mixed.contacts().get(1), "the registrar refuses the mix, with its own reason");
    }

    @Test
    void noContactIsAFetch() {
        assertTrue(register().request().isFetch());
        assertTrue(RegisterRequest.parse(new RegisterHeaders(7, null, null, "x@y", "1 REGISTER", "192.0.2.1", 5060,
                Transport.UDP, null, 0)) instanceof RegisterParseResult.Parsed p && p.request().isFetch());
    }

    @Test
    void malformedContactsAreRefusedWithTheirReason() {
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<sip:100@192.168.1.5"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("\"Desk <sip:100@192.168.1.5>"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("Desk"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<sip:100@192.168.1.5> garbage"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("*;expires=0"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<sip:100@192.168.1.5>;q=2"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<sip:100@192.168.1.5>;q=0.1234"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<sip:100@192.168.1.5;x=" + "a".repeat(520) + ">"));
        assertProblem(RegisterProblem.UNSUPPORTED_CONTACT_SCHEME, register("<tel:+12065550100>"));
        assertProblem(RegisterProblem.UNSUPPORTED_CONTACT_SCHEME, register("<sips:100@pbx.example.com>"));
        assertProblem(RegisterProblem.MALFORMED_CONTACT, register("<mailto:100@example.com>"));
    }

    @Test
    void atMostThirtyTwoContactsAreRead() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= RegisterRequest.MAX_CONTACTS; i++) {
            many.add("<sip:" + (100 + i) + "@192.168.1.5>");
        }
        assertProblem(RegisterProblem.TOO_MANY_CONTACTS, register(String.join(",", many)));
        assertEquals(RegisterRequest.MAX_CONTACTS,
                register(String.join(",", many.subList(1, many.size()))).request().contacts().size());
    }

    @Test
    void aMalformedExpiresCountsAsAbsent() {
        assertEquals(OptionalLong.of(120), register().expires(" 120 ").request().expires());
        assertEquals(OptionalLong.empty(), register().expires("-1").request().expires());
        assertEquals(OptionalLong.empty(), register().expires("Thu, 01 Dec 2033 16:00:00 GMT").request().expires());
        assertEquals(OptionalLong.empty(), contact(register("<sip:1@192.0.2.1>;expires=1.5").request(), 0).expiresSeconds());
        assertEquals(OptionalLong.of(DeltaSeconds.MAX), register().expires("99999999999999999999999").request().expires());
    }

    @Test
    void callIdAndCSeqAreChecked() {
        assertProblem(RegisterProblem.MALFORMED_CALL_ID, register().callId(null));
        assertProblem(RegisterProblem.MALFORMED_CALL_ID, register().callId("two words"));
        assertProblem(RegisterProblem.MALFORMED_CALL_ID, register().callId("x".repeat(Binding.MAX_CALL_ID_LENGTH + 1)));
        assertEquals("abc@host", register().callId(" abc@host ").request().callId());
        assertEquals(42, register().cseqHeader("42").request().cseq());
        assertEquals(42, register().cseqHeader(" 42  REGISTER ").request().cseq());
        assertEquals(Binding.MAX_CSEQ, register().cseqHeader("2147483647 REGISTER").request().cseq());
        for (String bad : new String[] {null, "", "REGISTER", "1 INVITE", "1 register", "-1 REGISTER", "2147483648 REGISTER",
                "99999999999 REGISTER", "1 REGISTER x"}) {
            assertProblem(RegisterProblem.MALFORMED_CSEQ, register().cseqHeader(bad));
        }
    }

    @Test
    void theSourceIsIpv4EvenWhenTheSocketIsDualStack() {
        assertEquals("198.51.100.7", register().from("::ffff:198.51.100.7", 5060).request().sourceAddress());
        assertProblem(RegisterProblem.UNSUPPORTED_SOURCE, register().from("2001:db8::1", 5060));
        assertProblem(RegisterProblem.UNSUPPORTED_SOURCE, register().from(null, 5060));
        assertProblem(RegisterProblem.UNSUPPORTED_SOURCE, register().from("198.51.100.7", 0));
        assertProblem(RegisterProblem.UNSUPPORTED_SOURCE, register().from("198.51.100.7", 65536));
    }

    @Test
    void theUserAgentIsMadePrintableAndCutNeverRefused() {
        assertEquals(Optional.of("Zoiper rv2.10 x"), register().userAgent(" Zoiper rv2.10\u0007x ").request().userAgent());
        assertEquals(Binding.MAX_USER_AGENT_LENGTH, register().userAgent("U".repeat(1000)).request().userAgent()
                .orElseThrow().length());
        assertEquals(Optional.empty(), register().userAgent(" \t").request().userAgent());
        String emoji = "a".repeat(Binding.MAX_USER_AGENT_LENGTH - 1) + "\uD83D\uDE00";
        assertEquals("a".repeat(Binding.MAX_USER_AGENT_LENGTH - 1), register().userAgent(emoji).request().userAgent()
                .orElseThrow(), "never half a surrogate pair");
    }

    @Test
    void theDetailQuotesPeerInputSafely() {
        RegisterParseResult.Malformed m = (RegisterParseResult.Malformed) RegisterRequest.parse(
                register("<sip:100@192.168.1.5>\r\nX-Evil: 1").headers());
        assertFalse(m.detail().contains("\r") || m.detail().contains("\n"), m.detail());
        assertTrue(m.detail().startsWith("REGISTER of customer 7: "), m.detail());
        assertEquals(400, m.outcome().status());
    }

    @Test
    void anyInputGivesAResultNeverAnException() {
        Random random = new Random(FuzzInput.SEED);
        int parsed = 0;
        for (int round = 0; round < 5_000; round++) {
            TestRegister register = register(FuzzInput.next(random), FuzzInput.next(random))
                    .expires(FuzzInput.randomText(random)).userAgent(FuzzInput.randomText(random));
            if (round % 4 == 0) {
                register.cseqHeader(FuzzInput.randomText(random)).callId(FuzzInput.randomText(random));
            }
            RegisterHeaders headers = register.headers();
            RegisterParseResult result = RegisterRequest.parse(headers);
            assertNotNull(result);
            if (result instanceof RegisterParseResult.Parsed p) {
                parsed++;
                assertNotNull(Registrar.decide(p.request(), List.of(), RegistrarLimits.DEFAULTS));
            }
        }
        assertTrue(parsed > 100, "the fuzzer should reach the registrar often, got " + parsed);
    }

    private static void assertProblem(RegisterProblem expected, TestRegister register) {
        RegisterParseResult result = RegisterRequest.parse(register.headers());
        RegisterParseResult.Malformed malformed = assertInstanceOf(RegisterParseResult.Malformed.class, result,
                result::toString);
        assertEquals(expected, malformed.problem(), malformed::detail);
    }
}
