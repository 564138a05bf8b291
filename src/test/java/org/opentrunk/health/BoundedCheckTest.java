package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedCheckTest {

    private static final Duration BOUND = Duration.ofMillis(200);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void aCheckThatHangsIsDownWhenTheBoundPasses() {
        BoundedCheck check = new BoundedCheck(check("database", () -> {
            release.await();
            return CheckResult.up("database", "late");
        }), threads);
        long start = System.nanoTime();
        CheckResult result = check.resultBy(deadline());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(result.up());
        assertEquals("database", result.name());
        assertTrue(result.detail().startsWith("no answer after "), result.detail());
        assertTrue(waited >= BOUND.toMillis() - 5 && waited < BOUND.toMillis() + 1_000, "waited " + waited + " ms");
    }

    @Test
    void anExceptionIsDownWithItsMessage() {
        CheckResult result = new BoundedCheck(check("database", () -> {
            throw new java.sql.SQLException("Connection refused");
        }), threads).resultBy(deadline());
        assertFalse(result.up());
        assertEquals("SQLException: Connection refused", result.detail());
    }

    @Test
    void theResultCarriesTheChecksOwnName() {
        CheckResult result = new BoundedCheck(check("sip", () -> CheckResult.up("something else", "ok")), threads)
                .resultBy(deadline());
        assertEquals(new CheckResult("sip", true, "ok"), result);
    }

    @Test
    void whileARunIsUnderWayOthersWaitForItInsteadOfStartingAnother() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        BoundedCheck check = new BoundedCheck(check("database", () -> {
            runs.incrementAndGet();
            release.await();
            return CheckResult.up("database", "answered");
        }), threads);
        for (int i = 0; i < 5; i++) {
            assertFalse(check.resultBy(deadline()).up(), "still hanging");
        }
        assertEquals(1, runs.get(), "one hanging run, not one per request");

        release.countDown();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        CheckResult result;
        do {
            result = check.resultBy(deadline());
        } while (!result.up() && System.nanoTime() < until);
        assertTrue(result.up(), result::detail);
        check.resultBy(deadline());
        assertTrue(runs.get() >= 2, "a finished run is not reused: " + runs.get());
    }

    @Test
    void anExecutorThatRefusesIsDown() {
        CheckResult result = new BoundedCheck(check("database", () -> CheckResult.up("database", "ok")), task -> {
            throw new RejectedExecutionException("shut down");
        }).resultBy(deadline());
        assertFalse(result.up());
        assertEquals("could not be run: shut down", result.detail());
    }

    private static long deadline() {
        return System.nanoTime() + BOUND.toNanos();
    }

    interface Body {
        CheckResult run() throws Exception;
    }

    static HealthCheck check(String name, Body body) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult check() throws Exception {
                return body.run();
            }
        };
    }
}
