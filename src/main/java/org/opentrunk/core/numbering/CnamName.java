package org.opentrunk.core.numbering;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An outbound caller name as kept in CNAM storage (IC-CNAM-OUT): what the called party's carrier
 * shows when it looks up the caller's number. Caller-name databases hold at most
 * {@value #MAX_LENGTH} characters from a small character set, so a name is checked here, when the
 * operator stores it, rather than cut or mangled later by a database the operator cannot see.
 *
 * <p>Leading and trailing whitespace is dropped; the name is otherwise kept as written (case
 * included). Characters outside the set are refused, not replaced: {@code Café} is refused with
 * a message naming {@code é}, and the operator decides whether {@code Cafe} is right.
 *
 * @param value the name, trimmed, 1 to {@value #MAX_LENGTH} characters of {@link #ALLOWED_CHARACTERS}
 */
public record CnamName(String value) {

    /** The CNAM limit: caller-name databases store at most 15 characters. */
    public static final int MAX_LENGTH = 15;

    /** Punctuation allowed besides letters, digits and space. */
    public static final String ALLOWED_PUNCTUATION = ",.-&'!?";

    /** The allowed characters in words, as operators are told. */
    public static final String ALLOWED_CHARACTERS = "letters A-Z and a-z, digits 0-9, space and "
            + String.join(" ", ALLOWED_PUNCTUATION.split(""));

    /**
     * @throws InvalidCnamNameException when the name is missing, empty after trimming, too long
     *                                  or has characters outside the set; the message names each
     */
    public CnamName {
        if (value == null) {
            throw new InvalidCnamNameException("name is missing");
        }
        value = value.strip();
        if (value.isEmpty()) {
            throw new InvalidCnamNameException("name is empty");
        }
        List<String> problems = new ArrayList<>();
        int length = value.codePointCount(0, value.length());
        if (length > MAX_LENGTH) {
            problems.add("name is " + length + " characters; CNAM allows at most " + MAX_LENGTH);
        }
        Set<String> refused = new LinkedHashSet<>();
        value.codePoints().filter(c -> !isAllowed(c)).forEach(c -> refused.add(Quoting.describe(c)));
        if (!refused.isEmpty()) {
            problems.add("name contains " + String.join(", ", refused) + ", which CNAM does not allow;"
                    + " use " + ALLOWED_CHARACTERS);
        }
        if (!problems.isEmpty()) {
            throw new InvalidCnamNameException(String.join("; ", problems));
        }
    }

    /** The name, as {@link #value()}. */
    public static CnamName of(String name) {
        return new CnamName(name);
    }

    /** True when {@code codePoint} is in the CNAM character set. */
    public static boolean isAllowed(int codePoint) {
        return (codePoint >= 'A' && codePoint <= 'Z')
                || (codePoint >= 'a' && codePoint <= 'z')
                || (codePoint >= '0' && codePoint <= '9')
                || codePoint == ' '
                || ALLOWED_PUNCTUATION.indexOf(codePoint) >= 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
