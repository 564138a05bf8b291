package org.opentrunk.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IC-ROUTE: targets one at a time; 408, 480, 5xx and silence move on; the callee's refusals go back. */
@Tag("IC-ROUTE")
class AttemptsTest {

    private static final CallTarget FIRST = new CallTarget("first", null, "sip:+12066418000@192.0.2.1", null);
    private static final CallTarget SECOND = new CallTarget("second", null, "sip:+12066418000@192.0.2.2", null);

    @ParameterizedTest
    @CsvSource({"200, ANSWERED", "202, ANSWERED", "408, NEXT_TARGET", "480, NEXT_TARGET", "500, NEXT_TARGET",
            "503, NEXT_TARGET", "599, NEXT_TARGET", "404, RELAY_TO_CALLER", "486, RELAY_TO_CALLER",
            "487, RELAY_TO_CALLER", "603, RELAY_TO_CALLER", "302, RELAY_TO_CALLER", "422, RETRY_SAME_TARGET"})
    void aFinalAnswerMeans(int status, Attempts.Verdict verdict) {
        Attempts attempts = new Attempts(List.of(FIRST, SECOND));
        attempts.next();
        assertEquals(verdict, attempts.judge(status));
    }

    @Test
    void targetsComeInOrderAndRunOut() {
        Attempts attempts = new Attempts(List.of(FIRST, SECOND));
        assertNull(attempts.current());
        assertEquals(0, attempts.number());
        assertEquals(Optional.of(FIRST), attempts.next());
        assertEquals(1, attempts.number());
        assertEquals(Optional.of(SECOND), attempts.next());
        assertEquals(SECOND, attempts.current());
        assertEquals(Optional.empty(), attempts.next());
        assertNull(attempts.current());
        assertEquals(Optional.empty(), attempts.next(), "and stay run out");
        assertEquals(Optional.empty(), new Attempts(List.of()).next());
    }

    @Test
    void a422IsRetriedOncePerTarget() {
        // IC-TIMER, RFC 4028 section 6: the same target again, not the next one; a second 422 is final.
        Attempts attempts = new Attempts(List.of(FIRST, SECOND));
        attempts.next();
        assertEquals(Attempts.Verdict.RETRY_SAME_TARGET, attempts.judge(422));
        assertEquals(FIRST, attempts.current(), "no failover");
        assertEquals(Attempts.Verdict.RELAY_TO_CALLER, attempts.judge(422));
        attempts.next();
        assertEquals(Attempts.Verdict.RETRY_SAME_TARGET, attempts.judge(422), "the next target has its own retry");
    }

    @Test
    void theLastFailureGoesBackUnlessTheLastTargetSaidNothing() {
        Attempts attempts = new Attempts(List.of(FIRST, SECOND));
        attempts.next();
        CalleeFailure busy = new CalleeFailure(503, "Service Unavailable", Map.of("Retry-After", List.of("30")));
        attempts.failed(busy);
        attempts.next();
        assertEquals(Optional.of(busy), attempts.lastFailure());
        attempts.unreachable(); // the second never answered: the caller gets OpenTrunk's own 503
        assertEquals(Optional.empty(), attempts.lastFailure());
    }

    @Test
    void aFailureIsAnErrorAnswer() {
        assertThrows(IllegalArgumentException.class, () -> new CalleeFailure(200, "OK", Map.of()));
        assertTrue(new CalleeFailure(486, "Busy Here", Map.of()).relayedHeaders().isEmpty());
    }
}
