package org.opentrunk.core.sdp;

import java.util.Objects;

/**
 * A message body is not an SDP session description OpenTrunk can work with (IC-RESP); thrown by
 * {@link SessionDescription#parse}, and for any input whatever that parse refuses, the only thing
 * it throws.
 *
 * <p>Checked, unlike the core's other rejections: an SDP body comes from the network on every
 * INVITE, re-INVITE and answer, and the SIP code that parses it must always decide what to send
 * back (a 400 to a request, an ACK and BYE for a response). The compiler makes sure every caller
 * has made that decision, so a bad body never escapes into the SIP container as a 500 or a
 * dropped transaction. Parsing happens in a few places only, so the cost of the checked exception
 * is small.
 */
public final class MalformedSdpException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * The SIP status for a request whose SDP is malformed: 400 Bad Request (RFC 3261 section
     * 21.4.1, "malformed syntax"). A well-formed offer that OpenTrunk will not take gets 488 from
     * {@link CodecPolicy} instead.
     */
    public static final int SIP_STATUS = 400;

    /** What is wrong with the body. */
    public enum Problem {
        /** No body, or nothing but empty lines. */
        EMPTY,
        /** More than {@link SessionDescription#MAX_BYTES} bytes. */
        TOO_LARGE,
        /** More than {@link SessionDescription#MAX_LINES} lines. */
        TOO_MANY_LINES,
        /** The first line is not {@code v=0}. */
        NO_VERSION,
        /** A line that is not {@code <lower-case letter>=<value>}, has a NUL or a stray CR, or repeats {@code v=}. */
        BAD_LINE,
        /** No {@code o=} line in the session part, more than one, or one that is not six fields with a numeric version. */
        BAD_ORIGIN,
        /** An {@code m=} line that is not {@code m=<media> <port>[/<n>] <proto> <fmt> ...}, or has more than {@link MediaDescription#MAX_FORMATS} formats. */
        BAD_MEDIA_LINE,
        /** No {@code m=} line: on a trunk every offer and answer describes at least one stream. */
        NO_MEDIA,
        /** More than {@link SessionDescription#MAX_MEDIA_DESCRIPTIONS} {@code m=} lines. */
        TOO_MANY_MEDIA
    }

    private final Problem problem;
    private final int lineNumber;

    /**
     * @param lineNumber the 1-based line the problem is on, or 0 when it is not about one line
     * @param detail     a sentence for logs; any input in it is quoted with {@link SdpText#quote}
     */
    MalformedSdpException(Problem problem, int lineNumber, String detail) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + detail : "SDP: " + detail);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.lineNumber = lineNumber;
    }

    public Problem problem() {
        return problem;
    }

    /** The 1-based line of the body the problem is on (empty lines counted), or 0. */
    public int lineNumber() {
        return lineNumber;
    }

    /** {@value #SIP_STATUS}, the answer to a request carrying this body. */
    public int sipStatus() {
        return SIP_STATUS;
    }
}
