package org.opentrunk.core.timer;

import java.util.function.LongSupplier;

/**
 * Milliseconds for intervals that a step of the wall clock must not bend (issue 25, clock steps):
 * the wall clock read once, at the start, advanced by a monotonic clock ({@link System#nanoTime()})
 * ever after. An NTP step or an operator's {@code date -s} an hour back or forward moves
 * {@link System#currentTimeMillis()} by that hour, and with it every window and block measured on
 * it (a block would last an hour more, or end at once); this clock goes on at the pace of real
 * time. Its readings look like epoch milliseconds, so times shown to an operator (when a block
 * ends) stay readable, off by no more than the steps since start-up. Not for times that are
 * compared across restarts (registration expiry, nonce ages): those are wall-clock times.
 *
 * <p>A call's CDR times use a clock of their own, {@link #startingNow()}: anchored at the wall
 * clock when the call starts (its start time is the wall clock's), advanced by the monotonic
 * clock, so its answer and end times, and with them its duration, do not bend with a step.
 */
public final class SteadyClock {

    private static final SteadyClock SYSTEM = new SteadyClock(System::currentTimeMillis, System::nanoTime);

    private final long epochMillisAtStart;
    private final long nanosAtStart;
    private final LongSupplier nanos;

    /** A clock anchored at {@code wallMillis}'s reading now and advanced by {@code nanos} (tests). */
    SteadyClock(LongSupplier wallMillis, LongSupplier nanos) {
        this.epochMillisAtStart = wallMillis.getAsLong();
        this.nanosAtStart = nanos.getAsLong();
        this.nanos = nanos;
    }

    /**
     * A clock for one call's CDR (issue 25, clock steps): its first reading is the wall clock now;
     * every later one is that plus the monotonic time since, so a step of the wall clock during the
     * call moves neither its answer nor its end relative to its start.
     */
    public static java.util.function.LongSupplier startingNow() {
        return startingNow(System::currentTimeMillis, System::nanoTime);
    }

    /** {@link #startingNow()} on the given clocks (tests step the wall clock). */
    public static java.util.function.LongSupplier startingNow(LongSupplier wallMillis, LongSupplier nanos) {
        return new SteadyClock(wallMillis, nanos)::read;
    }

    /** Now, in epoch-like milliseconds that never jump: the process's one steady clock. */
    public static long millis() {
        return SYSTEM.read();
    }

    long read() {
        return epochMillisAtStart + (nanos.getAsLong() - nanosAtStart) / 1_000_000L;
    }
}
