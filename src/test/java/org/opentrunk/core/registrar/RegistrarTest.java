package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.core.registrar.TestRegister.NOW;
import static org.opentrunk.core.registrar.TestRegister.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

/** RFC 3261 section 10.3, steps 6 to 8, as {@link Registrar#decide} applies them. */
class RegistrarTest {

    private static final String DESK = "<sip:100@192.168.1.5:5060;transport=udp>";
    private static final String SOFTPHONE = "<sip:101@10.0.0.9:5062>";

    private static long secondsLeft(Binding b, long nowMs) {
        return b.remainingSeconds(nowMs);
    }

    @Test
    void aNewContactIsBoundToWhereTheRegisterCameFrom() {
        List<Binding> current = register(DESK + ";q=0.7").over(Transport.TCP).apply(List.of());
        Binding b = current.get(0);
        assertEquals(1, current.size());
        assertEquals(TestRegister.CUSTOMER, b.customerId());
        assertEquals("sip:100@192.168.1.5:5060;transport=udp", b.contactUri(), "the contact as registered");
        assertEquals(TestRegister.SOURCE, b.sourceAddress(), "calls go to the NAT's address, not 192.168.1.5");
        assertEquals(TestRegister.SOURCE_PORT, b.sourcePort());
        assertEquals(Transport.TCP, b.transport());
        assertEquals(TestRegister.CALL_ID, b.callId());
        assertEquals(1, b.cseq());
        assertEquals(Optional.of(new QValue(700)), b.q());
        assertEquals(Optional.of("Yealink SIP-T46U 108.86.0.50"), b.userAgent());
        assertEquals(NOW + 3_600_000, b.expiresAtMs(), "neither header nor parameter: the default hour");
    }

    @Test
    void theContactsExpiresBeatsTheHeaderWhichBeatsTheDefault() {
        List<Binding> current = register(DESK + ";expires=120", SOFTPHONE).expires("300").apply(List.of());
        assertEquals(120, secondsLeft(current.get(0), NOW));
        assertEquals(300, secondsLeft(current.get(1), NOW));
    }

    @Test
    void longerThanTheMaximumIsShortenedToIt() {
        assertEquals(3600, secondsLeft(register(DESK).expires("86400").apply(List.of()).get(0), NOW));
        assertEquals(3600, secondsLeft(register(DESK + ";expires=99999999999999").apply(List.of()).get(0), NOW));
        RegistrarLimits tenMinutes = new RegistrarLimits(60, 600, 600, 10);
        RegisterOutcome outcome = Registrar.decide(register(DESK).expires("3600").request(), List.of(), tenMinutes);
        assertEquals(600, secondsLeft(((RegisterOutcome.Updated) outcome).current().get(0), NOW));
    }

    @Test
    void shorterThanTheMinimumIs423AndChangesNothing() {
        RegisterOutcome outcome = register(SOFTPHONE, DESK + ";expires=30").decide(List.of());
        assertEquals(new RegisterOutcome.IntervalTooBrief(60), outcome);
        assertEquals(423, outcome.status());
        assertEquals("Interval Too Brief", outcome.reason());
        assertEquals(new RegisterOutcome.IntervalTooBrief(60), register(DESK).expires("59").decide(List.of()));
        assertEquals(1, register(DESK).expires("60").apply(List.of()).size(), "the minimum itself is fine");
    }

    @Test
    void expiresZeroRemovesThatBindingOnly() {
        List<Binding> both = register(DESK, SOFTPHONE).apply(List.of());
        List<Binding> after = register(DESK + ";expires=0").cseq(2).after(10).apply(both);
        assertEquals(List.of("sip:101@10.0.0.9:5062"), after.stream().map(Binding::contactUri).toList());
        assertEquals(after, register("<sip:999@192.0.2.1>").expires("0").cseq(3).after(20).apply(after),
                "removing a contact that is not bound is no error");
    }

    @Test
    void aWildcardWithExpiresZeroRemovesEverything() {
        List<Binding> both = register(DESK, SOFTPHONE).apply(List.of());
        RegisterOutcome outcome = register("*").expires("0").cseq(2).decide(both);
        assertEquals(new RegisterOutcome.Updated(TestRegister.CUSTOMER, List.of()), outcome);
        assertEquals(List.of(), register("*").expires("0").apply(List.of()), "nothing bound: still 200");
    }

