package org.opentrunk.core.auth.digest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The replay memory: the highest nonce count accepted per nonce, for the nonces that are still
 * within their lifetime. It sits on the call path of every authenticated request, so a known
 * nonce costs one lock-free map read and a compare-and-set.
 *
 * <p>Caffeine holds the entries and drops each one when its nonce expires (an {@link Expiry} per
 * entry, kept in a timer wheel): entries leave in expiry order, on time, whatever order they
 * arrived in. Its upkeep runs on the calling threads, a little after each write. Caffeine's own
 * size bound is not used: it would forget a live nonce to make room, and forgetting reopens a
 * replay window. The capacity is counted here instead, exactly: when the memory is full of live
 * nonces (after expired ones have been dropped) a new one is refused ({@link Use#MEMORY_FULL});
 * refusing only turns away calls beyond the configured capacity.
 *
 * <p>Caffeine's clock is the latest time any caller has passed in ({@link #latestNow}). It also
 * keeps an expired nonce from coming back as new: Caffeine drops only entries whose nonce expired
 * before {@link #latestNow}, and a nonce that expired before it is refused as {@link Use#EXPIRED},
 * checked again after insertion, even if a slow thread checked it while it was still valid (its
 * own clock reading is older).
 */
final class NonceCounts {

    /** What recording one use of a nonce found. */
    enum Use {
        /** The nc is higher than any accepted before for this nonce: accept the request. */
        NEW_COUNT,
        /** The nc was already used, or a higher one was: a replay (or a reordered request). */
        REPLAYED,
        /** The nonce expired while the request was being checked. */
        EXPIRED,
        /** The memory is full of nonces still alive: refuse, do not forget one. */
        MEMORY_FULL
    }

    private static final class Seen {
        private static final AtomicLongFieldUpdater<Seen> HIGHEST =
                AtomicLongFieldUpdater.newUpdater(Seen.class, "highest");

        final long expiresAtMillis;
        private volatile long highest;

        Seen(long expiresAtMillis, long nc) {
            this.expiresAtMillis = expiresAtMillis;
            this.highest = nc;
        }

        /** Raises the highest nc to {@code nc}; false when it is not higher. */
        boolean advanceTo(long nc) {
            for (long seen = highest; nc > seen; seen = highest) {
                if (HIGHEST.compareAndSet(this, seen, nc)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * An entry lives until just after its nonce's expiry: Caffeine drops it once the clock has
     * passed {@code expiresAtMillis}, as a nonce is valid up to and including that millisecond.
     */
    private static final Expiry<String, Seen> UNTIL_THE_NONCE_EXPIRES = new Expiry<>() {
        @Override
        public long expireAfterCreate(String nonce, Seen seen, long currentTime) {
            return Math.max(0, TimeUnit.MILLISECONDS.toNanos(seen.expiresAtMillis + 1) - currentTime);
        }

        @Override
        public long expireAfterUpdate(String nonce, Seen seen, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String nonce, Seen seen, long currentTime, long currentDuration) {
            return currentDuration;
        }
    };

    private final int capacity;
    /** Entries in {@link #byNonce} plus places reserved for insertions under way; never above capacity. */
    private final AtomicInteger size = new AtomicInteger();
    /** The latest time, in epoch milliseconds, any caller has passed in: Caffeine's clock. */
    private final AtomicLong latestNow = new AtomicLong(0);
    private final Cache<String, Seen> cache;
    private final ConcurrentMap<String, Seen> byNonce;

    NonceCounts(int capacity) {
        this.capacity = capacity;
        this.cache = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(latestNow.get()))
                .executor(Runnable::run)
                .expireAfter(UNTIL_THE_NONCE_EXPIRES)
                // Run inside the removal: the count goes down with the entry, never before it.
                .evictionListener((String nonce, Seen seen, RemovalCause cause) -> size.decrementAndGet())
                .build();
        this.byNonce = cache.asMap();
    }

    Use record(String nonce, long nc, long expiresAtMillis, long nowMillis) {
        long now = latestNow.accumulateAndGet(nowMillis, Math::max);
        Seen seen = byNonce.get(nonce);
        if (seen != null) {
            return seen.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        if (expiresAtMillis < nowMillis || expiresAtMillis < now) {
            return Use.EXPIRED; // possibly remembered once and dropped: never new again
        }
        if (!reservePlace()) {
            cache.cleanUp(); // drops the expired entries, making room if there is any to make
            if (!reservePlace()) {
                return Use.MEMORY_FULL;
            }
        }
        Seen fresh = new Seen(expiresAtMillis, nc);
        Seen raced = byNonce.putIfAbsent(nonce, fresh);
        if (raced != null) {
            size.decrementAndGet();
            return raced.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        // Caffeine drops an entry only after the clock passed its expiry, and the clock is raised
        // before that: if this nonce's earlier entry was dropped before our putIfAbsent, we see it.
        if (expiresAtMillis < latestNow.get()) {
            if (byNonce.remove(nonce, fresh)) {
                size.decrementAndGet();
            }
            return Use.EXPIRED;
        }
        return Use.NEW_COUNT;
    }

    /** Nonces remembered now, expired ones dropped first. */
    int size() {
        cache.cleanUp();
        return size.get();
    }

    private boolean reservePlace() {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        return true;
    }
}
