package org.opentrunk.media;

import java.io.IOException;
import java.util.BitSet;
import java.util.Objects;

/**
 * Hands out RTP/RTCP port pairs from a {@link PortRange} and takes them back; thread-safe.
 *
 * <p>Pairs are handed out round robin rather than lowest first, so that a pair just released is
 * the last to be used again: late packets of an ended call then find a closed port instead of
 * latching onto the next call. A pair that another process holds fails to bind; the allocator
 * leaves it free (it may be free later) and tries the next one. The number in use never exceeds
 * {@link PortRange#pairs()}.
 */
public final class PortAllocator {

    /** Binds the sockets of one pair; an {@link IOException} means "taken, try the next pair". */
    @FunctionalInterface
    public interface PairBinder<T> {
        T bind(int rtpPort) throws IOException;
    }

    private final PortRange range;
    private final BitSet inUse;
    private int next;
    private int inUseCount;

    public PortAllocator(PortRange range) {
        this.range = Objects.requireNonNull(range, "range");
        this.inUse = new BitSet(range.pairs());
    }

    public PortRange range() {
        return range;
    }

    /**
     * Takes the next free pair for which {@code binder} succeeds and returns what it bound.
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
                giveBack(index);
            }
        }
        throw new NoFreePortsException(range, inUse());
    }

    /** Marks the next free pair in use, from the round-robin position; -1 when none is free. */
    private synchronized int take() {
        if (inUseCount == range.pairs()) {
            return -1;
        }
        int index = inUse.nextClearBit(next);
        if (index >= range.pairs()) {
            index = inUse.nextClearBit(0);
        }
        inUse.set(index);
        inUseCount++;
        next = index + 1 == range.pairs() ? 0 : index + 1;
        return index;
    }

    private synchronized void giveBack(int index) {
        if (inUse.get(index)) {
            inUse.clear(index);
            inUseCount--;
        }
    }

    /**
     * Returns the pair whose RTP port is {@code rtpPort}; returning a pair twice, or one that was
     * never handed out, does nothing.
     */
    public void release(int rtpPort) {
        int offset = rtpPort - range.firstRtpPort();
        if (offset >= 0 && (offset & 1) == 0 && offset / 2 < range.pairs()) {
            giveBack(offset / 2);
        }
    }

    /** How many pairs are handed out. */
    public synchronized int inUse() {
        return inUseCount;
    }

    /** How many pairs are free (some may turn out to be bound by another process). */
    public synchronized int available() {
        return range.pairs() - inUseCount;
    }
}
