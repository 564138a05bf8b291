package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.health.BoundedCheckTest.check;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckGroupTest {

    private static final Duration BOUND = Duration.ofMillis(300);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void everyCheckIsReportedInOrderAndTheGroupIsUpWhenAllAre() {
        HealthReport report = new CheckGroup(List.of(bounded("database", true), bounded("cdr-journal", true)), BOUND).run();
        assertTrue(report.up());
        assertEquals(List.of("database", "cdr-journal"), report.checks().stream().map(CheckResult::name).toList());
    }

    @Test
    void oneCheckDownMakesTheGroupDownAndNamesIt() {
        HealthReport report = new CheckGroup(List.of(bounded("database", false), bounded("media-relay", true)), BOUND).run();
        assertFalse(report.up());
        assertEquals(List.of("database"), report.failing());
    }

    @Test
    void checksThatHangShareOneBoundRatherThanAddingUp() {
        CheckGroup group = new CheckGroup(List.of(hanging("database"), hanging("cdr-journal"), hanging("sip"),
                bounded("media-relay", true)), BOUND);
        long start = System.nanoTime();
        HealthReport report = group.run();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of("database", "cdr-journal", "sip"), report.failing());
        assertTrue(report.checks().get(3).up());
        assertTrue(waited < 2 * BOUND.toMillis(), "waited " + waited + " ms for a bound of " + BOUND.toMillis());
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CheckGroup(List.of(), Duration.ZERO));
    }

    private BoundedCheck bounded(String name, boolean up) {
        return new BoundedCheck(check(name, () -> new CheckResult(name, up, up ? "fine" : "broken")), threads);
    }

    private BoundedCheck hanging(String name) {
        return new BoundedCheck(check(name, () -> {
            release.await();
            return CheckResult.up(name, "late");
        }), threads);
    }
}
