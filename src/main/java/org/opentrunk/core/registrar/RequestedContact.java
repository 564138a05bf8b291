package org.opentrunk.core.registrar;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.opentrunk.core.address.SipUri;

/**
 * A contact a REGISTER asks to bind, refresh or remove.
 *
 * @param uri            the contact URI, a {@code sip:} URI
 * @param expiresSeconds its {@code expires} parameter, when it has a well-formed one
 * @param q              its {@code q} parameter, when it has one
 */
public record RequestedContact(SipUri uri, OptionalLong expiresSeconds, Optional<QValue> q) implements ContactEntry {

    public RequestedContact {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(expiresSeconds, "expiresSeconds");
        Objects.requireNonNull(q, "q");
        if (!ContactUris.isBindable(uri)) {
            throw new IllegalArgumentException("not a sip: URI: " + uri.scheme());
        }
    }

    /** The URI as it is stored in a {@link Binding} and listed in the 200 OK. */
    public String uriText() {
        return uri.render();
    }
}
