package org.opentrunk.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's number (DID) as the call path sees it.
 *
 * @param e164       the number, {@code +} form
 * @param cnamLookup present the caller's name on inbound calls (IC-CNAM-IN)
 * @param cnamName   the stored outbound caller name (IC-CNAM-OUT)
 * @param routes     in the operator's order; {@link #routesInPriorityOrder()} is the try order
 */
public record DidNumber(String e164, long customerId, boolean cnamLookup, Optional<String> cnamName,
                        List<Route> routes) {

    public DidNumber {
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(cnamName, "cnamName");
        routes = List.copyOf(routes);
    }

    /** Lower priority first; equal priorities keep the operator's order. */
    public List<Route> routesInPriorityOrder() {
        return routes.stream().sorted(Comparator.comparingInt(Route::priority)).toList();
    }
}
