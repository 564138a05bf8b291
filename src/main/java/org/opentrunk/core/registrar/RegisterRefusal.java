package org.opentrunk.core.registrar;

/**
 * Ends the reading of a REGISTER at its first fault; never leaves this package, where it
 * becomes a {@link RegisterParseResult.Malformed}. Cheap, as it carries no stack trace.
 */
final class RegisterRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    final transient RegisterProblem problem;

    RegisterRefusal(RegisterProblem problem, String detail) {
        super(detail, null, false, false);
        this.problem = problem;
    }
}
