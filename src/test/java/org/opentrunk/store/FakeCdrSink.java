package org.opentrunk.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.opentrunk.core.cdr.CallRecord;

/**
 * A database for the CDR writer's tests: stores each record id once, as the real sink must, and
 * remembers every delivery so that tests can tell "stored once" from "delivered once". It can
 * fail a number of times, fail on a condition, or block until released (or interrupted).
 */
final class FakeCdrSink implements CdrSink {

    private final Map<String, CallRecord> stored = new LinkedHashMap<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger blockedCalls = new AtomicInteger();
    private volatile BooleanSupplier failWhen = () -> false;
    private volatile CountDownLatch gate;

    /** The next {@code n} writes fail. */
    FakeCdrSink failNext(int n) {
        failuresLeft.set(n);
        return this;
    }

    /** Writes fail while {@code condition} holds. */
    FakeCdrSink failWhen(BooleanSupplier condition) {
        failWhen = condition;
        return this;
    }

    /** Writes wait until {@link #release()} (or until their thread is interrupted). */
    FakeCdrSink block() {
        gate = new CountDownLatch(1);
        return this;
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void write(List<CallRecord> records) throws Exception {
        calls.incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            blockedCalls.incrementAndGet();
            g.await();
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || failWhen.getAsBoolean()) {
            throw new SQLException("database unavailable (fake)");
        }
        synchronized (this) {
            Set<String> inBatch = new HashSet<>();
            for (CallRecord r : records) {
                if (!inBatch.add(r.recordId())) {
                    throw new AssertionError("record " + r.recordId() + " twice in one batch");
                }
            }
            batchSizes.add(records.size());
            for (CallRecord r : records) {
                deliveries.merge(r.recordId(), 1, Integer::sum);
                stored.putIfAbsent(r.recordId(), r);
            }
        }
    }

    synchronized List<CallRecord> stored() {
        return List.copyOf(stored.values());
    }

    synchronized int storedCount() {
        return stored.size();
    }

    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Record ids delivered more than once in a successful write. */
    synchronized Set<String> deliveredTwice() {
        Set<String> twice = new HashSet<>();
        deliveries.forEach((id, n) -> {
            if (n > 1) {
                twice.add(id);
            }
        });
        return twice;
    }

    int calls() {
        return calls.get();
    }

    int blockedCalls() {
        return blockedCalls.get();
    }
}
