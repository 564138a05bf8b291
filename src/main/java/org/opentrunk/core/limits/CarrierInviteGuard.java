package org.opentrunk.core.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.opentrunk.core.config.CarrierInboundPolicy;

/**
 * Applies a carrier's {@link CarrierInboundPolicy} to the INVITEs from its address (issue 25,
 * spoofed carrier INVITEs) and counts what it turned away, per carrier: INVITEs over a transport
 * the carrier may not use, INVITEs over its rate, and INVITEs to numbers not on this trunk that
 * are summarised instead of leaving a CDR each.
 *
 * <p>The summary is a log line per carrier at most once per {@link #SUMMARY_INTERVAL}: the first
 * unknown number after the interval gets the line, with the count since the previous one (no
 * timer: a carrier that stops sending has its last count in the metric, not in the log). Memory:
 * one entry per carrier that sent (carriers are provisioned, so few). Thread-safe, lock-free.
 */
public final class CarrierInviteGuard {

    /** How often a carrier's unknown numbers are written to the log at most. */
    public static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

    /** What the guard decided about an INVITE from a carrier. */
    public enum Decision {
        /** Go on with the call path. */
        ACCEPTED,
        /** It came over UDP from a carrier that sends over TCP or TLS only: 403. */
        WRONG_TRANSPORT,
        /** Over the carrier's INVITE rate: 503 with Retry-After. */
        OVER_RATE
    }

    /** What has been counted for one carrier since start. */
    public record Counts(long wrongTransport, long overRate, long unknownNumbersSummarised) {
    }

    private static final class PerCarrier {
        final LongAdder wrongTransport = new LongAdder();
        final LongAdder overRate = new LongAdder();
        final LongAdder unknownNumbers = new LongAdder();
        /** Unknown numbers since the last summary line, and when that was (steady nanos); guarded by this. */
        long sinceLastLine;
        long lastLineNanos;
        boolean lineWritten;
    }

    private final CallRateLimiter rates = new CallRateLimiter();
    private final Map<Long, PerCarrier> carriers = new ConcurrentHashMap<>();

    /**
     * @param transport the container's name of the transport the INVITE came over (UDP, TCP, TLS)
     * @param nowNanos  a monotonic clock ({@link System#nanoTime()})
     */
    public Decision admit(long carrierId, CarrierInboundPolicy policy, String transport, long nowNanos) {
        if (!policy.accepts(transport)) {
            of(carrierId).wrongTransport.increment();
            return Decision.WRONG_TRANSPORT;
        }
        if (policy.maxInvitesPerSecond() > 0 && !rates.tryAcquire(carrierId, policy.maxInvitesPerSecond(), nowNanos)) {
            of(carrierId).overRate.increment();
            return Decision.OVER_RATE;
        }
        return Decision.ACCEPTED;
    }

    /**
     * Counts an INVITE to a number not on this trunk that leaves no CDR of its own.
     *
     * @return the summary line's count when it is time for one (unknown numbers since the last
     *         line, this one included); empty otherwise
     */
    public Optional<Long> unknownNumberSummarised(long carrierId, long nowNanos) {
        PerCarrier carrier = of(carrierId);
        carrier.unknownNumbers.increment();
        synchronized (carrier) {
            carrier.sinceLastLine++;
            if (carrier.lineWritten && nowNanos - carrier.lastLineNanos < SUMMARY_INTERVAL.toNanos()) {
                return Optional.empty();
            }
            long count = carrier.sinceLastLine;
            carrier.sinceLastLine = 0;
            carrier.lastLineNanos = nowNanos;
            carrier.lineWritten = true;
            return Optional.of(count);
        }
    }

    /** The counts of one carrier since start (zeros for one never counted). */
    public Counts counts(long carrierId) {
        PerCarrier carrier = carriers.get(carrierId);
        return carrier == null ? new Counts(0, 0, 0)
                : new Counts(carrier.wrongTransport.sum(), carrier.overRate.sum(), carrier.unknownNumbers.sum());
    }

    /** The counts of all carriers together since start. */
    public Counts total() {
        long transport = 0;
        long rate = 0;
        long unknown = 0;
        for (PerCarrier carrier : carriers.values()) {
            transport += carrier.wrongTransport.sum();
            rate += carrier.overRate.sum();
            unknown += carrier.unknownNumbers.sum();
        }
        return new Counts(transport, rate, unknown);
    }

    private PerCarrier of(long carrierId) {
        return carriers.computeIfAbsent(carrierId, id -> new PerCarrier());
    }
}
