package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIGEST: nonces with expiry and replay protection. */
@Tag("IC-DIGEST")
class NoncesTest {

    private static final String REALM = "trunk.example.net";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Nonces nonces = new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, 1000, clock);

    @Test
    void aFreshNonceIsValidForItsRealmOnly() {
        String nonce = nonces.issue(REALM);
        assertEquals(NonceValidity.VALID, nonces.check(nonce, REALM));
        assertEquals(NonceValidity.INVALID, nonces.check(nonce, "other.example.net"));
        assertEquals(NonceValidity.INVALID, nonces.check(nonce, REALM.toUpperCase()));
    }

    @Test
    void noncesAreUniqueShortAndQuoteSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String nonce = nonces.issue(REALM);
            assertEquals(Nonces.ENCODED_LENGTH, nonce.length());
            assertTrue(nonce.matches("[A-Za-z0-9_-]+"), nonce);
            assertTrue(seen.add(nonce), "repeated nonce " + nonce);
        }
        assertEquals(54, Nonces.ENCODED_LENGTH);
    }

    @Test
    void aNonceGoesStaleAfterItsLifetime() {
        String nonce = nonces.issue(REALM);
        clock.advance(Nonces.DEFAULT_LIFETIME);
        assertEquals(NonceValidity.VALID, nonces.check(nonce, REALM), "valid up to the lifetime itself");
        clock.advance(Duration.ofMillis(1));
        assertEquals(NonceValidity.STALE, nonces.check(nonce, REALM));
        clock.advance(Duration.ofDays(365));
        assertEquals(NonceValidity.STALE, nonces.check(nonce, REALM), "old but still authentic");
    }

    @Test
    void aNonceFromTooFarInTheFutureIsStale() {
        String nonce = nonces.issue(REALM);
        clock.advance(Duration.ofSeconds(-10));
        assertEquals(NonceValidity.VALID, nonces.check(nonce, REALM), "a small clock step back is harmless");
        clock.advance(Nonces.DEFAULT_LIFETIME.negated());
        assertEquals(NonceValidity.STALE, nonces.check(nonce, REALM));
    }

    @Test
    void theLifetimeIsConfigurable() {
        Nonces shortLived = new Nonces(SECRET, Duration.ofSeconds(30), 10, clock);
        assertEquals(Duration.ofSeconds(30), shortLived.lifetime());
        String nonce = shortLived.issue(REALM);
        clock.advance(Duration.ofSeconds(31));
        assertEquals(NonceValidity.STALE, shortLived.check(nonce, REALM));
    }

    @Test
    void everyAlteredCharacterMakesANonceInvalid() {
        String nonce = nonces.issue(REALM);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < nonce.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c != nonce.charAt(i)) {
                    String forged = nonce.substring(0, i) + c + nonce.substring(i + 1);
                    assertEquals(NonceValidity.INVALID, nonces.check(forged, REALM), forged);
                }
            }
        }
    }

    @Test
    void aFreshTimestampCannotBeGraftedOntoAnOldNonce() {
        String old = nonces.issue(REALM);
        clock.advance(Duration.ofHours(1));
        String fresh = nonces.issue(REALM);
        // timestamp is the first 8 bytes = first 10 2/3 base64 characters; take the fresh one's
        String grafted = fresh.substring(0, 10) + old.substring(10);
        assertEquals(NonceValidity.INVALID, nonces.check(grafted, REALM));
    }

    @Test
    void garbageIsInvalidNeverAnException() {
        String nonce = nonces.issue(REALM);
        for (String garbage : new String[] {null, "", "dcd98b7102dd2f0e8b11d0f600bfb0c093", nonce + "A",
                nonce.substring(1), "!".repeat(Nonces.ENCODED_LENGTH), "=".repeat(Nonces.ENCODED_LENGTH),
                "+" + nonce.substring(1), nonce.substring(1) + "/", // the standard, not URL-safe, alphabet
                "é".repeat(Nonces.ENCODED_LENGTH)}) {
            assertEquals(NonceValidity.INVALID, nonces.check(garbage, REALM), String.valueOf(garbage));
        }
    }

    @Test
    void anotherServersNoncesAreInvalid() {
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        Nonces other = new Nonces(otherSecret, Nonces.DEFAULT_LIFETIME, 10, clock);
        assertEquals(NonceValidity.INVALID, nonces.check(other.issue(REALM), REALM));
    }

    @Test
    void aNonceFromBeforeARestartIsStaleNeverValid() {
        // The restarted server: the same secret (NonceSecretFile), a new run, an empty replay memory.
        String cached = nonces.issue(REALM);
        assertEquals(NonceCounts.Use.NEW_COUNT, nonces.recordUse(cached, 1));
        Nonces restarted = new Nonces(SECRET.clone(), Nonces.DEFAULT_LIFETIME, 10, clock);
        assertEquals(NonceValidity.STALE, restarted.check(cached, REALM), "fresh by its age, but the replay memory is gone");
        assertEquals(NonceValidity.INVALID, restarted.check(cached, "other.example.net"), "the MAC still binds the realm");
        assertEquals(NonceValidity.VALID, restarted.check(restarted.issue(REALM), REALM));
        // The run, not the clock, tells the runs apart: a clock stepped back changes nothing.
        clock.advance(Duration.ofHours(-1));
        Nonces steppedBack = new Nonces(SECRET.clone(), Nonces.DEFAULT_LIFETIME, 10, clock);
        assertEquals(NonceValidity.STALE, steppedBack.check(restarted.issue(REALM), REALM));
        assertEquals(NonceValidity.VALID, steppedBack.check(steppedBack.issue(REALM), REALM));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Nonces(new byte[31], Nonces.DEFAULT_LIFETIME, 10, clock));
        assertThrows(IllegalArgumentException.class, () -> new Nonces(SECRET, Duration.ZERO, 10, clock));
        assertThrows(IllegalArgumentException.class, () -> new Nonces(SECRET, Duration.ofSeconds(-1), 10, clock));
        assertThrows(IllegalArgumentException.class, () -> new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, 0, clock));
        assertEquals(Nonces.MIN_SECRET_BYTES, Nonces.randomSecret().length);
        assertTrue(!Arrays.equals(Nonces.randomSecret(), Nonces.randomSecret()));
    }

    @Test
    void theSecretIsCopied() {
        byte[] secret = SECRET.clone();
        Nonces n = new Nonces(secret, Nonces.DEFAULT_LIFETIME, 10, clock);
        String nonce = n.issue(REALM);
        Arrays.fill(secret, (byte) 0);
        assertEquals(NonceValidity.VALID, n.check(nonce, REALM));
    }

    // --- replay memory ---

    @Test
    void eachNonceCountIsAcceptedOnceAndOnlyIncreasing() {
        String nonce = nonces.issue(REALM);
        assertEquals(NonceCounts.Use.NEW_COUNT, nonces.recordUse(nonce, 1));
        assertEquals(NonceCounts.Use.REPLAYED, nonces.recordUse(nonce, 1));
        assertEquals(NonceCounts.Use.NEW_COUNT, nonces.recordUse(nonce, 2));
        assertEquals(NonceCounts.Use.NEW_COUNT, nonces.recordUse(nonce, 5), "gaps are fine (lost requests)");
        assertEquals(NonceCounts.Use.REPLAYED, nonces.recordUse(nonce, 3), "lower than the highest seen");
        assertEquals(NonceCounts.Use.REPLAYED, nonces.recordUse(nonce, 5));
        assertEquals(NonceCounts.Use.NEW_COUNT, nonces.recordUse(nonces.issue(REALM), 1), "another nonce starts over");
        assertEquals(2, nonces.remembered());
    }

    @Test
    void theMemoryIsBoundedAndRefusesRatherThanForgets() {
        Nonces small = new Nonces(SECRET, Duration.ofSeconds(60), 3, clock);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String nonce = small.issue(REALM);
            used.add(nonce);
            assertEquals(NonceCounts.Use.NEW_COUNT, small.recordUse(nonce, 1));
        }
        assertEquals(NonceCounts.Use.MEMORY_FULL, small.recordUse(small.issue(REALM), 1));
        assertEquals(3, small.remembered());
        for (String nonce : used) {
            assertEquals(NonceCounts.Use.REPLAYED, small.recordUse(nonce, 1), "nothing was forgotten");
            assertEquals(NonceCounts.Use.NEW_COUNT, small.recordUse(nonce, 2), "known nonces still work when full");
        }
    }

    @Test
    void expiredNoncesAreEvictedAndNeverComeBack() {
        Nonces small = new Nonces(SECRET, Duration.ofSeconds(60), 3, clock);
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(small.issue(REALM));
            assertEquals(NonceCounts.Use.NEW_COUNT, small.recordUse(old.get(i), 1));
        }
        clock.advance(Duration.ofSeconds(61));
        String fresh = small.issue(REALM);
        assertEquals(NonceCounts.Use.NEW_COUNT, small.recordUse(fresh, 1), "expired entries made room");
        assertEquals(1, small.remembered());
        for (String nonce : old) {
            assertEquals(NonceCounts.Use.EXPIRED, small.recordUse(nonce, 1), "an evicted nonce is not new again");
        }
        assertEquals(1, small.remembered());
    }

    @Test
    void anEvictedNonceRecordedByASlowThreadIsRefused() {
        // A thread checked nonce A while valid, then stalled; meanwhile A expired and was evicted.
        NonceCounts counts = new NonceCounts(10);
        assertEquals(NonceCounts.Use.NEW_COUNT, counts.record("A", 1, 1_000, 0));
        assertEquals(NonceCounts.Use.NEW_COUNT, counts.record("B", 1, 5_000, 2_000)); // evicts A
        assertEquals(1, counts.size());
        // the stalled thread read its clock before A expired:
        assertEquals(NonceCounts.Use.EXPIRED, counts.record("A", 1, 1_000, 999));
        assertEquals(1, counts.size());
    }

    @Test
    void concurrentUsesOfOneNonceAcceptEachCountAtMostOnce() {
        String nonce = nonces.issue(REALM);
        int threads = 16;
        int counts = 2_000;
        AtomicIntegerArray accepted = new AtomicIntegerArray(counts + 1);
        runConcurrently(threads, t -> {
            for (int nc = 1; nc <= counts; nc++) {
                if (nonces.recordUse(nonce, nc) == NonceCounts.Use.NEW_COUNT) {
                    accepted.incrementAndGet(nc);
                }
            }
        });
        for (int nc = 1; nc <= counts; nc++) {
            assertTrue(accepted.get(nc) <= 1, "nc " + nc + " accepted " + accepted.get(nc) + " times");
        }
        assertEquals(1, accepted.get(counts), "the highest count is always accepted, once");
        assertEquals(NonceCounts.Use.REPLAYED, nonces.recordUse(nonce, counts));
    }

    @Test
    void concurrentFirstUsesOfManyNoncesAcceptEachExactlyOnce() {
        Nonces big = new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, 100_000, clock);
        int distinct = 20_000;
        String[] issued = new String[distinct];
        for (int i = 0; i < distinct; i++) {
            issued[i] = big.issue(REALM);
        }
        AtomicIntegerArray accepted = new AtomicIntegerArray(distinct);
        int threads = 8;
        runConcurrently(threads, t -> {
            for (int k = 0; k < distinct; k++) {
                int i = (k + t * 2_503) % distinct; // each thread starts elsewhere, then they collide
                if (big.recordUse(issued[i], 1) == NonceCounts.Use.NEW_COUNT) {
                    accepted.incrementAndGet(i);
                }
            }
        });
        for (int i = 0; i < distinct; i++) {
            assertEquals(1, accepted.get(i), "nonce " + i);
        }
        assertEquals(distinct, big.remembered());
    }

    @Test
    void theCapacityHoldsUnderConcurrency() {
        int capacity = 5_000;
        Nonces bounded = new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, capacity, clock);
        AtomicIntegerArray outcomes = new AtomicIntegerArray(NonceCounts.Use.values().length);
        runConcurrently(8, t -> {
            for (int k = 0; k < 2_000; k++) {
                outcomes.incrementAndGet(bounded.recordUse(bounded.issue(REALM), 1).ordinal());
            }
        });
        assertEquals(capacity, bounded.remembered());
        assertEquals(capacity, outcomes.get(NonceCounts.Use.NEW_COUNT.ordinal()));
        assertEquals(16_000 - capacity, outcomes.get(NonceCounts.Use.MEMORY_FULL.ordinal()));
    }

    @Test
    void evictionKeepsUpWhileTimeMovesUnderConcurrency() {
        Nonces rolling = new Nonces(SECRET, Duration.ofSeconds(1), 2_000, clock);
        AtomicIntegerArray outcomes = new AtomicIntegerArray(NonceCounts.Use.values().length);
        runConcurrently(8, t -> {
            for (int k = 0; k < 5_000; k++) {
                if (t == 0 && k % 100 == 0) {
                    clock.advance(Duration.ofMillis(250));
                }
                outcomes.incrementAndGet(rolling.recordUse(rolling.issue(REALM), 1).ordinal());
            }
        });
        assertTrue(rolling.remembered() <= 2_000, "bounded: " + rolling.remembered());
        assertTrue(outcomes.get(NonceCounts.Use.NEW_COUNT.ordinal()) > 2_000,
                "expired entries were evicted to make room: " + outcomes);
    }

    interface Worker {
        void run(int thread) throws Exception;
    }

    /** Runs {@code worker} on {@code threads} threads released together; fails after 30 s. */
    static void runConcurrently(int threads, Worker worker) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Void>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Callable<Void> task = () -> {
                        start.await();
                        worker.run(thread);
                        return null;
                    };
                    done.add(pool.submit(task));
                }
                start.countDown();
                for (Future<Void> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** Issue 20: a nonce of another node of the trunk (same key, its own run) is checked like one of ours once its run is known. */
    @Test
    void anotherNodesNonceIsValidOnceItsRunIsAccepted() {
        Nonces otherNode = new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, 1000, clock);
        String theirs = otherNode.issue(REALM);
        assertEquals(NonceValidity.STALE, nonces.check(theirs, REALM), "an unknown run: stale, as after a restart");
        nonces.acceptRun("not hex at all!!");
        nonces.acceptRun(nonces.runId());
        assertEquals(NonceValidity.STALE, nonces.check(theirs, REALM));
        nonces.acceptRun(otherNode.runId().toUpperCase());
        assertEquals(NonceValidity.VALID, nonces.check(theirs, REALM));
        clock.advance(Nonces.DEFAULT_LIFETIME.plusMillis(1));
        assertEquals(NonceValidity.STALE, nonces.check(theirs, REALM), "their nonces age like ours");
        Nonces otherKey = Nonces.withRandomSecret(clock);
        nonces.acceptRun(otherKey.runId());
        assertEquals(NonceValidity.INVALID, nonces.check(otherKey.issue(REALM), REALM), "a known run does not make a foreign key's MAC good");
    }

    /** Issue 20: a node that started with its own key takes the shared one; its earlier nonces are stale, not forged. */
    @Test
    void afterARekeyTheOldKeysNoncesAreStaleAndTheNewKeysValid() {
        String before = nonces.issue(REALM);
        byte[] shared = Nonces.randomSecret();
        nonces.rekey(shared);
        nonces.rekey(shared); // the same key again changes nothing
        assertEquals(NonceValidity.STALE, nonces.check(before, REALM));
        Nonces otherNode = new Nonces(shared, Nonces.DEFAULT_LIFETIME, 1000, clock);
        nonces.acceptRun(otherNode.runId());
        assertEquals(NonceValidity.VALID, nonces.check(otherNode.issue(REALM), REALM));
        assertEquals(NonceValidity.VALID, nonces.check(nonces.issue(REALM), REALM));
        assertEquals(NonceValidity.INVALID, nonces.check(Nonces.withRandomSecret(clock).issue(REALM), REALM));
    }

    /** Issue 20: on a node of several, a nonce under a key this node does not hold (yet) is stale, not forged. */
    @Test
    void onANodeOfSeveralAnUnknownKeysNonceIsStaleNotForged() {
        String foreign = Nonces.withRandomSecret(clock).issue(REALM);
        assertEquals(NonceValidity.INVALID, nonces.check(foreign, REALM));
        nonces.otherKeysStale();
        assertEquals(NonceValidity.STALE, nonces.check(foreign, REALM));
        assertEquals(NonceValidity.INVALID, nonces.check("x".repeat(Nonces.ENCODED_LENGTH), REALM), "garbage stays invalid");
        assertEquals(32, nonces.keyToShare().length);
    }
}
