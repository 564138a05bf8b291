package org.opentrunk.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A customer's number (DID) as the call path sees it.
 *
 * @param e164       the number, {@code +} form
 * @param cnamLookup present the caller's name on inbound calls (IC-CNAM-IN)
 * @param cnamName   the stored outbound caller name (IC-CNAM-OUT)
 * @param routes     in the operator's order; {@link #routesInPriorityOrder()} is the try order
 * @param stirFailedStatus {@link #DELIVER_FAILED} to deliver calls whose STIR/SHAKEN Identity failed
 *                   verification (their From says TN-Validation-Failed), else the status that refuses
 *                   them: 608 Rejected (RFC 8688) or 403 Forbidden (IC-STIR)
 */
public record DidNumber(String e164, long customerId, boolean cnamLookup, Optional<String> cnamName,
                        List<Route> routes, int stirFailedStatus) {

    /** Calls that fail STIR/SHAKEN verification are delivered, marked (the default). */
    public static final int DELIVER_FAILED = 0;
    /** The statuses that may refuse them: 608 per RFC 8688 section 3, or a plain 403. */
    public static final Set<Integer> REFUSING_STATUSES = Set.of(608, 403);

    public DidNumber {
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(cnamName, "cnamName");
        routes = List.copyOf(routes);
        if (stirFailedStatus != DELIVER_FAILED && !REFUSING_STATUSES.contains(stirFailedStatus)) {
            throw new IllegalArgumentException("stirFailedStatus is 0, 608 or 403, got " + stirFailedStatus);
        }
    }

    /** A number that delivers calls whatever their verification says. */
    public DidNumber(String e164, long customerId, boolean cnamLookup, Optional<String> cnamName, List<Route> routes) {
        this(e164, customerId, cnamLookup, cnamName, routes, DELIVER_FAILED);
    }

    /** Lower priority first; equal priorities keep the operator's order. */
    public List<Route> routesInPriorityOrder() {
        return routes.stream().sorted(Comparator.comparingInt(Route::priority)).toList();
    }
}