    @Test
    void aWildcardMustBeAloneAndCarryExpiresZero() {
        List<Binding> both = register(DESK, SOFTPHONE).apply(List.of());
        assertProblem(RegisterProblem.WILDCARD_WITH_OTHER_CONTACTS, register("*", DESK).expires("0").cseq(2).decide(both));
        assertProblem(RegisterProblem.WILDCARD_WITH_OTHER_CONTACTS, register("*, *").expires("0").cseq(2).decide(both));
        assertProblem(RegisterProblem.WILDCARD_WITHOUT_EXPIRES_ZERO, register("*").cseq(2).decide(both));
        assertProblem(RegisterProblem.WILDCARD_WITHOUT_EXPIRES_ZERO, register("*").expires("3600").cseq(2).decide(both));
        assertProblem(RegisterProblem.WILDCARD_WITHOUT_EXPIRES_ZERO, register("*").expires("soon").cseq(2).decide(both));
    }

    @Test
    void aWildcardOlderThanABindingIsRefused() {
        List<Binding> both = register(DESK, SOFTPHONE).cseq(5).apply(List.of());
        assertProblem(RegisterProblem.CSEQ_OUT_OF_ORDER, register("*").expires("0").cseq(5).decide(both));
        assertEquals(0, register("*").expires("0").cseq(1).callId("reboot@pbx").apply(both).size(),
                "another Call-ID removes whatever its CSeq");
    }

    @Test
    void aRefreshMovesTheBindingToTheNewSourceAndExtendsIt() {
        List<Binding> first = register(DESK).expires("600").apply(List.of());
        List<Binding> refreshed = register(DESK).expires("600").cseq(2).from("203.0.113.50", 61000).after(300)
                .apply(first);
        assertEquals(1, refreshed.size());
        Binding b = refreshed.get(0);
        assertEquals("203.0.113.50", b.sourceAddress(), "the NAT gave the phone a new address");
        assertEquals(61000, b.sourcePort());
        assertEquals(2, b.cseq());
        assertEquals(NOW + 900_000, b.expiresAtMs());
    }

    @Test
    void theSameCallIdWithoutAHigherCSeqChangesNothing() {
        List<Binding> both = register(DESK, SOFTPHONE).cseq(7).apply(List.of());
        assertProblem(RegisterProblem.CSEQ_OUT_OF_ORDER, register(DESK).cseq(7).decide(both));
        assertProblem(RegisterProblem.CSEQ_OUT_OF_ORDER, register(DESK).cseq(6).decide(both));
        RegisterOutcome partlyOld = register("<sip:102@192.168.1.6>", SOFTPHONE + ";expires=0").cseq(3).decide(both);
        assertProblem(RegisterProblem.CSEQ_OUT_OF_ORDER, partlyOld);
        assertTrue(((RegisterOutcome.Rejected) partlyOld).detail().contains("CSeq 3"), partlyOld.toString());
    }

    @Test
    void anotherCallIdIsANewUaInstanceAndMayStartAtAnyCSeq() {
        List<Binding> before = register(DESK).cseq(500).apply(List.of());
        List<Binding> after = register(DESK).callId("after-reboot@192.168.1.5").cseq(1).after(5).apply(before);
        assertEquals("after-reboot@192.168.1.5", after.get(0).callId());
        assertEquals(1, after.get(0).cseq());
    }

    @Test
    void anExpiredBindingIsAsIfAbsent() {
        List<Binding> before = register(DESK).expires("60").cseq(9).apply(List.of());
        List<Binding> later = register(DESK, SOFTPHONE).cseq(1).after(61).apply(before);
        assertEquals(2, later.size(), "the old CSeq no longer counts");
        assertEquals(new RegisterOutcome.Fetch(TestRegister.CUSTOMER, List.of()), register().after(60).decide(before),
                "expired at the instant of expiry");
    }

    @Test
    void aContactIsRecognisedByRfc3261UriEquality() {
        List<Binding> before = register("<sip:100@PBX.Example.COM;transport=UDP>").apply(List.of());
        List<Binding> after = register("<SIP:100@pbx.example.com;transport=udp;ob>").cseq(2).apply(before);
        assertEquals(1, after.size(), "host and scheme ignore case; a parameter on one side only does not count");
        assertEquals("sip:100@pbx.example.com;transport=udp;ob", after.get(0).contactUri(), "the newest spelling is kept");
        assertEquals(2, register("<sip:100@pbx.example.com:5060;transport=udp>").cseq(3).apply(after).size(),
                "an explicit port is another contact");
    }

