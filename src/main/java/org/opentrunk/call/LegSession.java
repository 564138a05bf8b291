package org.opentrunk.call;

import java.math.BigInteger;
import java.util.Objects;
import java.util.OptionalInt;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;

/**
 * One leg's session as OpenTrunk keeps it (IC-TIMER, RFC 4028): the agreed session timer and who
 * refreshes it, the SDP OpenTrunk last sent on the leg (what a refresh carries again, RFC 4028
 * section 7.4: unchanged version) and the SDP version last received from it, which tells a pure
 * refresh from a media change. The container's timers themselves are the adapter's; this says
 * when they are due and what an answer to a refresh means.
 *
 * <p>Not thread-safe: a call's events arrive one at a time.
 */
public final class LegSession {

    /** What the answer to a refresh OpenTrunk sent on this leg means. */
    public enum RefreshOutcome {
        /** A provisional: wait for the final answer. */
        PENDING,
        /** 2xx: the session goes on; restart the leg's timers (and acknowledge the 2xx). */
        REFRESHED,
        /** 422 the first time: send the refresh again with the interval the peer asks for. */
        RETRY_LONGER,
        /** 491: a re-INVITE crossed ours; the peer's own request refreshes the session. */
        CROSSED,
        /** Anything else (408, 481, the container's 408 for no answer): the peer is gone. */
        FAILED
    }

    private final Leg leg;
    private SessionTimerRules.LegTimer timer;
    private byte[] lastSdpSent;
    private BigInteger lastVersionReceived;
    private boolean intervalRetried;

    public LegSession(Leg leg) {
        this.leg = Objects.requireNonNull(leg, "leg");
    }

    public Leg leg() {
        return leg;
    }

    /** The agreed session timer; null when the leg has none. */
    public SessionTimerRules.LegTimer timer() {
        return timer;
    }

    public void agreeTimer(SessionTimerRules.LegTimer agreed) {
        this.timer = agreed;
    }

    /** True when OpenTrunk sends the refreshes on this leg. */
    public boolean openTrunkRefreshes() {
        return timer != null && timer.openTrunkRefreshes();
    }

    /** The SDP OpenTrunk last sent on this leg; null before any. */
    public byte[] lastSdpSent() {
        return lastSdpSent;
    }

    public void sent(byte[] sdp) {
        this.lastSdpSent = sdp;
    }

    /** Remembers the version of the SDP the leg's party sent (null: none, or unreadable). */
    public void received(SessionDescription sdp) {
        this.lastVersionReceived = sdp == null ? null : sdp.sessionVersion();
    }

    /**
     * True when a re-INVITE from this leg's party only refreshes the session: no SDP, or SDP of the
     * version last received (RFC 4028 section 7.4 keeps the version of a refresh's SDP). Such a
     * re-INVITE is answered on its own leg and does not cross to the other.
     */
    public boolean isPureRefresh(SessionDescription offer) {
        return offer == null || (lastVersionReceived != null && lastVersionReceived.equals(offer.sessionVersion()));
    }

    /**
     * The Session-Expires value of a 2xx OpenTrunk sends to a refresh from this leg's party, empty
     * when the party does not do session timers: the interval, and who refreshes in the terms of
     * that re-INVITE (the party is its UAC).
     */
    public java.util.Optional<String> sessionExpiresForAnswer() {
        if (timer == null || !timer.peerSupportsTimer()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(timer.intervalSeconds() + ";refresher=" + (timer.openTrunkRefreshes() ? "uas" : "uac"));
    }

    /** What the answer to OpenTrunk's refresh on this leg means; a 422 uses up the one retry. */
    public RefreshOutcome judgeRefreshAnswer(int status, OptionalInt minSe) {
        if (status < 200) {
            return RefreshOutcome.PENDING;
        }
        if (status < 300) {
            intervalRetried = false;
            return RefreshOutcome.REFRESHED;
        }
        if (status == 422 && !intervalRetried && timer != null) {
            intervalRetried = true;
            timer = new SessionTimerRules.LegTimer(Math.max(minSe.orElse(timer.intervalSeconds()), timer.intervalSeconds()),
                    timer.openTrunkRefreshes(), timer.peerSupportsTimer());
            return RefreshOutcome.RETRY_LONGER;
        }
        if (status == 491) {
            return RefreshOutcome.CROSSED;
        }
        return RefreshOutcome.FAILED;
    }
}
