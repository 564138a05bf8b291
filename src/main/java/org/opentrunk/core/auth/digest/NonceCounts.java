package org.opentrunk.core.auth.digest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Shares (issue 25, replay memory exhaustion): one authenticated PBX answering a fresh challenge
 * with thousands of REGISTERs a second would otherwise fill the whole memory, after which every
 * digest customer is refused. Each entry is counted against the customer (digest username) and
 * the source address that answered it, and neither may hold more than its share of the capacity
 * ({@link Use#SENDER_SHARE_FULL}); the sender that floods is refused, the others are not.
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
        MEMORY_FULL,
        /** The customer or the address already holds its share of the memory: refuse this sender only. */
        SENDER_SHARE_FULL
    }

    private static final class Seen {
        private static final AtomicLongFieldUpdater<Seen> HIGHEST =
                AtomicLongFieldUpdater.newUpdater(Seen.class, "highest");

        final long expiresAtMillis;
        /** Whose share the entry counts in; null when not counted per sender. */
        final String customer;
        final String address;
        private volatile long highest;

        Seen(long expiresAtMillis, long nc, String customer, String address) {
            this.expiresAtMillis = expiresAtMillis;
            this.customer = customer;
            this.address = address;
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
    private final int customerShare;
    private final int addressShare;
    /** Entries (and reservations) per customer and per address; a key leaves at zero. */
    private final ConcurrentMap<String, AtomicInteger> byCustomer = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    /** Entries in {@link #byNonce} plus places reserved for insertions under way; never above capacity. */
    private final AtomicInteger size = new AtomicInteger();
    /** The latest time, in epoch milliseconds, any caller has passed in: Caffeine's clock. */
    private final AtomicLong latestNow = new AtomicLong(0);
    private final Cache<String, Seen> cache;
    private final ConcurrentMap<String, Seen> byNonce;

    NonceCounts(int capacity) {
        this(capacity, capacity, capacity);
    }

    /**
     * @param customerShare most entries one customer may hold
     * @param addressShare  most entries one source address may hold
     */
    NonceCounts(int capacity, int customerShare, int addressShare) {
        if (customerShare < 1 || addressShare < 1) {
            throw new IllegalArgumentException("shares must be at least 1: " + customerShare + ", " + addressShare);
        }
        this.capacity = capacity;
        this.customerShare = customerShare;
        this.addressShare = addressShare;
        this.cache = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(latestNow.get()))
                .executor(Runnable::run)
                .expireAfter(UNTIL_THE_NONCE_EXPIRES)
                // Run inside the removal: the count goes down with the entry, never before it.
                .evictionListener((String nonce, Seen seen, RemovalCause cause) -> forget(seen))
                .build();
        this.byNonce = cache.asMap();
    }

    /** {@link #record(String, long, long, long, String, String)} for a use not counted per sender. */
    Use record(String nonce, long nc, long expiresAtMillis, long nowMillis) {
        return record(nonce, nc, expiresAtMillis, nowMillis, null, null);
    }

    /**
     * Records one correct answer to {@code nonce} with count {@code nc}.
     *
     * @param customer the digest username that answered, counted against its share; null: not counted
     * @param address  the source address it came from, counted against its share; null: not counted
     */
    Use record(String nonce, long nc, long expiresAtMillis, long nowMillis, String customer, String address) {
        long now = latestNow.accumulateAndGet(nowMillis, Math::max);
        Seen seen = byNonce.get(nonce);
        if (seen != null) {
            return seen.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        if (expiresAtMillis < nowMillis || expiresAtMillis < now) {
            return Use.EXPIRED; // possibly remembered once and dropped: never new again
        }
        if (!reserveShares(customer, address)) {
            cache.cleanUp(); // the sender's own expired entries may free its share
            if (!reserveShares(customer, address)) {
                return Use.SENDER_SHARE_FULL;
            }
        }
        if (!reservePlace()) {
            cache.cleanUp(); // drops the expired entries, making room if there is any to make
            if (!reservePlace()) {
                releaseShares(customer, address);
                return Use.MEMORY_FULL;
            }
        }
        Seen fresh = new Seen(expiresAtMillis, nc, customer, address);
        Seen raced = byNonce.putIfAbsent(nonce, fresh);
        if (raced != null) {
            forget(fresh);
            return raced.advanceTo(nc) ? Use.NEW_COUNT : Use.REPLAYED;
        }
        // Caffeine drops an entry only after the clock passed its expiry, and the clock is raised
        // before that: if this nonce's earlier entry was dropped before our putIfAbsent, we see it.
        if (expiresAtMillis < latestNow.get()) {
            if (byNonce.remove(nonce, fresh)) {
                forget(fresh);
            }
            return Use.EXPIRED;
        }
        return Use.NEW_COUNT;
    }

    /** Entries {@code customer} holds now (reservations included). */
    int heldByCustomer(String customer) {
        AtomicInteger count = byCustomer.get(customer);
        return count == null ? 0 : count.get();
    }

    /** Entries {@code address} holds now (reservations included). */
    int heldByAddress(String address) {
        AtomicInteger count = byAddress.get(address);
        return count == null ? 0 : count.get();
    }

    /** Distinct customers and addresses counted now: bounded by the entries, never by what was sent. */
    int sendersTracked() {
        return byCustomer.size() + byAddress.size();
    }

    /** An entry left the memory (or never entered it): its place and its shares are free again. */
    private void forget(Seen seen) {
        size.decrementAndGet();
        releaseShares(seen.customer, seen.address);
    }

    private boolean reserveShares(String customer, String address) {
        if (!reserve(byCustomer, customer, customerShare)) {
            return false;
        }
        if (!reserve(byAddress, address, addressShare)) {
            release(byCustomer, customer);
            return false;
        }
        return true;
    }

    private void releaseShares(String customer, String address) {
        release(byCustomer, customer);
        release(byAddress, address);
    }

    /** One more for {@code key} unless it holds {@code share}; a null key is not counted. */
    private static boolean reserve(ConcurrentMap<String, AtomicInteger> counts, String key, int share) {
        if (key == null) {
            return true;
        }
        boolean[] reserved = {false};
        counts.compute(key, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < share) {
                c.incrementAndGet();
                reserved[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return reserved[0];
    }

    private static void release(ConcurrentMap<String, AtomicInteger> counts, String key) {
        if (key != null) {
            counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() == 0 ? null : count);
        }
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
