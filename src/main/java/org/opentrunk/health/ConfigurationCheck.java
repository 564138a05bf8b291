package org.opentrunk.health;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whether the node has its schema and configuration from the database yet (issue 25: a node starts
 * while its database is down, answers OPTIONS with 503 and refuses nothing it cannot judge). Down
 * until the first load succeeded, with what the last try said.
 */
public final class ConfigurationCheck implements HealthCheck {

    public static final String NAME = "configuration";

    private final Supplier<String> failure;

    /** @param failure null once the configuration is loaded; else why it is not (yet) */
    public ConfigurationCheck(Supplier<String> failure) {
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        String why = failure.get();
        return why == null ? CheckResult.up(NAME, "schema migrated, configuration loaded") : CheckResult.down(NAME, why);
    }
}
