package org.opentrunk.health;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Liveness: no threads deadlocked. Deadlocked threads never recover, and whatever they hold (a
 * call's session, a lock of the SIP container) is lost until the process restarts; that is the
 * one thing a restart mends that waiting does not. Dependencies (the database) are not looked at
 * here: a node that cannot reach them is not ready, but restarting it would not help.
 */
public final class DeadlockCheck implements HealthCheck {

    public static final String NAME = "deadlocks";
    /** Threads named in the detail; a deadlock usually involves two or three. */
    static final int NAMES_SHOWN = 5;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return CheckResult.up(NAME, "no deadlocked threads");
        }
        String names = Arrays.stream(threads.getThreadInfo(ids)).limit(NAMES_SHOWN)
                .map(info -> info == null ? "?" : info.getThreadName()).collect(Collectors.joining(", "));
        return CheckResult.down(NAME, ids.length + " deadlocked threads: " + names);
    }
}
