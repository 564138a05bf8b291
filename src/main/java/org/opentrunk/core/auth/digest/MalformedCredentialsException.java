package org.opentrunk.core.auth.digest;

/**
 * An {@code Authorization} or {@code Proxy-Authorization} header value that is not usable digest
 * credentials; the SIP layer answers 400 Bad Request. Checked, because malformed input from the
 * network is an expected event, not a bug. The message says what is wrong and where, but never
 * repeats the input's values, which may be long or hold anything.
 */
public final class MalformedCredentialsException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedCredentialsException(String message) {
        super(message);
    }
}
