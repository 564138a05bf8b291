package org.opentrunk.core.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Overload protection in front of everything else an INVITE costs (authentication, routing, a
 * second leg): at most {@code maxInProgress} INVITEs being set up at once (received, not yet
 * answered or failed), and at most {@code perSourcePerSecond} new ones per second from one source
 * address, as a token bucket that allows a burst of {@code perSourceBurst}. A refusal says why and
 * how long to wait, for a 503 with Retry-After: a flooding host is slowed, the trunk keeps room for
 * everyone else.
 *
 * <p>Memory is bounded under a spray of random addresses: buckets of at most
 * {@value #MAX_TRACKED_SOURCES} addresses are kept, the one heard from longest ago making room
 * (a returning address starts with a full bucket, as a new one would). Thread-safe: the
 * in-progress count is a compare-and-set; the buckets share one lock held for a few arithmetic
 * steps.
 */
public final class AdmissionGuard {

    /**
     * Calls being set up include calls ringing for up to a minute or two; a thousand covers a
     * busy trunk and keeps the state of a flood within a few megabytes.
     */
    public static final int DEFAULT_MAX_IN_PROGRESS = 1_000;

    /** Far above a PBX's contracted call rate, far below what a flooding host sends. */
    public static final int DEFAULT_PER_SOURCE_PER_SECOND = 50;

    /** A PBX coming back after an outage may fire its queued calls at once. */
    public static final int DEFAULT_PER_SOURCE_BURST = 100;

    /** Source addresses whose buckets are kept. */
    public static final int MAX_TRACKED_SOURCES = 10_000;

    /** Retry-After when the trunk is full: calls in setup take seconds to clear. */
    public static final int OVERLOADED_RETRY_AFTER_SECONDS = 5;

    /** Retry-After when one source is too fast: its bucket refills within a second. */
    public static final int SOURCE_RATE_RETRY_AFTER_SECONDS = 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final int maxInProgress;
    private final int perSourcePerSecond;
    private final int perSourceBurst;
    private final AtomicInteger inProgress = new AtomicInteger();
    /** Least recently heard from first; guarded by itself. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_TRACKED_SOURCES;
        }
    };

    /** With the defaults. */
    public AdmissionGuard() {
        this(DEFAULT_MAX_IN_PROGRESS, DEFAULT_PER_SOURCE_PER_SECOND, DEFAULT_PER_SOURCE_BURST);
    }

    /**
     * @param maxInProgress      INVITEs being set up at once, at least 1
     * @param perSourcePerSecond new INVITEs per second from one address; 0 turns the per-source limit off
     * @param perSourceBurst     how many may come at once from one address, at least 1 (when the limit is on)
     */
    public AdmissionGuard(int maxInProgress, int perSourcePerSecond, int perSourceBurst) {
        if (maxInProgress < 1) {
            throw new IllegalArgumentException("maxInProgress must be at least 1, got " + maxInProgress);
        }
        if (perSourcePerSecond < 0 || (perSourcePerSecond > 0 && perSourceBurst < 1)) {
            throw new IllegalArgumentException("per-source rate must be 0 (off) or positive with a burst of"
                    + " at least 1, got " + perSourcePerSecond + "/s, burst " + perSourceBurst);
        }
        this.maxInProgress = maxInProgress;
        this.perSourcePerSecond = perSourcePerSecond;
        this.perSourceBurst = perSourceBurst;
    }

    /**
     * Decides about a new INVITE from {@code sourceAddress}: first its address's rate, then the
     * trunk's room.
     *
     * @param nowNanos a monotonic clock ({@link System#nanoTime()})
     */
    public Admission tryAdmit(String sourceAddress, long nowNanos) {
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        if (perSourcePerSecond > 0 && !takeToken(sourceAddress, nowNanos)) {
            return new Admission.Refused(Admission.Reason.SOURCE_RATE, SOURCE_RATE_RETRY_AFTER_SECONDS);
        }
        return tryTakePlace();
    }

    /**
     * Decides about a new INVITE by the trunk's room alone, for sources the caller exempts from
     * the per-source rate (a carrier's gateways, which bring many customers' calls).
     */
    public Admission tryAdmitExemptSource() {
        return tryTakePlace();
    }

    /** INVITEs admitted and not yet released. */
    public int inProgress() {
        return inProgress.get();
    }

    public int maxInProgress() {
        return maxInProgress;
    }

    /** How many source addresses have a bucket (for monitoring and tests). */
    public int trackedSources() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private Admission tryTakePlace() {
        while (true) {
            int current = inProgress.get();
            if (current >= maxInProgress) {
                return new Admission.Refused(Admission.Reason.OVERLOADED, OVERLOADED_RETRY_AFTER_SECONDS);
            }
            if (inProgress.compareAndSet(current, current + 1)) {
                return new Admission.Admitted(inProgress);
            }
        }
    }

    private boolean takeToken(String sourceAddress, long now) {
        synchronized (buckets) {
            Bucket bucket = buckets.get(sourceAddress);
            if (bucket == null) {
                bucket = new Bucket(perSourceBurst, now);
                buckets.put(sourceAddress, bucket);
            }
            long elapsed = Math.max(0, now - bucket.refilledAt);
            bucket.tokens = Math.min(perSourceBurst, bucket.tokens + elapsed * (double) perSourcePerSecond / NANOS_PER_SECOND);
            bucket.refilledAt = Math.max(bucket.refilledAt, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
