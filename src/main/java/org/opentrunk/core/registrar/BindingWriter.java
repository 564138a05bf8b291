package org.opentrunk.core.registrar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the registrar's bindings to the database on one thread of its own (issue 25, database
 * down mid-traffic), so that a database that is stopped or does not answer at all holds that
 * thread only: never a SIP thread, nor the container's shared executor that DNS lookups and probes
 * need. What is to be written is a set of customers, not a queue of writes: each write stores the
 * customer's table as it is when the write runs, so any number of REGISTERs while the database is
 * away come down to one write per customer when it is back (bounded by the number of customers).
 *
 * <p>While a write fails, or one has been under way for longer than {@link #STUCK_AFTER} (a
 * black-holed database), the writer is {@link State#DATABASE_DOWN}: a new write is noted and its
 * future completes at once with false, so nobody waits for a database that is known to be away; the
 * noted customers are written again every {@link #RETRY_EVERY} until one succeeds.
 */
public final class BindingWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BindingWriter.class.getName());
    /** How often writes are tried again while the database is down. */
    public static final Duration RETRY_EVERY = Duration.ofSeconds(5);
    /** A write under way for this long means the database does not answer (black-holed, hung). */
    public static final Duration STUCK_AFTER = Duration.ofSeconds(2);

    /** Whether the database took the last write. */
    public enum State { WRITING, DATABASE_DOWN }

    private final BindingPersistence persistence;
    private final LongFunction<List<Binding>> currentOf;
    private final java.util.function.LongConsumer written;
    private final LongSupplier nanos;
    private final ScheduledExecutorService thread;
    /** Customers to write, each with the futures of those waiting for it; guarded by this. */
    private final Map<Long, List<CompletableFuture<Boolean>>> pending = new LinkedHashMap<>();
    /** A drain is queued or running; guarded by this. */
    private boolean draining;
    /** Expired bindings are to be deleted (the keepalive's tick); guarded by this. */
    private long deleteExpiredAt = -1;
    private volatile boolean failing;
    /** System.nanoTime() when the running write began, 0 when none runs. */
    private volatile long writeStartedNanos;

    /**
     * @param persistence where bindings are stored
     * @param currentOf   a customer's current bindings (the in-memory table, as of the call)
     */
    public BindingWriter(BindingPersistence persistence, LongFunction<List<Binding>> currentOf) {
        this(persistence, currentOf, customerId -> { });
    }

    /**
     * @param written told each customer whose bindings were stored (a retried write included), so
     *                the other nodes of the trunk read them (issue 20); must not block
     */
    public BindingWriter(BindingPersistence persistence, LongFunction<List<Binding>> currentOf,
                         java.util.function.LongConsumer written) {
        this(persistence, currentOf, written, System::nanoTime, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentrunk-binding-writer");
            t.setDaemon(true);
            return t;
        }));
    }

    BindingWriter(BindingPersistence persistence, LongFunction<List<Binding>> currentOf, LongSupplier nanos,
                  ScheduledExecutorService thread) {
        this(persistence, currentOf, customerId -> { }, nanos, thread);
    }

    BindingWriter(BindingPersistence persistence, LongFunction<List<Binding>> currentOf, java.util.function.LongConsumer written,
                  LongSupplier nanos, ScheduledExecutorService thread) {
        this.written = written;
        this.persistence = persistence;
        this.currentOf = currentOf;
        this.nanos = nanos;
        this.thread = thread;
    }

    public State state() {
        long started = writeStartedNanos;
        boolean stuck = started != 0 && nanos.getAsLong() - started > STUCK_AFTER.toNanos();
        return failing || stuck ? State.DATABASE_DOWN : State.WRITING;
    }

    /**
     * Writes {@code customerId}'s bindings as they are when the write runs. The future completes
     * with true once they are stored, false when the database failed; at once with false while the
     * database is known to be down (the write is then made when it is back). Never exceptionally.
     */
    public CompletableFuture<Boolean> write(long customerId) {
        boolean down = state() == State.DATABASE_DOWN;
        CompletableFuture<Boolean> done = down ? CompletableFuture.completedFuture(false) : new CompletableFuture<>();
        synchronized (this) {
            List<CompletableFuture<Boolean>> waiting = pending.computeIfAbsent(customerId, id -> new ArrayList<>());
            if (!down) {
                waiting.add(done);
            }
            if (!draining && !failing) { // while failing, the retry is already scheduled
                draining = true;
                thread.execute(this::drain);
            }
        }
        return done;
    }

    /** Removes expired bindings from the database, on the writer's thread (a hung database holds nothing else). */
    public void deleteExpired(long nowMs) {
        synchronized (this) {
            deleteExpiredAt = nowMs;
            if (!draining && !failing) {
                draining = true;
                thread.execute(this::drain);
            }
        }
    }

    /** Customers whose bindings are not in the database yet. */
    public synchronized int pendingCustomers() {
        return pending.size();
    }

    private void drain() {
        while (true) {
            long customerId;
            List<CompletableFuture<Boolean>> waiting;
            long deleteAt;
            synchronized (this) {
                deleteAt = deleteExpiredAt;
                deleteExpiredAt = -1;
                Iterator<Map.Entry<Long, List<CompletableFuture<Boolean>>>> next = pending.entrySet().iterator();
                if (deleteAt < 0 && !next.hasNext()) {
                    draining = false;
                    return;
                }
                if (next.hasNext()) {
                    Map.Entry<Long, List<CompletableFuture<Boolean>>> entry = next.next();
                    next.remove();
                    customerId = entry.getKey();
                    waiting = entry.getValue();
                } else {
                    customerId = -1;
                    waiting = List.of();
                }
            }
            writeStartedNanos = nanos.getAsLong();
            try {
                if (deleteAt >= 0) {
                    persistence.deleteExpired(deleteAt);
                }
                if (customerId >= 0) {
                    persistence.replace(customerId, currentOf.apply(customerId));
                }
                writeStartedNanos = 0;
                if (failing) {
                    failing = false;
                    LOG.info("The database takes registrations again; the bindings kept meanwhile are being written");
                }
                waiting.forEach(f -> f.complete(true));
                try {
                    if (customerId >= 0) { // a pass that only deleted expired bindings tells nobody
                        written.accept(customerId);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Telling the other nodes of customer " + customerId + "'s registrations failed", e);
                }
            } catch (Exception e) {
                writeStartedNanos = 0;
                synchronized (this) {
                    if (customerId >= 0) {
                        pending.putIfAbsent(customerId, new ArrayList<>());
                    }
                    if (deleteAt >= 0 && deleteExpiredAt < 0) {
                        deleteExpiredAt = deleteAt;
                    }
                    if (!failing) {
                        LOG.log(Level.WARNING, "Registrations cannot be written to the database; they stay in force in"
                                + " memory and are written when it answers (tried every " + RETRY_EVERY.toSeconds() + " s): " + e);
                    }
                    failing = true; // before anyone hears of the failure: their next write must not wait
                    waiting.forEach(f -> f.complete(false));
                    // futures of REGISTERs that arrived during this write: they do not wait for the retry
                    pending.values().forEach(list -> {
                        list.forEach(f -> f.complete(false));
                        list.clear();
                    });
                    thread.schedule(this::retry, RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
        }
    }

    /** Tries the noted writes again; still DATABASE_DOWN meanwhile, so nobody waits on the attempt. */
    private void retry() {
        synchronized (this) {
            draining = true;
        }
        drain();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
