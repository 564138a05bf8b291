package org.opentrunk.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.limits.AuthFailureGuard;

/**
 * Clock steps (issue 25): the guards measure their windows and blocks on {@link SteadyClock}; a
 * wall clock stepped an hour back or forward does not move it, so a block lasts what it should.
 */
class SteadyClockTest {

    private final AtomicLong wall = new AtomicLong(1_800_000_000_000L);
    private final AtomicLong nanos = new AtomicLong(42);
    private final SteadyClock clock = new SteadyClock(wall::get, nanos::get);

    private void elapse(Duration real, Duration wallStep) {
        nanos.addAndGet(real.toNanos());
        wall.addAndGet(real.toMillis() + wallStep.toMillis());
    }

    @Test
    void aWallClockStepDoesNotMoveIt() {
        long start = clock.read();
        assertEquals(1_800_000_000_000L, start, "epoch-like: shown times stay readable");
        elapse(Duration.ofSeconds(10), Duration.ofHours(-1));
        assertEquals(start + 10_000, clock.read(), "an hour back on the wall: 10 s on this clock");
        elapse(Duration.ofSeconds(5), Duration.ofHours(2));
        assertEquals(start + 15_000, clock.read(), "and forward");
    }

    @Test
    void aBlockLastsItsTimeWhateverTheWallClockDoes() {
        AuthFailureGuard guard = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        guard.recordFailure("127.0.0.142", clock.read());
        assertTrue(guard.recordFailure("127.0.0.142", clock.read()), "blocked");
        elapse(Duration.ofMinutes(1), Duration.ofHours(1)); // NTP steps forward an hour
        assertTrue(guard.isBlocked("127.0.0.142", clock.read()), "still blocked after 1 real minute");
        assertFalse(guard.isBlocked("127.0.0.142", wall.get()), "measured on the wall clock it would have ended");
        elapse(Duration.ofMinutes(10), Duration.ofHours(-3)); // and back three hours
        assertFalse(guard.isBlocked("127.0.0.142", clock.read()), "ended after its 10 real minutes, not 3 hours later");
    }

    @Test
    void theProcessClockFollowsRealTime() throws Exception {
        long before = SteadyClock.millis();
        Thread.sleep(50);
        long elapsed = SteadyClock.millis() - before;
        assertTrue(elapsed >= 49 && elapsed < 5_000, "elapsed " + elapsed);
        assertTrue(Math.abs(SteadyClock.millis() - System.currentTimeMillis()) < Duration.ofDays(1).toMillis(),
                "epoch-like");
    }
}
