package org.opentrunk.core.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The environment as {@link TrunkSettings#from} reads it, keeping every bad value it meets instead
 * of stopping at the first: an operator who got three variables wrong learns of all three in one
 * start. Each module's reader reports through {@link #report}; outside a collecting read (a unit
 * test calling a module directly) a report throws at once.
 */
final class SettingProblems implements Function<String, String> {

    private final Function<String, String> env;
    private final List<String> problems = new ArrayList<>();

    SettingProblems(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public String apply(String name) {
        return env.apply(name);
    }

    /** A bad value: kept when {@code env} collects, thrown otherwise. The caller goes on with the default. */
    static void report(Function<String, String> env, InvalidSettingException problem) {
        if (env instanceof SettingProblems collecting) {
            collecting.problems.add(problem.getMessage());
        } else {
            throw problem;
        }
    }

    /** Every bad value read, one message each, in the order they were read. */
    List<String> problems() {
        return List.copyOf(problems);
    }
}
