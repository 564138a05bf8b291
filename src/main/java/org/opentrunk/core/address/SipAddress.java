package org.opentrunk.core.address;

import java.util.Objects;
import java.util.Optional;

/**
 * One address of a header value such as {@code From}, {@code P-Asserted-Identity} or
 * {@code Diversion}: {@code "Display Name" <uri>;header-parameters}. An addr-spec written without
 * angle brackets ({@code sip:alice@host;tag=1}) is read per RFC 3261 section 20: its parameters
 * belong to the header, not to the URI.
 *
 * @param displayName      the display name, unquoted and unescaped; empty when there is none or
 *                         it is {@code ""}. Never contains a control character other than tab.
 * @param uri              the URI
 * @param headerParameters parameters after the URI ({@code ;tag=...}, {@code ;reason=...}, {@code ;party=calling})
 */
public record SipAddress(Optional<String> displayName, SipUri uri, Parameters headerParameters) {

    public SipAddress {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headerParameters, "headerParameters");
        if (displayName.isPresent()
                && (displayName.get().isEmpty() || !Syntax.isCleanText(displayName.get().replace('\t', ' ')))) {
            throw new IllegalArgumentException("display name is empty or has control characters: "
                    + LogText.quote(displayName.get()));
        }
    }

    /** {@code <uri>}, without a display name or parameters. */
    public static SipAddress of(SipUri uri) {
        return new SipAddress(Optional.empty(), uri, Parameters.NONE);
    }

    /** The same address under another display name (or none). */
    public SipAddress withDisplayName(Optional<String> name) {
        return new SipAddress(name, uri, headerParameters);
    }

    /** The same address with other header parameters. */
    public SipAddress withHeaderParameters(Parameters parameters) {
        return new SipAddress(displayName, uri, parameters);
    }

    /**
     * The header value: always the name-addr form with angle brackets, which is valid for every
     * URI (RFC 3261 section 20 requires it as soon as the URI has parameters), and a quoted display
     * name, which is valid for every name.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        displayName.ifPresent(name -> out.append(Syntax.quote(name)).append(' '));
        out.append('<').append(uri.render()).append('>');
        out.append(headerParameters.render());
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
