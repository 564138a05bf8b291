package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void aHundredSimultaneousCallsAdmitExactlyTheLimit() throws Exception {
        ChannelCounter channels = new ChannelCounter();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 50; round++) {
                long customer = round;
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger admitted = new AtomicInteger();
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    tasks.add(pool.submit(() -> {
                        go.await();
                        if (channels.tryAcquire(customer, 30)) {
                            admitted.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : tasks) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(30, admitted.get(), "no over-admission");
                assertEquals(30, channels.inUse(customer));
                for (int i = 0; i < 30; i++) {
                    channels.release(customer);
                }
                assertEquals(0, channels.inUse(customer));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReleaseNeverGoesBelowZero() {
        ChannelCounter channels = new ChannelCounter();
        channels.release(1);
        assertEquals(0, channels.inUse(1));
        assertTrue(channels.tryAcquire(1, 1));
        assertFalse(channels.tryAcquire(1, 1));
        assertFalse(channels.tryAcquire(2, 0), "maxChannels 0 admits nothing");
    }

    @Test
    void theBucketPassesABurstUpToTheLimitThenTheRefillRate() {
        CallRateLimiter cps = new CallRateLimiter();
        long t = 1_000_000_000L;
        int passed = 0;
        for (int i = 0; i < 10; i++) {
            passed += cps.tryAcquire(7, 3, t) ? 1 : 0;
        }
        assertEquals(3, passed, "burst of maxCps");
        assertFalse(cps.tryAcquire(7, 3, t + 100_000_000L), "0.3 tokens after 100 ms");
        assertTrue(cps.tryAcquire(7, 3, t + 400_000_000L), "1.2 tokens after 400 ms");
        int sustained = 0;
        for (int ms = 500; ms < 10_500; ms += 10) {
            sustained += cps.tryAcquire(7, 3, t + ms * 1_000_000L) ? 1 : 0;
        }
        assertTrue(sustained >= 29 && sustained <= 31, "about 3 per second over 10 s: " + sustained);
        assertFalse(cps.tryAcquire(8, 0, t), "maxCps 0 admits nothing");
    }

    @Test
    void aChangedMaxCpsAppliesAtOnceAndKeepsTheTokensLeft() {
        CallRateLimiter cps = new CallRateLimiter();
        long t = 1_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertTrue(cps.tryAcquire(7, 3, t));
        }
        assertFalse(cps.tryAcquire(7, 10, t), "raised: the empty bucket is not filled up");
        assertTrue(cps.tryAcquire(7, 10, t + 100_000_000L), "but refills at the new rate: 1 token after 100 ms");
        assertFalse(cps.tryAcquire(7, 10, t + 100_000_000L));

        long later = t + 10_000_000_000L; // full again: 10 tokens
        assertTrue(cps.tryAcquire(7, 2, later), "lowered: at most the new limit is left");
        assertTrue(cps.tryAcquire(7, 2, later));
        assertFalse(cps.tryAcquire(7, 2, later));
    }

    @Test
    void theCountryGuardTripsPerCustomerAndCountryAndIsCleared() {
        CountryGuard guard = new CountryGuard(5);
        long now = 10_000_000;
        for (int i = 0; i < 5; i++) {
            assertTrue(guard.admit(1, 44, now + i).isEmpty());
        }
        var tripped = guard.admit(1, 44, now + 5);
        assertTrue(tripped.isPresent(), "the sixth call in a minute trips it");
        assertTrue(guard.admit(1, 44, now + 120_000).isPresent(), "suspended until cleared, not until the window passes");
        assertTrue(guard.admit(1, 1, now).isEmpty(), "other countries go on");
        assertTrue(guard.admit(2, 44, now).isEmpty(), "other customers go on");
        assertEquals(1, guard.suspensions().size());
        assertTrue(guard.clear(1, 44));
        assertTrue(guard.admit(1, 44, now + 200_000).isEmpty());
        assertFalse(guard.clear(1, 44));
    }

    @Test
    void callsSpreadOverMoreThanAMinuteDoNotTripIt() {
        CountryGuard guard = new CountryGuard(5);
        for (int i = 0; i < 50; i++) {
            assertTrue(guard.admit(1, 44, i * 13_000L).isEmpty(), "call " + i);
        }
        assertTrue(new CountryGuard(0).admit(1, 44, 0).isEmpty(), "0 = off");
    }

    /** Issue 20: a suspension tripped or cleared here is told; one adopted from another node is not told back. */
    @Test
    void countryGuardSuspensionsAreToldAndAdopted() {
        CountryGuard guard = new CountryGuard(1);
        java.util.List<String> told = new java.util.ArrayList<>();
        guard.listener(new CountryGuard.Listener() {
            @Override
            public void suspended(CountryGuard.Suspension suspension) {
                told.add("suspended " + suspension.customerId() + " +" + suspension.countryCode());
            }

            @Override
            public void cleared(long customerId, int countryCode) {
                told.add("cleared " + customerId + " +" + countryCode);
            }
        });
        guard.admit(1, 44, 0);
        guard.admit(1, 44, 1);
        guard.admit(1, 44, 2); // already suspended: not told again
        guard.adopt(new CountryGuard.Suspension(2, 49, 5, 1));
        org.junit.jupiter.api.Assertions.assertTrue(guard.admit(2, 49, 6).isPresent(), "an adopted suspension refuses here too");
        org.junit.jupiter.api.Assertions.assertTrue(guard.forget(2, 49));
        guard.clear(1, 44);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("suspended 1 +44", "cleared 1 +44"), told);
    }
}
