package org.opentrunk.core.headers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's call tag (IC-TAG): the value of an {@code X-Tag} header in the initial INVITE or,
 * failing that, in the answering 200 OK, written to the call's CDR so the customer can match
 * OpenTrunk's records to its own.
 *
 * <p>A tag is never a reason to refuse a call: a longer value is cut to {@value #MAX_LENGTH}
 * characters, control characters are removed (they would corrupt a CSV export or a log line), and
 * surrounding whitespace is trimmed. What is left, if anything, is the tag.
 *
 * @param value 1 to {@value #MAX_LENGTH} characters, no control characters, trimmed
 */
public record XTag(String value) {

    public static final String HEADER = "X-Tag";

    /** IC-TAG: up to 32 characters (code points, so that a character is never cut in half). */
    public static final int MAX_LENGTH = 32;

    public XTag {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.codePointCount(0, value.length()) > MAX_LENGTH || !value.equals(value.strip())
                || value.codePoints().anyMatch(XTag::isRemoved)) {
            throw new IllegalArgumentException("not a cleaned X-Tag value; use XTag.of");
        }
    }

    /** The tag a received value gives, if anything is left after cleaning it. */
    public static Optional<XTag> of(String received) {
        if (received == null) {
            return Optional.empty();
        }
        StringBuilder kept = new StringBuilder();
        received.codePoints().filter(c -> !isRemoved(c)).forEach(kept::appendCodePoint);
        String text = kept.toString().strip();
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            text = text.substring(0, text.offsetByCodePoints(0, MAX_LENGTH)).strip();
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(new XTag(text));
    }

    /**
     * The tag of a call: from the initial INVITE if it has one, otherwise from the answering 200 OK.
     * Of several X-Tag headers in one message the first that leaves a tag counts.
     *
     * @param initialInvite X-Tag values of the initial INVITE
     * @param answer        X-Tag values of the 200 OK that answered it; empty when not (yet) answered
     */
    public static Optional<XTag> choose(List<String> initialInvite, List<String> answer) {
        Optional<XTag> fromInvite = first(initialInvite);
        return fromInvite.isPresent() ? fromInvite : first(answer);
    }

    private static Optional<XTag> first(List<String> values) {
        if (values == null) {
            return Optional.empty();
        }
        return values.stream().map(XTag::of).flatMap(Optional::stream).findFirst();
    }

    /** Controls, line and paragraph separators, and halves of surrogate pairs. */
    private static boolean isRemoved(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    @Override
    public String toString() {
        return value;
    }
}
