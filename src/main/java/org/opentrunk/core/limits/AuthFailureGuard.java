package org.opentrunk.core.limits;

import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection (IC-DIGEST, IC-IPAUTH): after {@code maxFailures} failed authentications
 * from one source address within {@code window}, that address is blocked for {@code blockFor};
 * its requests are refused without checking credentials until the block ends or an operator
 * lifts it.
 *
 * <p>A failure is a request whose credentials were checked and were wrong (unknown user, wrong
 * password), or an INVITE from a customer's address with a wrong or missing tech prefix (which of
 * those count is {@link TechPrefixMisses}'s decision). The first request without credentials, answered with a challenge, is not one, nor
 * is a stale nonce: a healthy PBX meets both all the time.
 *
 * <p>A successful authentication does not reset the count. Behind one NAT address there may be
 * a working PBX and a guessing attacker, and the PBX's regular successes would otherwise reset
 * the attacker's count forever. Failures simply age out of the window, so a PBX that mistyped
 * once is not affected, while one address that keeps failing is blocked whatever else it does.
 *
 * <p>Blocking by source address can be turned against a victim whose address an attacker can
 * spoof (UDP); the block is temporary for that reason, and the caller may exempt addresses it
 * trusts (customers' registered IP addresses) before asking.
 *
 * <p>Memory is bounded under a spray of random addresses: at most {@value #MAX_TRACKED_ADDRESSES}
 * addresses are counted (the one that failed longest ago makes room) and at most
 * {@value #MAX_BLOCKS} blocks are held (the one ending soonest makes room). Counters never push
 * out blocks. Thread-safe: {@link #isBlocked} reads without a lock; failures take one short lock.
 */
public final class AuthFailureGuard {

    /** Ten wrong passwords in a minute is not a person mistyping. */
    public static final int DEFAULT_MAX_FAILURES = 10;

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    /** Long enough to make guessing pointless, short enough that a spoofed block heals by itself. */
    public static final Duration DEFAULT_BLOCK = Duration.ofMinutes(10);

    /** Addresses whose recent failures are counted: a few megabytes at most with the default limits. */
    public static final int MAX_TRACKED_ADDRESSES = 10_000;

    /** Blocked addresses held at once. */
    public static final int MAX_BLOCKS = 10_000;

    /**
     * A blocked address, as the API shows it.
     *
     * @param failures the failures within the window that tripped the block
     */
    public record Block(String address, long blockedAtMs, long untilMs, int failures) {
    }

    /** The times of an address's last failures, oldest overwritten first. */
    private static final class RecentFailures {
        private final long[] times;
        private int count;
        private int next;

        RecentFailures(int capacity) {
            times = new long[capacity];
        }

        /** Records a failure; true when the last {@code capacity} failures all fall within {@code windowMs}. */
        boolean add(long nowMs, long windowMs) {
            times[next] = nowMs;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
            long oldest = times[count == times.length ? next : 0];
            return count == times.length && nowMs - oldest < windowMs;
        }
    }

    /** Failures counted since start ({@link #recordFailure} calls that were not from a blocked address). */
    private final java.util.concurrent.atomic.LongAdder failuresCounted = new java.util.concurrent.atomic.LongAdder();
    /** Blocks imposed since start. */
    private final java.util.concurrent.atomic.LongAdder blocksImposed = new java.util.concurrent.atomic.LongAdder();
    private final int maxFailures;
    private final long windowMs;
    private final long blockMs;
    /** The blocks, for {@link #isBlocked} to read without a lock. */
    private final Map<String, Block> blocks = new ConcurrentHashMap<>();
    /**
     * The same blocks, oldest first; guarded by {@link #counters}. All blocks last as long, so the
     * oldest is the one ending soonest: making room is O(1). May still hold blocks that ended.
     */
    private final LinkedHashMap<String, Block> blocksInOrder = new LinkedHashMap<>();
    /** Least recently failed first; guarded by itself. */
    private final LinkedHashMap<String, RecentFailures> counters = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RecentFailures> eldest) {
            return size() > MAX_TRACKED_ADDRESSES;
        }
    };

    /**
     * Told of blocks this guard imposes and of blocks an operator lifts, so that other nodes can
     * apply them (issue 20). Called outside any lock of the guard; must not block.
     */
    public interface Listener {
        void blocked(Block block, long nowMs);

        void unblocked(String address);
    }

    private static final Listener NOBODY = new Listener() {
        @Override
        public void blocked(Block block, long nowMs) {
        }

        @Override
        public void unblocked(String address) {
        }
    };

    private volatile Listener listener = NOBODY;

    /** Who hears of blocks imposed and lifted here (one; the composition root sets it). */
    public void listener(Listener listener) {
        this.listener = listener == null ? NOBODY : listener;
    }

    /**
     * A block another node imposed: in force here for {@code remainingMs} from {@code nowMs}
     * (each node's own steady clock), unless one already ends later. Not counted as imposed here,
     * and not told to the listener.
     */
    public void adopt(String address, long nowMs, long remainingMs, int failures) {
        Objects.requireNonNull(address, "address");
        if (remainingMs <= 0) {
            return;
        }
        synchronized (counters) {
            Block current = blocks.get(address);
            if (current != null && current.untilMs() >= nowMs + remainingMs) {
                return;
            }
            counters.remove(address);
            makeRoomForABlock(nowMs);
            Block block = new Block(address, nowMs, nowMs + remainingMs, failures);
            blocksInOrder.remove(address);
            blocksInOrder.put(address, block);
            blocks.put(address, block);
        }
    }

    /** Lifts a block another node's operator lifted; not told to the listener. */
    public boolean forget(String address) {
        synchronized (counters) {
            counters.remove(address);
            blocksInOrder.remove(address);
            return blocks.remove(address) != null;
        }
    }

    /** With {@link #DEFAULT_MAX_FAILURES}, {@link #DEFAULT_WINDOW} and {@link #DEFAULT_BLOCK}. */
    public AuthFailureGuard() {
        this(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_BLOCK);
    }

    /**
     * @param maxFailures failures within {@code window} that block an address, at least 1
     * @param window      how far back failures count, positive
     * @param blockFor    how long a block lasts, positive
     */
    public AuthFailureGuard(int maxFailures, Duration window, Duration blockFor) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
        }
        if (window.isNegative() || window.isZero() || blockFor.isNegative() || blockFor.isZero()) {
            throw new IllegalArgumentException("window and block must be positive, got " + window + " and " + blockFor);
        }
        this.maxFailures = maxFailures;
        this.windowMs = window.toMillis();
        this.blockMs = blockFor.toMillis();
    }

    /** True while {@code address} is blocked: refuse its request without checking credentials. */
    public boolean isBlocked(String address, long nowMs) {
        Block block = blocks.get(address);
        if (block == null) {
            return false;
        }
        if (nowMs < block.untilMs()) {
            return true;
        }
        blocks.remove(address, block);
        return false;
    }

    /**
     * Counts a failed authentication from {@code address}.
     *
     * @return true when this failure blocked the address: log it then, once (a failure from an
     *         address already blocked is not counted and returns false)
     */
    public boolean recordFailure(String address, long nowMs) {
        Objects.requireNonNull(address, "address");
        if (isBlocked(address, nowMs)) {
            return false;
        }
        Block imposed;
        synchronized (counters) {
            Block current = blocks.get(address);
            if (current != null && nowMs < current.untilMs()) {
                return false; // blocked by another thread since the check above
            }
            failuresCounted.increment();
            RecentFailures recent = counters.computeIfAbsent(address, a -> new RecentFailures(maxFailures));
            if (!recent.add(nowMs, windowMs)) {
                return false;
            }
            counters.remove(address); // a fresh count after the block
            makeRoomForABlock(nowMs);
            Block block = new Block(address, nowMs, nowMs + blockMs, maxFailures);
            blocksInOrder.remove(address); // an ended block, still listed
            blocksInOrder.put(address, block);
            blocks.put(address, block);
            blocksImposed.increment();
            imposed = block;
        }
        listener.blocked(imposed, nowMs);
        return true;
    }

    /** Failed authentications counted since start (those from an address already blocked are not). */
    public long failuresCounted() {
        return failuresCounted.sum();
    }

    /** Blocks imposed since start, lifted and ended ones included. */
    public long blocksImposed() {
        return blocksImposed.sum();
    }

    /** The blocks in force, soonest ending first. */
    public List<Block> blocks(long nowMs) {
        return blocks.values().stream()
                .filter(block -> nowMs < block.untilMs())
                .sorted(Comparator.comparingLong(Block::untilMs))
                .toList();
    }

    /** Lifts the block on {@code address} and forgets its failures; false if it was not blocked. */
    public boolean unblock(String address) {
        boolean lifted = forget(address);
        if (lifted) {
            listener.unblocked(address);
        }
        return lifted;
    }

    /** How many addresses have failures being counted (for monitoring and tests). */
    public int trackedAddresses() {
        synchronized (counters) {
            return counters.size();
        }
    }

    /** How many blocks are held, ended ones not yet dropped included (for monitoring and tests). */
    public int heldBlocks() {
        synchronized (counters) {
            return blocksInOrder.size();
        }
    }

    public int maxFailures() {
        return maxFailures;
    }

    /** How long a block lasts, in seconds. */
    public long blockSeconds() {
        return blockMs / 1000;
    }

    /** Drops ended blocks from the front, then, when still full, the oldest block in force. Holds the lock. */
    private void makeRoomForABlock(long nowMs) {
        Iterator<Block> oldestFirst = blocksInOrder.values().iterator();
        while (oldestFirst.hasNext()) {
            Block oldest = oldestFirst.next();
            boolean ended = nowMs >= oldest.untilMs();
            if (!ended && blocksInOrder.size() < MAX_BLOCKS) {
                return;
            }
            oldestFirst.remove();
            blocks.remove(oldest.address(), oldest);
        }
    }
}
