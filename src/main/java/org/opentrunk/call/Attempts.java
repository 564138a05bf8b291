package org.opentrunk.call;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.routing.Failover;

/**
 * The targets of a call and how far it got through them (IC-ROUTE): the carriers of an outbound
 * call by priority, weight and health, the routes of an inbound one by priority. One target at a
 * time; a target that times out, is unavailable or fails (408, 480, 5xx, unreachable, silent for
 * the failover timeout) passes the call to the next; any other final answer is the callee's and
 * goes back to the caller. A 422 (RFC 4028 section 6) is retried once on the same target with the
 * interval it asks for, which is not a failover.
 *
 * <p>Not thread-safe: a call's events arrive one at a time.
 */
public final class Attempts {

    /** What a final answer of the current target means for the call. */
    public enum Verdict {
        /** 2xx: the call is answered. */
        ANSWERED,
        /** 422 the first time: the same target again, with a longer session interval. */
        RETRY_SAME_TARGET,
        /** 408, 480, 5xx: the next target, if any. */
        NEXT_TARGET,
        /** Anything else (404, 486, 603 ...): the callee's answer, relayed to the caller. */
        RELAY_TO_CALLER
    }

    private final List<CallTarget> targets;
    private int index = -1;
    private boolean intervalRetried;
    private CalleeFailure lastFailure;

    public Attempts(List<CallTarget> targets) {
        this.targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
    }

    /** Moves on to the next target; empty when every one has been tried. */
    public Optional<CallTarget> next() {
        if (index + 1 >= targets.size()) {
            index = targets.size();
            return Optional.empty();
        }
        index++;
        intervalRetried = false;
        return Optional.of(targets.get(index));
    }

    /** The target tried now; null before the first and after the last. */
    public CallTarget current() {
        return index >= 0 && index < targets.size() ? targets.get(index) : null;
    }

    /** 1 for the first target, and so on; 0 before the first. */
    public int number() {
        return Math.min(index + 1, targets.size());
    }

    /**
     * What the current target's final answer means. Asking about a 422 uses up its one retry, so a
     * second 422 from the same target moves on like any other refusal of the callee's.
     */
    public Verdict judge(int finalStatus) {
        if (finalStatus >= 200 && finalStatus < 300) {
            return Verdict.ANSWERED;
        }
        if (finalStatus == 422 && !intervalRetried) {
            intervalRetried = true;
            return Verdict.RETRY_SAME_TARGET;
        }
        return Failover.triesNextCarrier(finalStatus) ? Verdict.NEXT_TARGET : Verdict.RELAY_TO_CALLER;
    }

    /** Remembers a target's failure: relayed to the caller if no later target does better. */
    public void failed(CalleeFailure failure) {
        lastFailure = failure;
    }

    /** The current target could not be reached at all (no answer, unusable URI): nothing to relay from it. */
    public void unreachable() {
        lastFailure = null;
    }

    /** The failure to relay once every target has been tried; empty when the last said nothing (then 503). */
    public Optional<CalleeFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}
