package org.opentrunk.core.auth;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.address.UriEscapes;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;
import org.opentrunk.core.provisioning.FieldRules;

/**
 * A Request-URI user part of an IP-authenticated call (IC-IPAUTH): the customer's 8-digit tech
 * prefix, a delimiter, and the dialled number, as in {@code 12345678*+12066418000} or
 * {@code 12345678#12066418000}. The prefix is stripped before the call goes on (IC-RURI).
 *
 * <p>{@code #} is not allowed unescaped in a SIP URI, so RFC-abiding PBXs send {@code %23}
 * (either case); others send a bare {@code #}, and stacks differ in whether they hand the user part
 * over escaped. All are read. So is {@code %2A}, an escaped {@code *}, which is legal if unneeded.
 */
public record TechPrefixUser(String techPrefix, String dialled) {

    /** IC-IPAUTH: the tech prefix is exactly eight digits, as provisioned. */
    public static final int PREFIX_DIGITS = FieldRules.TECH_PREFIX_DIGITS;

    /** What may follow the prefix, compared ignoring case: {@code *}, {@code #} and their escapes. */
    public static final List<String> DELIMITERS = List.of("*", "#", "%23", "%2a");

    /**
     * @param techPrefix the eight digits
     * @param dialled    the rest of the user part with {@code %XX} escapes resolved (kept as received
     *                   when an escape is malformed, for {@link NumberParser} to refuse); may be empty
     */
    public TechPrefixUser {
        Objects.requireNonNull(techPrefix, "techPrefix");
        Objects.requireNonNull(dialled, "dialled");
        if (!isPrefix(techPrefix)) {
            throw new IllegalArgumentException("a tech prefix is " + PREFIX_DIGITS + " digits");
        }
    }

    /**
     * Splits a Request-URI user part; empty when it does not start with {@value #PREFIX_DIGITS}
     * digits and a delimiter. An empty rest ({@code 12345678*}) is kept: it is a call with a prefix
     * and no number yet, which number parsing answers with 484 (IC-E164).
     */
    public static Optional<TechPrefixUser> parse(String user) {
        if (user == null || user.length() <= PREFIX_DIGITS || !isPrefix(user.substring(0, PREFIX_DIGITS))) {
            return Optional.empty();
        }
        String afterPrefix = user.substring(PREFIX_DIGITS);
        for (String delimiter : DELIMITERS) {
            if (afterPrefix.toLowerCase(Locale.ROOT).startsWith(delimiter)) {
                String rest = afterPrefix.substring(delimiter.length());
                return Optional.of(new TechPrefixUser(user.substring(0, PREFIX_DIGITS), UriEscapes.decode(rest).orElse(rest)));
            }
        }
        return Optional.empty();
    }

    /** The dialled number, parsed: valid E.164, or the 484/404 to answer (IC-E164, IC-RURI). */
    public ParseResult dialledNumber() {
        return NumberParser.parse(dialled);
    }

    private static boolean isPrefix(String s) {
        return s.length() == PREFIX_DIGITS && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
