package org.opentrunk.call;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A target's final error answer, as much of it as goes back to the caller when no other target
 * does better: status, reason phrase, and the headers worth relaying (Reason, Retry-After, Warning).
 */
public record CalleeFailure(int status, String reasonPhrase, Map<String, List<String>> relayedHeaders) {

    public CalleeFailure {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("a failure is a 3xx to 6xx answer, not " + status);
        }
        reasonPhrase = Objects.requireNonNullElse(reasonPhrase, ""); // an empty phrase is legal
        relayedHeaders = Map.copyOf(relayedHeaders);
    }
}
