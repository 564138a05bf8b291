package org.opentrunk.core.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent calls per customer (maxChannels). Admission is a compare-and-set on the customer's
 * counter, so 100 INVITEs arriving together admit exactly as many as the limit allows; O(1), no
 * lock. Every admitted call must release its channel exactly once, however it ends.
 */
public final class ChannelCounter {

    private final Map<Long, AtomicInteger> inUse = new ConcurrentHashMap<>();

    /** Takes a channel if fewer than {@code max} are in use. */
    public boolean tryAcquire(long customerId, int max) {
        AtomicInteger count = inUse.computeIfAbsent(customerId, id -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= max) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release(long customerId) {
        AtomicInteger count = inUse.get(customerId);
        if (count != null) {
            count.updateAndGet(c -> Math.max(0, c - 1));
        }
    }

    public int inUse(long customerId) {
        AtomicInteger count = inUse.get(customerId);
        return count == null ? 0 : count.get();
    }
}
