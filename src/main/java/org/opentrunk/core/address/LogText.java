package org.opentrunk.core.address;

import org.opentrunk.core.text.UntrustedText;

/**
 * Peer input as it may appear in a log line, a CDR note or an error detail: quoted, shortened to
 * {@value #MAX_QUOTED_CHARS} characters, with control characters and anything outside printable
 * ASCII written as {@code U+XXXX} ({@link UntrustedText}), so that a hostile header value cannot forge log lines or
 * smuggle terminal escapes.
 */
public final class LogText {

    /** Longest stretch of input shown; the rest is replaced by {@code ...}. */
    public static final int MAX_QUOTED_CHARS = 80;

    private LogText() {
    }

    /** {@code text} in single quotes, escaped and shortened; {@code null} reads as {@code (missing)}. */
    public static String quote(String text) {
        return UntrustedText.quote(text, MAX_QUOTED_CHARS);
    }
}
