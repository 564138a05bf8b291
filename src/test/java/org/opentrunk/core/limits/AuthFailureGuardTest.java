package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthFailureGuardTest {

    private static final String ATTACKER = "203.0.113.9";
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void theTenthFailureWithinAMinuteBlocksTheAddressForTenMinutes() {
        AuthFailureGuard guard = new AuthFailureGuard();
        for (int i = 0; i < 9; i++) {
            assertFalse(guard.recordFailure(ATTACKER, T0 + i * 1_000L));
        }
        assertFalse(guard.isBlocked(ATTACKER, T0 + 9_000));
        assertTrue(guard.recordFailure(ATTACKER, T0 + 9_000), "the failure that trips the block says so");
        assertTrue(guard.isBlocked(ATTACKER, T0 + 9_000));
        assertFalse(guard.isBlocked("198.51.100.1", T0 + 9_000), "other addresses are not affected");
        assertFalse(guard.recordFailure(ATTACKER, T0 + 10_000), "already blocked: said once only");

        long until = T0 + 9_000 + AuthFailureGuard.DEFAULT_BLOCK.toMillis();
        assertEquals(List.of(new AuthFailureGuard.Block(ATTACKER, T0 + 9_000, until, 10)), guard.blocks(T0 + 10_000));
        assertTrue(guard.isBlocked(ATTACKER, until - 1));
        assertFalse(guard.isBlocked(ATTACKER, until));
        assertEquals(List.of(), guard.blocks(until));
        assertFalse(guard.recordFailure(ATTACKER, until + 1), "a fresh count after the block");
        assertEquals(11, guard.failuresCounted(), "the failure while blocked is not counted (/metrics)");
        assertEquals(1, guard.blocksImposed());
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotBlock() {
        AuthFailureGuard guard = new AuthFailureGuard();
        for (int i = 0; i < 100; i++) {
            assertFalse(guard.recordFailure(ATTACKER, T0 + i * 6_700L), "nine a minute, forever: " + i);
        }
        assertFalse(guard.isBlocked(ATTACKER, T0 + 700_000));
    }

    @Test
    void theLimitsAreConfigurable() {
        AuthFailureGuard guard = new AuthFailureGuard(3, Duration.ofSeconds(10), Duration.ofSeconds(30));
        assertFalse(guard.recordFailure(ATTACKER, T0));
        assertFalse(guard.recordFailure(ATTACKER, T0 + 9_000));
        assertTrue(guard.recordFailure(ATTACKER, T0 + 9_999));
        assertTrue(guard.isBlocked(ATTACKER, T0 + 39_998));
        assertFalse(guard.isBlocked(ATTACKER, T0 + 39_999));

        AuthFailureGuard strict = new AuthFailureGuard(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertTrue(strict.recordFailure(ATTACKER, T0));
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureGuard(0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureGuard(1, Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new AuthFailureGuard(1, Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }

    @Test
    void anOperatorCanLiftABlock() {
        AuthFailureGuard guard = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        guard.recordFailure(ATTACKER, T0);
        assertTrue(guard.recordFailure(ATTACKER, T0 + 1));
        assertTrue(guard.unblock(ATTACKER));
        assertFalse(guard.isBlocked(ATTACKER, T0 + 2));
        assertFalse(guard.unblock(ATTACKER), "nothing left to lift");
        assertFalse(guard.recordFailure(ATTACKER, T0 + 3), "its earlier failures were forgotten too");
    }

    @Test
    void aSprayOfRandomAddressesKeepsMemoryBoundedAndBlocksInForce() {
        AuthFailureGuard guard = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        guard.recordFailure(ATTACKER, T0);
        assertTrue(guard.recordFailure(ATTACKER, T0 + 1));
        for (int i = 0; i < 5 * AuthFailureGuard.MAX_TRACKED_ADDRESSES; i++) {
            guard.recordFailure("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), T0 + 2);
        }
        assertEquals(AuthFailureGuard.MAX_TRACKED_ADDRESSES, guard.trackedAddresses());
        assertTrue(guard.isBlocked(ATTACKER, T0 + 3), "counters never push out a block");

        String last = null;
        for (int i = 0; i < 3 * AuthFailureGuard.MAX_BLOCKS; i++) {
            last = "172." + (16 + (i >> 16 & 15)) + "." + (i >> 8 & 255) + "." + (i & 255);
            guard.recordFailure(last, T0 + 10 + i);
            assertTrue(guard.recordFailure(last, T0 + 10 + i));
        }
        assertEquals(AuthFailureGuard.MAX_BLOCKS, guard.heldBlocks());
        assertEquals(AuthFailureGuard.MAX_BLOCKS, guard.blocks(T0 + 100_000).size());
        assertTrue(guard.isBlocked(last, T0 + 100_000), "the newest blocks stay");
        assertFalse(guard.isBlocked(ATTACKER, T0 + 100_000), "the oldest made room");
    }

    @Test
    void concurrentFailuresFromOneAddressTripTheBlockExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                AuthFailureGuard guard = new AuthFailureGuard();
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger trips = new AtomicInteger();
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String address = i % 2 == 0 ? ATTACKER : "198.51.100." + i;
                    tasks.add(pool.submit(() -> {
                        go.await();
                        if (guard.recordFailure(address, T0)) {
                            trips.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> task : tasks) {
                    task.get(10, TimeUnit.SECONDS);
                }
                assertEquals(1, trips.get(), "25 failures from the attacker, one block");
                assertTrue(guard.isBlocked(ATTACKER, T0));
                assertEquals(1, guard.blocks(T0).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Issue 20: blocks imposed or lifted here are told (for the other nodes); adopted ones are not told back. */
    @Test
    void blocksImposedAndLiftedAreToldAndAdoptedOnesAreNot() {
        AuthFailureGuard guard = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        List<String> told = new ArrayList<>();
        guard.listener(new AuthFailureGuard.Listener() {
            @Override
            public void blocked(AuthFailureGuard.Block block, long nowMs) {
                told.add("blocked " + block.address() + " for " + (block.untilMs() - nowMs));
            }

            @Override
            public void unblocked(String address) {
                told.add("unblocked " + address);
            }
        });
        guard.recordFailure(ATTACKER, T0);
        guard.recordFailure(ATTACKER, T0 + 1);
        assertEquals(List.of("blocked " + ATTACKER + " for 600000"), told);

        guard.adopt("198.51.100.7", T0, 5_000, 10);
        assertTrue(guard.isBlocked("198.51.100.7", T0 + 4_999));
        assertFalse(guard.isBlocked("198.51.100.7", T0 + 5_000), "for what was left of it on the other node");
        guard.adopt(ATTACKER, T0 + 2, 1_000, 10);
        assertTrue(guard.isBlocked(ATTACKER, T0 + 500_000), "a shorter adopted block does not cut a longer one");
        assertEquals(1, guard.blocksImposed(), "adopted blocks are not counted as imposed here");

        assertTrue(guard.forget(ATTACKER));
        assertFalse(guard.isBlocked(ATTACKER, T0 + 3));
        guard.adopt(ATTACKER, T0 + 3, 60_000, 2);
        assertTrue(guard.unblock(ATTACKER));
        assertEquals(List.of("blocked " + ATTACKER + " for 600000", "unblocked " + ATTACKER), told,
                "adopting and forgetting are not told; an operator's unblock is");
    }
}
