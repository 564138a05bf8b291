package org.opentrunk.health;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link HealthCheck} on the executor's threads, so that whoever asks (an HTTP thread, the
 * readiness watch) waits only until its own deadline: a check that hangs (a database that takes
 * connections but never answers) reports down when the deadline comes and goes on running.
 *
 * <p>One run at a time: while a run is under way, everyone who asks waits for that run instead of
 * starting another. A hanging check thus ties up one thread, not one per request, and a flood of
 * {@code /health} requests costs the database one query at a time.
 */
public final class BoundedCheck {

    /** A run under way: its result to come and when it began. */
    record Run(CompletableFuture<CheckResult> result, long startedNanos) {
    }

    private final HealthCheck check;
    private final Executor executor;
    private final AtomicReference<Run> running = new AtomicReference<>();

    public BoundedCheck(HealthCheck check, Executor executor) {
        this.check = Objects.requireNonNull(check, "check");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public String name() {
        return check.name();
    }

    /**
     * The check's result, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()});
     * down, saying how long it has been running, when it has not answered by then.
     */
    public CheckResult resultBy(long deadlineNanos) {
        return await(start(), deadlineNanos);
    }

    /** Starts a run unless one is under way; the run whose result answers. */
    Run start() {
        while (true) {
            Run current = running.get();
            if (current != null) {
                return current;
            }
            Run run = new Run(new CompletableFuture<>(), System.nanoTime());
            if (running.compareAndSet(null, run)) {
                run.result().whenComplete((result, failure) -> running.compareAndSet(run, null));
                try {
                    executor.execute(() -> run.result().complete(runOnce()));
                } catch (RuntimeException e) { // RejectedExecutionException, or a factory that refuses a thread
                    run.result().complete(CheckResult.down(name(), "could not be run: " + e.getMessage()));
                }
                return run;
            }
        }
    }

    /** The run's result by the deadline, or down. */
    CheckResult await(Run run, long deadlineNanos) {
        try {
            return run.result().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.startedNanos());
            return CheckResult.down(name(), "no answer after " + ms + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down(name(), "interrupted while waiting for the check");
        } catch (ExecutionException e) {
            return CheckResult.down(name(), describe(e.getCause())); // runOnce catches; kept for safety
        }
    }

    private CheckResult runOnce() {
        try {
            CheckResult result = check.check();
            return new CheckResult(name(), result.up(), result.detail()); // always under the check's own name
        } catch (Exception | LinkageError e) {
            return CheckResult.down(name(), describe(e));
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
