package org.opentrunk.core.address;

/**
 * Why {@link AddressParser} refused a header value. Each is ordinary bad input from a peer, not a
 * fault of OpenTrunk: the caller skips the header (or the call) and logs the detail.
 */
public enum AddressProblem {
    /** Missing, blank, or only empty list elements. */
    EMPTY,
    /** Longer than {@link AddressParser#MAX_LENGTH} characters. */
    TOO_LONG,
    /** More than {@link AddressParser#MAX_ADDRESSES} addresses or {@link AddressParser#MAX_PARAMETERS} parameters. */
    TOO_MANY,
    /** A control character (other than tab, and CR/LF of folded whitespace) or half a surrogate pair. */
    INVALID_CHARACTER,
    /** A quoted string without its closing quote. */
    UNTERMINATED_QUOTE,
    /** A {@code <} without its {@code >}. */
    UNTERMINATED_ANGLE,
    /** A display name that is neither a quoted string nor plain words, or one not followed by {@code <URI>}. */
    BAD_DISPLAY_NAME,
    /** No {@code scheme:} where a URI should start. */
    MISSING_SCHEME,
    /** A URI scheme other than sip, sips and tel: nothing OpenTrunk could route or normalise. */
    UNSUPPORTED_SCHEME,
    /** A URI that does not follow the sip/tel syntax (bad user, host, port, or stray characters). */
    BAD_URI,
    /** A {@code %} not followed by two hex digits, or escapes that are not UTF-8. */
    BAD_ESCAPE,
    /** A URI or header parameter without a name, or with a value of characters it may not have. */
    BAD_PARAMETER,
    /** Something after an address other than {@code ;parameters} or a comma. */
    UNEXPECTED_CHARACTER
}
