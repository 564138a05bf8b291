package org.opentrunk.core.auth.digest;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The replay memory: the highest nonce count accepted per nonce, for the nonces that are still
 * within their lifetime. It sits on the call path of every authenticated request, so every
 * operation is O(1) (amortised for eviction) and lock-free except eviction, which one thread at a
 * time does and the others skip.
 *
 * <p>Entries leave in the order they arrived, once expired. That is close to expiry order because
 * a nonce is normally first answered moments after it was issued; an entry behind a later-expiring
 * one waits at most one lifetime longer. When the memory is full of live nonces a new one is
 * refused ({@link Use#MEMORY_FULL}) rather than an old one forgotten: forgetting would reopen a
 * replay window, refusing only turns away calls beyond the configured capacity.
 *
 * <p>An evicted nonce must never come back as new: {@link #evictedUpTo} records the latest expiry
 * evicted so far, and a nonce expiring no later than that is refused as {@link Use#EXPIRED} even if
 * a slow thread checked it while it was still valid.
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

        final String nonce;
        final long expiresAtMillis;
        private volatile long highest;

        Seen(String nonce, long expiresAtMillis, long nc) {
            this.nonce = nonce;
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

    private final int capacity;
    private final ConcurrentHashMap<String, Seen> byNonce = new ConcurrentHashMap<>();
    private final Queue<Seen> byArrival = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong evictedUpTo = new AtomicLong(Long.MIN_VALUE);
    private final ReentrantLock evicting = new ReentrantLock();

    NonceCounts(int capacity) {
        this.capacity = capacity;
    }

    Use record(String nonce, long nc, long expiresAtMillis, long nowMillis) {
        Seen seen = byNonce.get(nonce);
        if (seen != null) {
            return seen.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        if (expiresAtMillis < nowMillis) {
            return Use.EXPIRED;
        }
        evictExpired(nowMillis);
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return Use.MEMORY_FULL;
        }
        Seen fresh = new Seen(nonce, expiresAtMillis, nc);
        Seen raced = byNonce.putIfAbsent(nonce, fresh);
        if (raced != null) {
            size.decrementAndGet();
            return raced.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        // Eviction raises evictedUpTo before it removes an entry, so if this nonce's earlier
        // entry was evicted before our putIfAbsent, we see it here.
        if (expiresAtMillis <= evictedUpTo.get()) {
            if (byNonce.remove(nonce, fresh)) {
                size.decrementAndGet();
            }
            return Use.EXPIRED;
        }
        byArrival.add(fresh);
        return Use.NEW_COUNT;
    }

    int size() {
        return size.get();
    }

    private void evictExpired(long nowMillis) {
        if (!evicting.tryLock()) {
            return; // another thread is at it; the next insertion will catch up
        }
        try {
            Seen head;
            while ((head = byArrival.peek()) != null && head.expiresAtMillis < nowMillis) {
                long expiry = head.expiresAtMillis;
                evictedUpTo.accumulateAndGet(expiry, Math::max);
                byArrival.poll();
                if (byNonce.remove(head.nonce, head)) {
                    size.decrementAndGet();
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}
