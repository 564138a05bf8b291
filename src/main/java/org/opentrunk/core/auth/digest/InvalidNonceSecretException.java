package org.opentrunk.core.auth.digest;

/**
 * The nonce key file ({@link NonceSecretFile}) exists but does not hold a key: truncated, edited,
 * or another file under its name. Start-up stops rather than replace it silently; the message
 * names the file and what to do, never its contents.
 */
public final class InvalidNonceSecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidNonceSecretException(String message) {
        super(message);
    }
}
