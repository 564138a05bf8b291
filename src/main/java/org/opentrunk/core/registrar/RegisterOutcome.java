package org.opentrunk.core.registrar;

import java.util.List;
import java.util.Objects;

/**
 * The registrar's answer to a REGISTER (RFC 3261 section 10.3). {@link #status()} and
 * {@link #reason()} are the response line; the 200 OK lists {@link Current#current()} with
 * {@link ContactHeaderValues}, the 423 carries {@link IntervalTooBrief#minExpiresSeconds()} as
 * Min-Expires.
 */
public sealed interface RegisterOutcome permits RegisterOutcome.Current,
        RegisterOutcome.IntervalTooBrief, RegisterOutcome.Rejected {

    int OK = 200;
    int INTERVAL_TOO_BRIEF = 423;

    int status();

    String reason();

    /** An outcome answered with 200 OK and the customer's bindings. */
    sealed interface Current extends RegisterOutcome permits Updated, Fetch {
        long customerId();

        /** The customer's unexpired bindings, in registration order. */
        List<Binding> current();

        @Override
        default int status() {
            return OK;
        }

        @Override
        default String reason() {
            return "OK";
        }
    }

    /**
     * The bindings changed: {@code current} is exactly what the customer has now (possibly
     * nothing), to be kept, stored and listed in the 200 OK.
     */
    record Updated(long customerId, List<Binding> current) implements Current {
        public Updated {
            current = List.copyOf(current);
            if (current.stream().anyMatch(b -> b.customerId() != customerId)) {
                throw new IllegalArgumentException("a binding of another customer in customer " + customerId + "'s list");
            }
        }
    }

    /** A REGISTER without Contact: the bindings unchanged, for the 200 OK. */
    record Fetch(long customerId, List<Binding> current) implements Current {
        public Fetch {
            current = List.copyOf(current);
        }
    }

    /** 423 Interval Too Brief, with this Min-Expires; nothing changed. */
    record IntervalTooBrief(long minExpiresSeconds) implements RegisterOutcome {
        @Override
        public int status() {
            return INTERVAL_TOO_BRIEF;
        }

        @Override
        public String reason() {
            return "Interval Too Brief";
        }
    }

    /**
     * The REGISTER is refused; nothing changed.
     *
     * @param problem why; its status and reason phrase are the answer
     * @param detail  a sentence for the log, peer input quoted and escaped
     */
    record Rejected(RegisterProblem problem, String detail) implements RegisterOutcome {
        public Rejected {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public int status() {
            return problem.status();
        }

        @Override
        public String reason() {
            return problem.reason();
        }
    }
}
