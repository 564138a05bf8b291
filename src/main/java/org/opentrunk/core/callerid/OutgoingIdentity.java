package org.opentrunk.core.callerid;

import java.util.Objects;
import java.util.Optional;

/**
 * The identity header values OpenTrunk sends on a new leg. The SIP stack adds the From tag.
 *
 * @param from              the {@code From} value
 * @param pAssertedIdentity the {@code P-Asserted-Identity} value, when one is sent
 * @param privacy           the {@code Privacy} value, when one is sent
 */
public record OutgoingIdentity(String from, Optional<String> pAssertedIdentity, Optional<String> privacy) {

    public OutgoingIdentity {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(pAssertedIdentity, "pAssertedIdentity");
        Objects.requireNonNull(privacy, "privacy");
    }
}
