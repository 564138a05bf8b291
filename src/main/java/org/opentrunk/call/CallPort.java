package org.opentrunk.call;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.opentrunk.core.cdr.CallRecord;

/**
 * Everything a {@link Call} asks of the world: SIP on its two legs, timers, and its accounting.
 * The JSR 289 adapter implements it with the container's sessions, transactions and timers; unit
 * tests with a port that records each command. Commands do not throw: a request that cannot be
 * sent is answered locally with a failure ({@link ReplyListener}), a response that cannot be sent
 * any more (its transaction is over) is dropped, both logged by the adapter.
 *
 * <p>Every callback (responses, timers, continuations) comes back on the call's own thread, one at
 * a time, so the call needs no locking.
 */
public interface CallPort {

    // ---- the caller's INVITE

    /** A provisional response or a final failure to the caller's INVITE; dropped once it has its final answer. */
    void respondToCaller(Reply reply);

    /**
     * Whether the caller's INVITE has its final answer already, before the call gave one: the
     * container answers a CANCEL (and the INVITE with 487) at once, and the call hears of it after
     * any response already queued for it.
     */
    boolean callerHasFinalAnswer();

    /** The 2xx to the caller's INVITE: {@code answered} becomes the callee's leg of the call. */
    void connect(Reply ok, CalleeDialog answered);

    // ---- the callee's INVITE, one target at a time

    /**
     * Sends the initial INVITE to {@code target}; its responses go to {@code listener}.
     *
     * @return the Call-ID of the new callee leg
     * @throws UnusableTarget when it could not be sent at all
     */
    String inviteCallee(CallTarget target, OutgoingRequest invite, CalleeAnswerListener listener) throws UnusableTarget;

    /** CANCELs the last INVITE sent to a target (RFC 3261 section 9.1); nothing if its final answer crossed. */
    void cancelCallee();

    /** Acknowledges a 2xx nobody wants (a target answered after the caller gave up) and sends it a BYE. */
    void hangUp(CalleeDialog unwanted, ReplyListener listener);

    // ---- in-dialog, once connected (the caller's leg from the start)

    /** Whether {@code leg} has a dialog that can still carry requests. */
    boolean dialogAlive(Leg leg);

    /** Sends a request (BYE, a refresh, a relayed re-INVITE) on {@code leg}'s dialog; its responses go to {@code listener}. */
    void send(Leg leg, OutgoingRequest request, ReplyListener listener);

    /** Acknowledges the last 2xx to an INVITE received on {@code leg}, with the SDP answer of a late offer or none. */
    void ack(Leg leg, byte[] sdp);

    // ---- timers and continuations

    /** Starts {@code timer} to fire once after {@code delay}, replacing a running one of the same kind. */
    void startTimer(CallTimer timer, Duration delay);

    /** Starts {@code timer} to fire every {@code period}, until cancelled or the call ends. */
    void startRepeatingTimer(CallTimer timer, Duration period);

    /** Cancels {@code timer} if it runs. */
    void cancelTimer(CallTimer timer);

    /** Runs {@code step} on the call's thread once {@code work} completes, however it completes. */
    void continueWhen(CompletionStage<?> work, Runnable step);

    // ---- accounting

    /** Queues the call's CDR for the journal (IC-CDR). */
    void record(CallRecord record);

    /** Journals the call's CDR and completes when it is on disk, or with false once {@code bound} passed. */
    CompletionStage<Boolean> recordDurably(CallRecord record, Duration bound);

    /** The caller's INVITE has its final answer: its place in the overload guard is free. Idempotent. */
    void setupOver();

    /** Gives back the call's channel and takes it off the live-call list; called once. */
    void release();

    /** Ends the container's side of the call: its sessions and timers. */
    void invalidate();
}
