package org.opentrunk.admin;

/** The body of every API error: what is wrong and, for a bad value, which field. */
public class ApiError {
    public int status;
    public String error;
    public String field;

    public ApiError() {
    }

    public ApiError(int status, String error, String field) {
        this.status = status;
        this.error = error;
        this.field = field;
    }
}
