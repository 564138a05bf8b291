package org.opentrunk.core.cnam;

import java.util.Optional;

/** What the external CNAM provider said about one number; each kind is cached for its own time. */
sealed interface ProviderAnswer {

    /** A displayable name (already sanitized). */
    record Name(String value) implements ProviderAnswer {
    }

    /** The provider knows no name: 404, or a body with nothing displayable in it. */
    record NoName() implements ProviderAnswer {
    }

    /** No usable answer: an error status, a timeout, a refused connection. */
    record Failure(String reason) implements ProviderAnswer {
    }

    default Optional<String> name() {
        return this instanceof Name n ? Optional.of(n.value()) : Optional.empty();
    }
}
