package org.opentrunk.core.registrar;

import java.util.Objects;

/**
 * What {@link RegisterRequest#parse} made of a REGISTER: the {@link Parsed request}, or why it
 * is {@link Malformed}. A result, not an exception: a broken REGISTER is ordinary peer input.
 */
public sealed interface RegisterParseResult permits RegisterParseResult.Parsed, RegisterParseResult.Malformed {

    record Parsed(RegisterRequest request) implements RegisterParseResult {
        public Parsed {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * @param problem what is wrong; its status and reason phrase are the answer
     * @param detail  a sentence for the log, peer input quoted and escaped
     */
    record Malformed(RegisterProblem problem, String detail) implements RegisterParseResult {
        public Malformed {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        /** The answer: the same as for a REGISTER the registrar refuses. */
        public RegisterOutcome.Rejected outcome() {
            return new RegisterOutcome.Rejected(problem, detail);
        }
    }
}
