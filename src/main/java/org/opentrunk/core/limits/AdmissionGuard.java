package org.opentrunk.core.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;
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
 * <p>The per-source buckets are Bucket4j's (greedy refill, lock-free, exact refill arithmetic),
 * held in a Caffeine cache of at most {@value #MAX_TRACKED_SOURCES} addresses, so memory is
 * bounded under a spray of random addresses. Which address makes room is Caffeine's choice
 * (W-TinyLFU): addresses heard from often keep their buckets against a spray of one-off ones,
 * where the hand-written table dropped the one heard from longest ago. An address whose bucket was
 * dropped starts again with a full one, as a new address would. Thread-safe: the in-progress count
 * is a compare-and-set, a bucket is created at most once per address while it is held (Caffeine's
 * atomic get-or-create), and each token is one compare-and-set on that bucket; no lock is shared
 * by all sources any more. Only when an address's bucket is dropped while one of its requests is
 * taking a token can that address get a second, full bucket, i.e. up to one burst more, and only
 * when more than {@value #MAX_TRACKED_SOURCES} addresses are sending.
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

    private final int maxInProgress;
    private final int perSourcePerSecond;
    private final int perSourceBurst;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final CallerClock clock = new CallerClock();
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_SOURCES)
            .executor(Runnable::run)
            .build();

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
        buckets.cleanUp();
        return (int) buckets.estimatedSize();
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
        clock.advanceTo(now);
        return buckets.get(sourceAddress, address -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perSourceBurst).refillGreedy(perSourcePerSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(clock)
                .build())
                .tryConsume(1);
    }
}