    @Test
    void aFetchListsTheLiveBindingsAndChangesNothing() {
        List<Binding> both = register(DESK, SOFTPHONE + ";expires=60").apply(List.of());
        RegisterOutcome outcome = register().cseq(2).after(120).decide(both);
        assertEquals(new RegisterOutcome.Fetch(TestRegister.CUSTOMER, both.subList(0, 1)), outcome);
        assertEquals(200, outcome.status());
        assertInstanceOf(RegisterOutcome.Fetch.class, register().cseq(1).decide(both), "a fetch is not order-checked");
    }

    @Test
    void aCustomerMayHoldAtMostItsLimitOfBindings() {
        RegistrarLimits two = new RegistrarLimits(60, 3600, 3600, 2);
        List<Binding> full = ((RegisterOutcome.Updated) Registrar.decide(register(DESK, SOFTPHONE).request(), List.of(), two))
                .current();
        RegisterOutcome third = Registrar.decide(register("<sip:102@192.168.1.6>").cseq(2).request(), full, two);
        assertProblem(RegisterProblem.TOO_MANY_BINDINGS, third);
        assertEquals(403, third.status());
        RegisterOutcome swap = Registrar.decide(register("<sip:102@192.168.1.6>", DESK + ";expires=0").cseq(2).request(),
                full, two);
        assertEquals(2, ((RegisterOutcome.Updated) swap).current().size(), "replacing one within one REGISTER is fine");

        RegistrarLimits one = new RegistrarLimits(60, 3600, 3600, 1);
        RegisterOutcome refresh = Registrar.decide(register(DESK).cseq(3).request(), full, one);
        assertEquals(2, ((RegisterOutcome.Updated) refresh).current().size(),
                "above a lowered limit a customer may still refresh, just not grow");
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("<sip:" + (200 + i) + "@192.168.1.5>");
        }
        assertProblem(RegisterProblem.TOO_MANY_BINDINGS, register(eleven.toArray(String[]::new)).decide(List.of()));
        assertEquals(10, register(eleven.subList(0, 10).toArray(String[]::new)).apply(List.of()).size());
    }

    @Test
    void aContactListedTwiceTakesItsLastEntry() {
        List<Binding> current = register(DESK + ";expires=100", DESK + ";expires=200").apply(List.of());
        assertEquals(1, current.size());
        assertEquals(200, secondsLeft(current.get(0), NOW));
        assertEquals(List.of(), register(DESK, DESK + ";expires=0").apply(List.of()));
    }

    @Test
    void anotherCustomersBindingIsAProgrammingError() {
        List<Binding> others = register(DESK).customer(8).apply(List.of());
        assertThrows(IllegalArgumentException.class, () -> register(DESK).decide(others));
    }

    private static void assertProblem(RegisterProblem expected, RegisterOutcome outcome) {
        RegisterOutcome.Rejected rejected = assertInstanceOf(RegisterOutcome.Rejected.class, outcome, outcome::toString);
        assertEquals(expected, rejected.problem());
        assertEquals(expected.status(), outcome.status());
        assertEquals(expected.reason(), outcome.reason());
    }

    /** Issue 20: a REGISTER through the cluster's front keeps its Path; calls follow it back. */
    @Test
    void theBindingKeepsThePathItRegisteredThrough() {
        String front = "<sip:127.0.0.10;lr;received=sip:198.51.100.7:40123>";
        List<Binding> current = register(DESK).path(front + ", <sip:edge.example;lr>").apply(List.of());
        assertEquals(List.of(front, "<sip:edge.example;lr>"), current.get(0).path());
        assertEquals(List.of(), register(DESK).apply(List.of()).get(0).path());
    }

    @Test
    void aPathNoBindingCanKeepIsRefused() {
        RegisterParseResult tooMany = RegisterRequest.parse(register(DESK).path("<sip:a;lr>", "<sip:b;lr>", "<sip:c;lr>",
                "<sip:d;lr>", "<sip:e;lr>").headers());
        assertEquals(RegisterProblem.MALFORMED_PATH, ((RegisterParseResult.Malformed) tooMany).problem());
        RegisterParseResult notSip = RegisterRequest.parse(register(DESK).path("garbage").headers());
        assertEquals(RegisterProblem.MALFORMED_PATH, ((RegisterParseResult.Malformed) notSip).problem());
    }
}
