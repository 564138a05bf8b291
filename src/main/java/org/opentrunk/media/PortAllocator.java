package org.opentrunk.media;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Hands out RTP/RTCP port pairs from a {@link PortRange} and takes them back; thread-safe.
 *
 * <p>Pairs are chosen at random among the free ones (issue 25, RTP bleed): with pairs handed out
 * in order, an attacker who saw one call's port knew where the next calls would be, and a spray
 * of the range found them quickly. A released pair is quarantined (up to
 * {@link #MAX_QUARANTINED_PAIRS}, at most a quarter of the range) and used again only after newer
 * releases have pushed it out, or when nothing else is free: late packets of an ended call then
 * find a closed port instead of the next call. A pair that another process holds fails to bind;
 * the allocator leaves it free (it may be free later) and tries another one. The number in use
 * never exceeds {@link PortRange#pairs()}.
 */
public final class PortAllocator {

    /** Most released pairs kept out of use at once; a quarter of the range when that is smaller. */
    public static final int MAX_QUARANTINED_PAIRS = 256;

    /** Binds the sockets of one pair; an {@link IOException} means "taken, try the next pair". */
    @FunctionalInterface
    public interface PairBinder<T> {
        T bind(int rtpPort) throws IOException;
    }

    private final PortRange range;
    private final RandomGenerator random;
    private final int quarantineLimit;
    /** Handed out or quarantined: not to be chosen while others are free. */
    private final BitSet unavailable;
    private final ArrayDeque<Integer> quarantine = new ArrayDeque<>();
    private int inUseCount;

    /** An allocator choosing with a {@link SecureRandom}: the choice must not be predictable. */
    public PortAllocator(PortRange range) {
        this(range, new SecureRandom());
    }

    /** An allocator choosing with {@code random} (tests). */
    PortAllocator(PortRange range, RandomGenerator random) {
        this.range = Objects.requireNonNull(range, "range");
        this.random = Objects.requireNonNull(random, "random");
        this.unavailable = new BitSet(range.pairs());
        this.quarantineLimit = Math.min(MAX_QUARANTINED_PAIRS, range.pairs() / 4);
    }

    public PortRange range() {
        return range;
    }

    /**
     * Takes a random free pair for which {@code binder} succeeds and returns what it bound.
     *
     * @throws NoFreePortsException when every free pair failed to bind, or none is free
     */
    public <T> T allocate(PairBinder<T> binder) throws NoFreePortsException {
        int pairs = range.pairs();
        for (int tried = 0; tried < pairs; tried++) {
            int index = take();
            if (index < 0) {
                break;
            }
            try {
                return binder.bind(range.firstRtpPort() + 2 * index);
            } catch (IOException taken) {
                giveBack(index, false);
            }
        }
        throw new NoFreePortsException(range, inUse());
    }

    /** Marks a random free pair in use, else the longest-quarantined one; -1 when none is left. */
    private synchronized int take() {
        int free = range.pairs() - inUseCount - quarantine.size();
        int index;
        if (free > 0) {
            // the n-th available pair, n uniform: no part of the range is favoured
            int n = random.nextInt(free);
            index = unavailable.nextClearBit(0);
            for (int i = 0; i < n; i++) {
                index = unavailable.nextClearBit(index + 1);
            }
        } else if (!quarantine.isEmpty()) {
            index = quarantine.removeFirst();
        } else {
            return -1;
        }
        unavailable.set(index);
        inUseCount++;
        return index;
    }

    private synchronized void giveBack(int index, boolean quarantined) {
        if (!unavailable.get(index) || quarantine.contains(index)) {
            return; // never handed out, or returned already
        }
        inUseCount--;
        if (quarantined && quarantineLimit > 0) {
            quarantine.addLast(index);
            if (quarantine.size() > quarantineLimit) {
                unavailable.clear(quarantine.removeFirst());
            }
        } else {
            unavailable.clear(index);
        }
    }

    /**
     * Returns the pair whose RTP port is {@code rtpPort}; returning a pair twice, or one that was
     * never handed out, does nothing.
     */
    public void release(int rtpPort) {
        int offset = rtpPort - range.firstRtpPort();
        if (offset >= 0 && (offset & 1) == 0 && offset / 2 < range.pairs()) {
            giveBack(offset / 2, true);
        }
    }

    /** How many pairs are handed out. */
    public synchronized int inUse() {
        return inUseCount;
    }

    /** How many pairs are free, quarantined ones included (some may turn out to be bound by another process). */
    public synchronized int available() {
        return range.pairs() - inUseCount;
    }
}
