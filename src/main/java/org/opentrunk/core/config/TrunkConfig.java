package org.opentrunk.core.config;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link ConfigSnapshot}, swapped atomically. The SIP path calls {@link #current()}
 * once per request and works with that snapshot to the end of the decision.
 */
public final class TrunkConfig {

    private final AtomicReference<ConfigSnapshot> current =
            new AtomicReference<>(ConfigSnapshot.EMPTY);

    public ConfigSnapshot current() {
        return current.get();
    }

    public void replace(ConfigSnapshot snapshot) {
        current.set(Objects.requireNonNull(snapshot, "snapshot"));
    }
}
