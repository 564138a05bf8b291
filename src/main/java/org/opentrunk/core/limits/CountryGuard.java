package org.opentrunk.core.limits;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The automatic toll-fraud guard: when a customer's calls to one country exceed a number per
 * minute, new calls from that customer to that country are refused until an operator clears the
 * suspension. A hijacked PBX pumping calls to premium numbers abroad is the typical case; the
 * suspension is per customer and country, so the customer's other traffic goes on. The sliding
 * window holds at most {@code limit + 1} timestamps per customer and country.
 */
public final class CountryGuard {

    public static final long WINDOW_MILLIS = 60_000;

    /** A tripped guard: visible to the operator until cleared. */
    public record Suspension(long customerId, int countryCode, long trippedAtMs, int limitPerMinute) {
    }

    private record Key(long customerId, int countryCode) {
    }

    private final int limitPerMinute;
    private final Map<Key, Deque<Long>> recent = new ConcurrentHashMap<>();
    private final Map<Key, Suspension> suspended = new ConcurrentHashMap<>();

    /** @param limitPerMinute calls per customer and country per minute; 0 turns the guard off */
    public CountryGuard(int limitPerMinute) {
        this.limitPerMinute = limitPerMinute;
    }

    /**
     * Counts a call attempt; returns the suspension that refuses it, if any (the call that
     * exceeds the limit trips the guard and is itself refused).
     */
    public Optional<Suspension> admit(long customerId, int countryCode, long nowMs) {
        if (limitPerMinute <= 0) {
            return Optional.empty();
        }
        Key key = new Key(customerId, countryCode);
        Suspension existing = suspended.get(key);
        if (existing != null) {
            return Optional.of(existing);
        }
        Deque<Long> times = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= nowMs - WINDOW_MILLIS) {
                times.pollFirst();
            }
            times.addLast(nowMs);
            if (times.size() <= limitPerMinute) {
                return Optional.empty();
            }
            times.clear();
        }
        Suspension tripped = new Suspension(customerId, countryCode, nowMs, limitPerMinute);
        return Optional.of(suspended.merge(key, tripped, (old, neu) -> old));
    }

    public List<Suspension> suspensions() {
        return List.copyOf(suspended.values());
    }

    /** Lifts a suspension; false if there was none. */
    public boolean clear(long customerId, int countryCode) {
        return suspended.remove(new Key(customerId, countryCode)) != null;
    }

    public int limitPerMinute() {
        return limitPerMinute;
    }
}
