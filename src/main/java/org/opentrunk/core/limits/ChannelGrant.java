package org.opentrunk.core.limits;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer to a call's request for a channel of its customer (maxChannels) and a place in its
 * call rate (maxCps): admitted, holding the channel until {@link #release()}, or refused and why.
 */
public final class ChannelGrant {

    /** Why a call got, or did not get, its channel. */
    public enum Verdict {
        ADMITTED,
        /** maxChannels in use, on this node or, with several nodes, on all of them together. */
        CHANNEL_LIMIT,
        /** maxCps reached. */
        RATE_LIMIT,
        /** The shared counters could not be reached for longer than the grace (issue 20). */
        UNAVAILABLE
    }

    private static final Runnable NOTHING = () -> { };

    private final Verdict verdict;
    private final Runnable giveBack;
    private final AtomicBoolean released = new AtomicBoolean();

    private ChannelGrant(Verdict verdict, Runnable giveBack) {
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.giveBack = Objects.requireNonNull(giveBack, "giveBack");
    }

    /** A channel held until {@code giveBack} runs, exactly once, from {@link #release()}. */
    public static ChannelGrant admitted(Runnable giveBack) {
        return new ChannelGrant(Verdict.ADMITTED, giveBack);
    }

    public static ChannelGrant refused(Verdict why) {
        if (why == Verdict.ADMITTED) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        return new ChannelGrant(why, NOTHING);
    }

    public boolean admitted() {
        return verdict == Verdict.ADMITTED;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** Gives the channel back; idempotent, and nothing for a refusal. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            giveBack.run();
        }
    }

    @Override
    public String toString() {
        return "ChannelGrant[" + verdict + (released.get() ? ", released" : "") + "]";
    }
}
