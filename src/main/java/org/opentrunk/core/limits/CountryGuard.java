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

    /** Told of suspensions tripped here and cleared by an operator, for the other nodes (issue 20); must not block. */
    public interface Listener {
        void suspended(Suspension suspension);

        void cleared(long customerId, int countryCode);
    }

    private static final Listener NOBODY = new Listener() {
        @Override
        public void suspended(Suspension suspension) {
        }

        @Override
        public void cleared(long customerId, int countryCode) {
        }
    };

    private volatile Listener listener = NOBODY;
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
        Suspension inForce = suspended.merge(key, tripped, (old, neu) -> old);
        if (inForce == tripped) {
            listener.suspended(tripped);
        }
        return Optional.of(inForce);
    }

    /** Who hears of suspensions tripped and cleared here (one; the composition root sets it). */
    public void listener(Listener listener) {
        this.listener = listener == null ? NOBODY : listener;
    }

    /** A suspension another node tripped (or stored before a restart): in force here too, not told to the listener. */
    public void adopt(Suspension suspension) {
        suspended.putIfAbsent(new Key(suspension.customerId(), suspension.countryCode()), suspension);
    }

    /** Clears a suspension another node's operator cleared; not told to the listener. */
    public boolean forget(long customerId, int countryCode) {
        return suspended.remove(new Key(customerId, countryCode)) != null;
    }

    public List<Suspension> suspensions() {
        return List.copyOf(suspended.values());
    }

    /** Lifts a suspension; false if there was none. */
    public boolean clear(long customerId, int countryCode) {
        boolean cleared = forget(customerId, countryCode);
        if (cleared) {
            listener.cleared(customerId, countryCode);
        }
        return cleared;
    }

    public int limitPerMinute() {
        return limitPerMinute;
    }
}
