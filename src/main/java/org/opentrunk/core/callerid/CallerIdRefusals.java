package org.opentrunk.core.callerid;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outbound calls refused because the customer may not present their caller number
 * (IC-CALLER-OWNER), per customer since start-up: a rising count is a misconfigured PBX or a
 * customer trying to present numbers that are not theirs, which an operator wants to see.
 * Bounded by the number of customers.
 */
public final class CallerIdRefusals {

    private final ConcurrentHashMap<Long, LongAdder> byCustomer = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    public void count(long customerId) {
        byCustomer.computeIfAbsent(customerId, id -> new LongAdder()).increment();
        total.increment();
    }

    public long of(long customerId) {
        LongAdder count = byCustomer.get(customerId);
        return count == null ? 0 : count.sum();
    }

    public long total() {
        return total.sum();
    }
}
