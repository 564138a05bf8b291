package org.opentrunk.core.provisioning;

/**
 * A provisioning value the operator must correct; names the field (API field name) so the REST
 * API and the admin page can put the message next to it.
 */
public final class InvalidFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
