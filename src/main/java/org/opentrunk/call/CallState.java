package org.opentrunk.call;

/** Where a call is in its life; one value at a time, moved only forward (see {@link #canMoveTo}). */
public enum CallState {
    /** An INVITE is out to the current target, which has said nothing yet (failover on silence). */
    ROUTING,
    /** The current target answered 100 Trying only: alive, so no failover on silence; cancellable. */
    TRYING,
    /** The current target answered provisionally (180/183), relayed to the caller. */
    EARLY,
    /**
     * The caller gave up before an answer (CANCEL), or the call was abandoned in set-up (media
     * timeout): the callee's INVITE is being cancelled, and the call ends on its final answer.
     */
    CANCELLING,
    /** A 2xx was relayed: the call is up. */
    ANSWERED,
    /** BYE under way towards one party or both. */
    ENDING,
    /** Over: the container's sessions are invalidated. */
    ENDED;

    /** True while the call is being set up: no 2xx relayed, not abandoned. */
    public boolean inSetup() {
        return this == ROUTING || this == TRYING || this == EARLY;
    }

    /**
     * True once the current target has answered provisionally (100 included), so that a CANCEL may
     * be sent to it (RFC 3261 section 9.1).
     */
    public boolean targetAnswered() {
        return this == TRYING || this == EARLY;
    }

    /** True once the call is on its way out or gone. */
    public boolean isFinishing() {
        return this == CANCELLING || this == ENDING || this == ENDED;
    }

    /**
     * The transitions a call makes: set-up moves on to an answer or an abandonment, an answered
     * call ends, and everything may end at once (a refusal, the container reaping the call).
     * A new target moves an EARLY call back to ROUTING; a BYE in an early dialog may come after a
     * CANCEL.
     */
    public boolean canMoveTo(CallState next) {
        return switch (this) {
            case ROUTING -> next == TRYING || next == EARLY || next == CANCELLING || next == ANSWERED || next == ENDING
                    || next == ENDED;
            case TRYING -> next == ROUTING || next == EARLY || next == CANCELLING || next == ANSWERED || next == ENDING
                    || next == ENDED;
            case EARLY -> next == ROUTING || next == CANCELLING || next == ANSWERED || next == ENDING || next == ENDED;
            case CANCELLING -> next == ENDING || next == ENDED;
            case ANSWERED -> next == ENDING || next == ENDED;
            case ENDING -> next == ENDED;
            case ENDED -> false;
        };
    }
}
