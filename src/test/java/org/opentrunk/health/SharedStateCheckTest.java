package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedStateCheckTest {

    @Test
    void downUntilReachedOnce() {
        java.util.concurrent.atomic.AtomicBoolean reached = new java.util.concurrent.atomic.AtomicBoolean();
        SharedStateCheck check = new SharedStateCheck("redis://127.0.0.1:6379", reached::get, Optional::empty, Duration.ofSeconds(60));
        assertFalse(check.check().up());
        reached.set(true);
        assertTrue(check.check().up());
    }

    @Test
    void upWhileItAnswersAndWithinTheGraceDownAfter() {
        AtomicReference<Optional<Duration>> lost = new AtomicReference<>(Optional.empty());
        SharedStateCheck check = new SharedStateCheck("redis://127.0.0.1:6379", lost::get, Duration.ofSeconds(60));
        CheckResult answers = check.check();
        assertTrue(answers.up() && answers.detail().contains("answers"), answers.toString());
        lost.set(Optional.of(Duration.ofSeconds(20)));
        CheckResult within = check.check();
        assertTrue(within.up() && within.detail().contains("last known counts"), within.toString());
        lost.set(Optional.of(Duration.ofSeconds(61)));
        CheckResult past = check.check();
        assertFalse(past.up(), past.toString());
        assertTrue(past.detail().contains("refused"), past.toString());
    }
}
