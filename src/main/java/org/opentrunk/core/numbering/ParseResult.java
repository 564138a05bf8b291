package org.opentrunk.core.numbering;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link NumberParser#parse} made of a number: a {@link Valid} E.164 number or a
 * {@link Rejected} one with the SIP answer.
 *
 * <p>A result rather than an exception because on the SIP path a bad number is ordinary input,
 * not a fault: every mis-dialed call and every misconfigured PBX produces one, possibly at a high
 * rate, and the caller must turn it into a response either way. A sealed result keeps the
 * rejection in plain view of that caller and costs no stack trace. Code for which a bad number
 * ends the request (the REST API) uses {@link NumberParser#parseOrThrow} instead.
 */
public sealed interface ParseResult permits ParseResult.Valid, ParseResult.Rejected {

    /** The number, if valid. */
    default Optional<E164Number> number() {
        return this instanceof Valid valid ? Optional.of(valid.e164()) : Optional.empty();
    }

    /** A valid E.164 number. */
    record Valid(E164Number e164) implements ParseResult {
        public Valid {
            Objects.requireNonNull(e164, "e164");
        }
    }

    /**
     * A refused number.
     *
     * @param problem what is wrong, which fixes the SIP status and reason phrase
     * @param detail  a sentence naming the number and what is wrong with it, for logs, CDRs and
     *                API errors; the input is quoted with anything unprintable escaped
     */
    record Rejected(NumberProblem problem, String detail) implements ParseResult {
        public Rejected {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        /** 484 or 404 (IC-E164). */
        public int sipStatus() {
            return problem.sipStatus();
        }

        /** The fixed reason phrase for the SIP status line; never contains the input. */
        public String reasonPhrase() {
            return problem.reasonPhrase();
        }
    }
}
