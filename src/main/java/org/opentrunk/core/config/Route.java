package org.opentrunk.core.config;

import java.util.Objects;

/** One route of a number: where inbound calls to it are delivered (IC-ROUTE). */
public record Route(RouteType type, String target, int priority) {

    public Route {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }
}
