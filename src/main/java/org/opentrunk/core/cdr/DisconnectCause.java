package org.opentrunk.core.cdr;

/**
 * Why a call attempt ended, in the CDR. The {@link #text()} form is what the database, the API
 * and the journal hold, so it never changes once released; new causes may be added.
 *
 * <p>The SIP status in the same record tells the detail ({@code 486} for a busy callee, {@code 503}
 * when no carrier could take the call); the cause says who ended the call, which is what billing
 * disputes and support tickets start from.
 */
public enum DisconnectCause {
    /** Answered; the calling side hung up (BYE from the caller's leg). */
    CALLER_BYE("caller_bye"),
    /** Answered; the called side hung up (BYE from the callee's leg). */
    CALLEE_BYE("callee_bye"),
    /** The caller gave up before the answer (CANCEL; the INVITE ended with 487). */
    CANCELLED("cancelled"),
    /** The called side answered the INVITE with a final error: busy, declined, not found ... */
    REJECTED("rejected"),
    /**
     * OpenTrunk itself refused the attempt before any carrier or customer saw it: authentication,
     * an invalid number (IC-E164), no common codec (IC-CODEC), a channel or rate limit.
     */
    REFUSED("refused"),
    /** No route or carrier could take the call: every hop timed out or failed (408, 5xx), or an internal error. */
    FAILED("failed"),
    /** A session timer ran out without a refresh; both legs were sent BYE (IC-TIMER). */
    SESSION_TIMER("session_timer"),
    /** An anchored call stopped receiving media and was torn down. */
    MEDIA_TIMEOUT("media_timeout"),
    /** The server was stopping and tore the call down. */
    SHUTDOWN("shutdown"),
    /** An answered call reached its customer's maxCallSeconds; both legs were sent BYE (issue 25). */
    MAX_DURATION("max_duration");

    private final String text;

    DisconnectCause(String text) {
        this.text = text;
    }

    /** The stored form: lower case, stable. */
    public String text() {
        return text;
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not the {@link #text()} of a cause
     */
    public static DisconnectCause fromText(String text) {
        for (DisconnectCause cause : values()) {
            if (cause.text.equals(text)) {
                return cause;
            }
        }
        throw new IllegalArgumentException("unknown disconnect cause: " + text);
    }
}
