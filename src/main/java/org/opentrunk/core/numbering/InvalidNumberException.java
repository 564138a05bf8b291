package org.opentrunk.core.numbering;

/**
 * A number is not a valid E.164 number (IC-E164); thrown by {@link NumberParser#parseOrThrow}
 * for callers where that ends the request, such as the REST API (which answers 422 with
 * {@link #getMessage()}). Carries the SIP status too, for callers on the SIP path that prefer it.
 */
public final class InvalidNumberException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final NumberProblem problem;

    public InvalidNumberException(ParseResult.Rejected rejection) {
        super(rejection.detail());
        this.problem = rejection.problem();
    }

    public NumberProblem problem() {
        return problem;
    }

    /** 484 or 404, as {@link NumberProblem#sipStatus()}. */
    public int sipStatus() {
        return problem.sipStatus();
    }
}
