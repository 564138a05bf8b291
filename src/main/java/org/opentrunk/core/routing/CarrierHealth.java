package org.opentrunk.core.routing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the OPTIONS probes know about each carrier. A carrier goes down after
 * {@link #FAILURES_TO_MARK_DOWN} failed probes in a row (a timeout, a transport error, 408 or a
 * 5xx) and comes back up on the first answered probe; until its first probe a carrier counts as
 * up. Down carriers are left out of outbound routing ({@link CarrierSelection}). Thread-safe: the
 * probes write, the call path and the API read.
 */
public final class CarrierHealth {

    /** One lost probe is a lost packet; two in a row is a carrier to route around. */
    public static final int FAILURES_TO_MARK_DOWN = 2;

    public enum State { UNKNOWN, UP, DOWN }

    /** @param lastSeenMs when the carrier last answered a probe, 0 if never */
    public record Status(State state, long lastSeenMs, int consecutiveFailures) {
    }

    private final Map<Long, Status> statuses = new ConcurrentHashMap<>();

    public void answered(long carrierId, long nowMs) {
        statuses.put(carrierId, new Status(State.UP, nowMs, 0));
    }

    public void failed(long carrierId) {
        statuses.compute(carrierId, (id, old) -> {
            int failures = (old == null ? 0 : old.consecutiveFailures()) + 1;
            long lastSeen = old == null ? 0 : old.lastSeenMs();
            State state = failures >= FAILURES_TO_MARK_DOWN ? State.DOWN : old == null ? State.UNKNOWN : old.state();
            return new Status(state, lastSeen, failures);
        });
    }

    public Status status(long carrierId) {
        return statuses.getOrDefault(carrierId, new Status(State.UNKNOWN, 0, 0));
    }

    public Set<Long> down() {
        return statuses.entrySet().stream().filter(e -> e.getValue().state() == State.DOWN)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** Probe answers worth "alive": any response except 408 and 5xx (a 404 still proves a live stack). */
    public static boolean isAlive(int status) {
        return status >= 100 && status < 500 && status != 408;
    }
}
