package org.opentrunk.core.registrar;

import java.util.OptionalLong;

/** The delta-seconds of an {@code Expires} header or a contact's {@code expires} parameter (RFC 3261 section 25.1). */
public final class DeltaSeconds {

    /** RFC 3261 section 20.19: larger values are read as 2**32-1. */
    public static final long MAX = 4_294_967_295L;

    private DeltaSeconds() {
    }

    /**
     * Digits only, surrounding whitespace allowed; empty for anything else (null, blank, signs,
     * fractions, dates). A malformed value counts as absent, so the registrar's default applies:
     * RFC 3261 section 20.19 has malformed values read as 3600, the default here too, rather
     * than refused.
     */
    public static OptionalLong parse(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String digits = text.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > String.valueOf(MAX).length()) {
            return OptionalLong.of(MAX);
        }
        return OptionalLong.of(Math.min(MAX, Long.parseLong(significant)));
    }
}
