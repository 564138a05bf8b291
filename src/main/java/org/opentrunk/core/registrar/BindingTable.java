package org.opentrunk.core.registrar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every customer's bindings, in memory, for the call path to read without a database round trip.
 * Thread-safe: a customer's bindings change only inside {@link ConcurrentHashMap#compute} on its
 * entry, so two REGISTERs of one customer are decided one after the other, each against the
 * other's result, while different customers never wait for each other. The total is bounded by a
 * capacity that a flood of registrations cannot exceed.
 *
 * <p>There is deliberately no "apply this outcome" method: an outcome decided outside the
 * customer's entry could be stale by the time it is applied and silently undo a concurrent
 * REGISTER. {@link #register} decides and applies in one step.
 */
public final class BindingTable {

    /**
     * Default bound on all customers' bindings together: far above any deployment's phones at
     * {@link RegistrarLimits#DEFAULT_MAX_BINDINGS_PER_CUSTOMER} each, yet some tens of megabytes
     * at worst (a binding is well under 1 kB), so that no volume of REGISTERs can exhaust the heap.
     */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final Map<Long, List<Binding>> byCustomer = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    public BindingTable() {
        this(DEFAULT_CAPACITY);
    }

    /** A table holding at most {@code capacity} bindings. */
    public BindingTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Reads, decides and applies a REGISTER; never throws for any header text. */
    public RegisterOutcome register(RegisterHeaders headers, RegistrarLimits limits) {
        RegisterParseResult parsed = RegisterRequest.parse(headers);
        if (parsed instanceof RegisterParseResult.Malformed malformed) {
            return malformed.outcome();
        }
        return register(((RegisterParseResult.Parsed) parsed).request(), limits);
    }

    /**
     * Decides a REGISTER against the customer's bindings ({@link Registrar#decide}) and, when they
     * change, keeps the result, atomically. An {@link RegisterOutcome.Updated} returned here is in
     * force; its {@code current} list is what to persist and what the 200 OK lists. When the table
     * is full and the request would add bindings, the answer is
     * {@link RegisterProblem#REGISTRATIONS_FULL} and nothing changes.
     */
    public RegisterOutcome register(RegisterRequest request, RegistrarLimits limits) {
        RegisterOutcome[] outcome = new RegisterOutcome[1];
        byCustomer.compute(request.customerId(), (id, stored) -> {
            List<Binding> before = stored == null ? List.of() : stored;
            RegisterOutcome decided = Registrar.decide(request, before, limits);
            if (!(decided instanceof RegisterOutcome.Updated updated)) {
                outcome[0] = decided;
                return stored;
            }
            if (!resize(updated.current().size() - before.size())) {
                outcome[0] = new RegisterOutcome.Rejected(RegisterProblem.REGISTRATIONS_FULL,
                        "the registrar holds " + size.get() + " bindings, its capacity; customer " + id + " not updated");
                return stored;
            }
            outcome[0] = updated;
            return updated.current().isEmpty() ? null : updated.current();
        });
        return outcome[0];
    }

    /** The customer's unexpired bindings in registration order: where its inbound calls go. */
    public List<Binding> current(long customerId, long nowMs) {
        return byCustomer.getOrDefault(customerId, List.of()).stream().filter(b -> !b.isExpired(nowMs)).toList();
    }

    /** Everything held, customer by customer, including expired bindings not yet removed. */
    public List<Binding> all() {
        List<Binding> all = new ArrayList<>();
        byCustomer.values().forEach(all::addAll);
        return all;
    }

    /** How many bindings are held, expired ones not yet removed included. */
    public int size() {
        return size.get();
    }

    public int capacity() {
        return capacity;
    }

    /** Drops every binding expired at {@code nowMs} and returns them (to log, or to delete from storage). */
    public List<Binding> removeExpired(long nowMs) {
        List<Binding> removed = new ArrayList<>();
        for (Long customerId : byCustomer.keySet()) {
            byCustomer.computeIfPresent(customerId, (id, stored) -> {
                List<Binding> live = stored.stream().filter(b -> !b.isExpired(nowMs)).toList();
                if (live.size() == stored.size()) {
                    return stored;
                }
                stored.stream().filter(b -> b.isExpired(nowMs)).forEach(removed::add);
                resize(live.size() - stored.size());
                return live.isEmpty() ? null : live;
            });
        }
        return removed;
    }

    /**
     * The customer's bindings become exactly {@code current}, as another node stored them (issue
     * 20); bindings beyond the capacity are left out. Returns how many were left out.
     */
    public int replace(long customerId, Collection<Binding> current) {
        List<Binding> incoming = current.stream().filter(b -> b.customerId() == customerId).toList();
        int[] leftOut = new int[1];
        // One compute: a call looking the customer up meanwhile sees the old list or the new, never none.
        byCustomer.compute(customerId, (id, stored) -> {
            resize(-(stored == null ? 0 : stored.size()));
            List<Binding> kept = new ArrayList<>();
            for (Binding binding : incoming) {
                if (resize(1)) {
                    kept.add(binding);
                } else {
                    leftOut[0]++;
                }
            }
            return kept.isEmpty() ? null : List.copyOf(kept);
        });
        return leftOut[0];
    }

    /** Drops a customer's bindings, as when the operator deletes the customer; returns them. */
    public List<Binding> remove(long customerId) {
        List<Binding> removed = byCustomer.remove(customerId);
        if (removed == null) {
            return List.of();
        }
        resize(-removed.size());
        return removed;
    }

    /**
     * Adds stored bindings at startup. A binding whose contact matches one already held replaces
     * it; bindings beyond the capacity are left out. Neither expiry nor the per-customer limit is
     * checked: load what storage returns as unexpired (it was allowed when stored), and
     * {@link #removeExpired} sweeps the rest.
     *
     * @return how many bindings were left out for lack of capacity
     */
    public int load(Collection<Binding> bindings) {
        Map<Long, List<Binding>> grouped = new LinkedHashMap<>();
        bindings.forEach(b -> grouped.computeIfAbsent(b.customerId(), id -> new ArrayList<>()).add(b));
        int[] leftOut = new int[1];
        grouped.forEach((customerId, incoming) -> byCustomer.compute(customerId, (id, stored) -> {
            List<Binding> merged = new ArrayList<>(stored == null ? List.of() : stored);
            for (Binding binding : incoming) {
                int index = indexOfContact(merged, binding);
                if (index >= 0) {
                    merged.set(index, binding);
                } else if (resize(1)) {
                    merged.add(binding);
                } else {
                    leftOut[0]++;
                }
            }
            return merged.isEmpty() ? null : List.copyOf(merged);
        }));
        return leftOut[0];
    }

    private static int indexOfContact(List<Binding> bindings, Binding wanted) {
        for (int i = 0; i < bindings.size(); i++) {
            if (ContactUris.sameBinding(bindings.get(i).uri(), wanted.uri())) {
                return i;
            }
        }
        return -1;
    }

    /** Changes the count by {@code delta}; growth only while it stays within the capacity. */
    private boolean resize(int delta) {
        while (true) {
            int current = size.get();
            if (delta > 0 && current + delta > capacity) {
                return false;
            }
            if (size.compareAndSet(current, current + delta)) {
                return true;
            }
        }
    }
}
