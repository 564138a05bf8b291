package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.health.BoundedCheckTest.check;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessWatchTest {

    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final ReadinessWatch watch = new ReadinessWatch(new CheckGroup(List.of(
            new BoundedCheck(check("database", () -> new CheckResult("database", databaseUp.get(), "state")), Runnable::run),
            new BoundedCheck(check("media-relay", () -> CheckResult.up("media-relay", "2 relay threads running")),
                    Runnable::run)), Duration.ofSeconds(1)));

    @Test
    void notReadyBeforeTheChecksHaveRun() {
        assertFalse(watch.ready());
        assertTrue(watch.latest().isEmpty());
    }

    @Test
    void followsTheChecksFromOneRefreshToTheNext() {
        watch.refresh();
        assertTrue(watch.ready());

        databaseUp.set(false);
        assertTrue(watch.ready(), "the verdict changes only when refreshed: reading never runs a check");
        watch.refresh();
        assertFalse(watch.ready());
        assertEquals(List.of("database"), watch.latest().orElseThrow().failing());

        databaseUp.set(true);
        watch.refresh();
        assertTrue(watch.ready());
    }

    @Test
    void aCheckThatCannotBeRunIsDownAndTheWatchGoesOn() {
        ReadinessWatch failing = new ReadinessWatch(new CheckGroup(List.of(new BoundedCheck(
                check("database", () -> CheckResult.up("database", "ok")), task -> {
                    throw new IllegalStateException("no thread");
                })), Duration.ofSeconds(1)));
        failing.refresh();
        assertFalse(failing.ready());
        assertEquals("could not be run: no thread", failing.latest().orElseThrow().checks().get(0).detail());
    }
}
