package org.opentrunk.call;

import java.util.List;
import java.util.Objects;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.headers.XTag;

/**
 * What a call's CDR will say (IC-CDR, IC-TAG, IC-FAX) as the call learns it, and the once-only
 * guards of its end: one CDR per call however it ends (BYE, failure, the container reaping it),
 * its resources (channel, overload place, relay ports) given back once.
 *
 * <p>Not thread-safe: a call's events arrive one at a time.
 */
public final class CallLedger {

    /** The status a CDR carries when the call ended before any final status was known. */
    public static final int UNKNOWN_STATUS = 500;

    private final long startedAtMs;
    private final List<String> inviteXTags;
    private long answeredAtMs;
    /** Arrival of the first 18x from a callee leg; null while none came. */
    private Long firstProvisionalAtMs;
    private int finalStatus;
    private DisconnectCause cause = DisconnectCause.FAILED;
    private List<String> answerXTags = List.of();
    private String codec;
    private boolean fax;
    private boolean recorded;
    private boolean released;

    /**
     * @param startedAtMs arrival of the caller's INVITE
     * @param inviteXTags the X-Tag values of that INVITE
     */
    public CallLedger(long startedAtMs, List<String> inviteXTags) {
        this.startedAtMs = startedAtMs;
        this.inviteXTags = List.copyOf(Objects.requireNonNull(inviteXTags, "inviteXTags"));
    }

    public long startedAtMs() {
        return startedAtMs;
    }

    /** When the call was answered; 0 while it is not. */
    public long answeredAtMs() {
        return answeredAtMs;
    }

    /**
     * A provisional response (180, 183 ...) came from the callee leg at {@code atMs}. Only the
     * first counts: the post-dial delay is the time from the caller's INVITE to it, whichever
     * target sent it (a failover's later 18x does not move it). A clock step backwards before the
     * INVITE's time makes the delay 0, never negative.
     */
    public void provisional(long atMs) {
        if (firstProvisionalAtMs == null) {
            firstProvisionalAtMs = Math.max(atMs, startedAtMs);
        }
    }

    /** Milliseconds from the caller's INVITE to the first provisional response; empty while none came. */
    public java.util.OptionalLong postDialDelayMs() {
        return firstProvisionalAtMs == null ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(firstProvisionalAtMs - startedAtMs);
    }

    /** The negotiated voice codec of the answer, null before it (the live calls' codec column). */
    public String codec() {
        return codec;
    }

    /** Whether the call switched to T.38 fax (IC-FAX). */
    public boolean fax() {
        return fax;
    }

    /** The 2xx went to the caller: answer time, status, the answer's X-Tag and the negotiated codec. */
    public void answered(long atMs, int status, List<String> xTags, String negotiatedCodec) {
        this.answeredAtMs = atMs;
        this.finalStatus = status;
        this.answerXTags = List.copyOf(xTags);
        this.codec = negotiatedCodec;
    }

    /** The caller's INVITE ended with {@code status} (a refusal, a relayed failure, 487 ...). */
    public void finalStatus(int status, DisconnectCause why) {
        this.finalStatus = status;
        this.cause = Objects.requireNonNull(why, "why");
    }

    /** Why an answered call ended (BYE from one side, a timer, media). */
    public void cause(DisconnectCause why) {
        this.cause = Objects.requireNonNull(why, "why");
    }

    public DisconnectCause cause() {
        return cause;
    }

    /** IC-FAX: a fax re-INVITE was answered with an active T.38 stream. */
    public void faxSwitched() {
        this.fax = true;
    }

    /** True the first time only: the caller writes the one CDR then. */
    public boolean claimRecord() {
        if (recorded) {
            return false;
        }
        recorded = true;
        return true;
    }

    /** True the first time only: the caller gives the call's resources back then. */
    public boolean claimRelease() {
        if (released) {
            return false;
        }
        released = true;
        return true;
    }

    /**
     * The CDR's facts from this ledger on {@code record}: times (it ends at {@code endMs}), status,
     * cause, X-Tag (the INVITE's, else the answer's), codec, fax and post-dial delay. Who and where
     * the adapter adds.
     */
    public CallRecord.Builder fill(CallRecord.Builder record, long endMs) {
        return record
                .startMs(startedAtMs)
                .answerMs(answeredAtMs == 0 ? null : answeredAtMs)
                .endMs(endMs)
                .sipStatus(finalStatus == 0 ? UNKNOWN_STATUS : finalStatus)
                .disconnectCause(cause)
                .xTag(XTag.choose(inviteXTags, answerXTags).map(XTag::value).orElse(null))
                .codec(codec)
                .fax(fax)
                .postDialDelayMs(firstProvisionalAtMs == null ? null : firstProvisionalAtMs - startedAtMs);
    }
}
