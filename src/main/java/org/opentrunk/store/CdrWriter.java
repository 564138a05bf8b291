package org.opentrunk.store;

import org.opentrunk.core.cdr.CdrQueue;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;

/**
 * Takes CDRs off the call path and gets them into the database without losing one (IC-CDR).
 *
 * <pre>
 *  SIP threads ── submit() ──► bounded queue ──► journal thread ──► CdrJournal (forced to disk)
 *                                                                        │ read back in order
 *                          database ◄── CdrSink.write() ◄── database thread ─► commit
 * </pre>
 *
 * <ul>
 *   <li>{@link #submit} never blocks: it puts the record in a queue of
 *   {@link Limits#queueCapacity()} and returns.</li>
 *   <li>The journal thread takes batches of up to {@link Limits#maxBatch()} records (or what
 *   came within {@link Limits#maxBatchWait()}) and appends each to the journal, forced to disk:
 *   from then on the record survives a crash.</li>
 *   <li>{@link #submitDurably} is {@code submit} with a future that completes once the record is
 *   forced to disk, for a caller that must not acknowledge anything before (the 200 to a BYE). A
 *   batch holding such a record does not wait out {@link Limits#maxBatchWait()}: it is journaled
 *   with whatever is queued at that moment (group commit: requests that arrive during one forced
 *   write share the next one).</li>
 *   <li>The database thread reads the journal from its commit point in batches, hands each to the
 *   {@link CdrSink} and commits it in the journal; after a batch that was not full it lets records
 *   gather for {@link Limits#databaseBatchWait()}, so that a trickle of calls does not cost a
 *   transaction per record. When the sink fails (database down) it retries
 *   the same batch with backoff, from {@link Limits#minRetryDelay()} doubling to
 *   {@link Limits#maxRetryDelay()}, for as long as it takes; the records wait on disk, not in
 *   memory.</li>
 * </ul>
 *
 * <p>Two threads rather than one so that the database can stall (a lock wait, a lost connection
 * that takes minutes to time out) without stopping the journal: the queue keeps draining to disk
 * whatever the database does. With one forced write per batch of 500 the journal takes tens of
 * thousands of records a second even on a slow disk, far more than any call rate, so the queue
 * fills only when the journal's disk fails or stalls, or the journal is full
 * ({@link JournalFullException}: a database outage of about a day).
 *
 * <p><b>Queue full.</b> Then the record is refused: {@code submit} returns false, the {@code
 * overflow} counter counts it and a SEVERE log line (at most one per
 * {@value #OVERFLOW_LOG_SECONDS} s, with that record's text) says so. Writing it to the journal from
 * the SIP thread instead would not help (the journal is what is failing) and would block the call
 * path on that disk; waiting for room would block it on the queue; and memory beyond the queue is
 * what the bound is there to prevent. A refused CDR is lost
 * money, so {@code overflow} and {@code journalFailures} above zero need an alarm.
 *
 * <p><b>Exactly once in the database.</b> Delivery to the sink is at least once: a crash between
 * a database write and its journal commit sends those records again after the restart. Each
 * record carries a unique {@link CallRecord#recordId()}, the {@code cdr} table keeps each id once
 * (migration V2), and the sink skips ids it holds ({@link CdrSink}). The writer also passes each id
 * at most once per batch, since a failed journal append that is retried can leave a record twice
 * in the journal.
 *
 * <p><b>Start and stop.</b> {@link #start} starts both threads; records a previous process left
 * uncommitted in the journal are its oldest, so they go to the database first. {@link #close}
 * refuses new records, journals every queued one, keeps writing to the database until the journal
 * is empty, and gives up after {@link Limits#closeTimeout()}: whatever is journaled by then is
 * written at the next start. Only records the journal could not take by then (its disk failing)
 * are lost, each logged at SEVERE with its text. Close the writer after the SIP side has ended its
 * calls, so their CDRs are submitted before.
 */
public final class CdrWriter implements CdrQueue, AutoCloseable {

    /**
     * Records the queue holds: over a minute and a half of 1,000 call attempts per second, some tens
     * of megabytes when full. It only fills when the journal's disk stops taking records.
     */
    public static final int QUEUE_CAPACITY = 100_000;
    /** Records per journal append and per database transaction. */
    public static final int MAX_BATCH = 500;
    /** How long the journal thread waits to fill a batch, the price of one forced write per batch. */
    public static final Duration MAX_BATCH_WAIT = Duration.ofMillis(50);
    /**
     * How long the database thread lets records gather after a transaction that was not full.
     * Durability comes from the journal, so this only delays when a CDR shows in the database;
     * without it the thread ran one transaction per one or two records (the journal is forced
     * for every BYE) and cost ~1.1 ms of CPU per CDR at 200 calls/s (bench/results.md).
     */
    public static final Duration DATABASE_BATCH_WAIT = Duration.ofMillis(250);
    /** First wait after a failed write. */
    public static final Duration MIN_RETRY_DELAY = Duration.ofMillis(250);
    /** Longest wait between retries, however long the database stays down. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** How long {@link #close} keeps draining before it gives up (the journal keeps the rest). */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** At most one overflow log line per this many seconds: the log must not flood the SIP threads. */
    public static final int OVERFLOW_LOG_SECONDS = 10;

    /** How often an idle thread looks whether it should stop. */
    static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** How long close waits for a thread it had to interrupt. */
    static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(CdrWriter.class.getName());

    /**
     * The writer's sizes and times; {@link #DEFAULTS} in production, smaller ones in tests.
     */
    public record Limits(int queueCapacity, int maxBatch, Duration maxBatchWait, Duration minRetryDelay,
                         Duration maxRetryDelay, Duration closeTimeout, Duration databaseBatchWait) {

        public static final Limits DEFAULTS = new Limits(QUEUE_CAPACITY, MAX_BATCH, MAX_BATCH_WAIT, MIN_RETRY_DELAY,
                MAX_RETRY_DELAY, CLOSE_TIMEOUT, DATABASE_BATCH_WAIT);

        /** Limits whose database thread writes whatever the journal holds at once (no gathering). */
        public Limits(int queueCapacity, int maxBatch, Duration maxBatchWait, Duration minRetryDelay,
                      Duration maxRetryDelay, Duration closeTimeout) {
            this(queueCapacity, maxBatch, maxBatchWait, minRetryDelay, maxRetryDelay, closeTimeout, Duration.ZERO);
        }

        public Limits {
            if (queueCapacity < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("queue capacity and batch size must be positive");
            }
            for (Duration d : List.of(maxBatchWait, minRetryDelay, maxRetryDelay, closeTimeout, databaseBatchWait)) {
                if (d.isNegative()) {
                    throw new IllegalArgumentException("negative duration " + d);
                }
            }
            if (minRetryDelay.isZero() || maxRetryDelay.compareTo(minRetryDelay) < 0) {
                throw new IllegalArgumentException("need 0 < minRetryDelay <= maxRetryDelay");
            }
        }
    }

    /**
     * The writer's counts since it was created, for metrics.
     *
     * @param submitted       records {@link #submit} accepted
     * @param overflow        records {@link #submit} refused (queue full, or writer closed): lost
     * @param journaled       records appended to the journal
     * @param written         records the sink accepted; replays after a crash count again
     * @param pending         records not in the database yet: queued, being journaled, or in the
     *                        journal (including what an earlier process left)
     * @param retries         failed database writes, each retried
     * @param journalFailures failed journal appends and commits, each retried
     * @param lost            accepted records that {@link #close} could not journal: lost
     */
    public record Counters(long submitted, long overflow, long journaled, long written, long pending, long retries,
                           long journalFailures, long lost) {
    }

    /**
     * Whether the writer is doing its work, for the readiness check.
     *
     * @param running          started, not closed, and both threads alive
     * @param journalFailure   why the last journal append or commit failed, null when it worked
     *                         (each is retried; this clears when one works again)
     * @param pending          as in {@link Counters#pending()}
     * @param journalDirectory where the journal is, for a check that writes there
     */
    public record Health(boolean running, String journalFailure, long pending, java.nio.file.Path journalDirectory) {
    }

    private final CdrJournal journal;
    private final CdrSink sink;
    private final Limits limits;
    private final ThreadFactory threadFactory;
    private final BlockingQueue<CallRecord> queue;

    private final LongAdder submitted = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final AtomicLong journaled = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong journalFailures = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lastOverflowLog;
    /** The last failed append's and commit's reason; null once it works again. */
    private volatile String appendFailure;
    private volatile String commitFailure;
    /**
     * Futures of {@link #submitDurably} records not journaled yet, by record id. Not empty: a
     * caller waits, so the journal thread does not wait to fill its batch.
     */
    private final Map<String, CompletableFuture<Void>> durableWaiters = new ConcurrentHashMap<>();

    /** Submits under way; with {@link #accepting} it makes sure none slips in after the last drain. */
    private final AtomicInteger submitting = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean halted;
    private volatile boolean journalThreadDone;
    /** The batch the journal thread holds between queue and journal. */
    private volatile List<CallRecord> inHand = List.of();
    /** Batches the journal thread gave up on at close. */
    private final List<CallRecord> unjournaled = new ArrayList<>();
    /** Retry pauses wait on this; close wakes them. */
    private final Object wake = new Object();

    private boolean started;
    private boolean closed;
    private Thread journalThread;
    private Thread databaseThread;

    /** A writer with the {@linkplain Limits#DEFAULTS default limits} and daemon threads of its own. */
    public CdrWriter(CdrJournal journal, CdrSink sink) {
        this(journal, sink, Limits.DEFAULTS, CdrWriter::daemonThread);
    }

    /**
     * @param journal       the journal; the writer closes it on {@link #close}
     * @param sink          the database
     * @param threadFactory makes the writer's two threads (the container's managed thread factory)
     */
    public CdrWriter(CdrJournal journal, CdrSink sink, Limits limits, ThreadFactory threadFactory) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        this.queue = new ArrayBlockingQueue<>(limits.queueCapacity());
        this.lastOverflowLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(OVERFLOW_LOG_SECONDS));
    }

    /**
     * Starts the journal and database threads. Records left uncommitted in the journal by an
     * earlier process go to the database first. Returns at once, also when the database is down.
     *
     * @throws IllegalStateException when started or closed before
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(started ? "the CDR writer is running already" : "the CDR writer is closed");
        }
        startThreads();
    }

    /**
     * Hands over the record of an ended call attempt. Never blocks: returns false, and counts the
     * record as {@code overflow}, when the queue is full or the writer closed (the record is lost).
     */
    @Override
    public boolean submit(CallRecord record) {
        Objects.requireNonNull(record, "record");
        submitting.incrementAndGet();
        try {
            if (accepting && queue.offer(record)) {
                submitted.increment();
                return true;
            }
        } finally {
            submitting.decrementAndGet();
        }
        overflow.increment();
        reportOverflow(record);
        return false;
    }

    /**
     * {@link #submit}, and a future that completes when the record is forced to disk (it then
     * survives a crash). Never blocks. The future fails with {@link CdrNotJournaledException} when
     * the record is refused (queue full, writer closed) or the writer stops before journaling it;
     * it stays pending while the journal's disk fails (appends are retried), so wait with a bound.
     * Dependent actions run on the journal thread: keep them short, or use the async variants.
     */
    @Override
    public CompletableFuture<Void> submitDurably(CallRecord record) {
        Objects.requireNonNull(record, "record");
        CompletableFuture<Void> journaledFuture = new CompletableFuture<>();
        durableWaiters.put(record.recordId(), journaledFuture); // before the queue: the journal thread looks here
        if (!submit(record)) {
            durableWaiters.remove(record.recordId());
            journaledFuture.completeExceptionally(new CdrNotJournaledException(
                    accepting ? "the CDR queue is full" : "the CDR writer is closed"));
        }
        return journaledFuture;
    }

    public Counters counters() {
        return new Counters(submitted.sum(), overflow.sum(), journaled.get(), written.get(),
                queue.size() + inHand.size() + journal.uncommittedRecords(), retries.get(), journalFailures.get(),
                lost.get());
    }

    public Health health() {
        boolean running;
        synchronized (this) {
            running = started && !closed;
        }
        running = running && journalThread.isAlive() && databaseThread.isAlive();
        String append = appendFailure;
        String failure = append != null ? append : commitFailure;
        return new Health(running, failure, counters().pending(), journal.directory());
    }

    /**
     * Stops taking records, journals those queued, writes the journal to the database, and closes
     * the journal. Returns within about {@link Limits#closeTimeout()} whatever the database or the
     * disk does: journaled records it could not write go to the database at the next start.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!started) {
                startThreads(); // records submitted before start are journaled too
            }
        }
        accepting = false;
        closeDeadline = System.nanoTime() + limits.closeTimeout().toNanos();
        closing = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        joinUntilDeadline(journalThread);
        joinUntilDeadline(databaseThread);
        if (journalThread.isAlive() || databaseThread.isAlive()) {
            LOG.warning(() -> "CDR writer: not done after " + limits.closeTimeout().toMillis() + " ms; stopping it");
            stopThreads();
        }
        List<CallRecord> left = new ArrayList<>();
        synchronized (unjournaled) {
            left.addAll(unjournaled);
        }
        if (journalThread.isAlive()) {
            left.addAll(inHand); // stuck in the journal: may or may not get there
        }
        queue.drainTo(left);
        if (!left.isEmpty()) {
            lost.addAndGet(left.size());
            LOG.severe(() -> left.size() + " CDRs could not be journaled before shutdown; their text follows");
            for (CallRecord record : left) {
                LOG.severe(() -> "CDR not saved: " + CallRecordLine.format(record));
            }
        }
        failDurableWaiters("the CDR writer closed before journaling the record");
        closeJournal();
        long waiting = journal.uncommittedRecords();
        if (waiting > 0) {
            LOG.warning(() -> "CDR writer closed with " + waiting + " CDRs in the journal " + journal.directory()
                    + " not yet in the database; they are written after the next start");
        }
    }

    /**
     * Stops at once, as a crash would: nothing is drained, flushed or committed. For tests.
     */
    void halt() {
        synchronized (this) {
            closed = true;
        }
        accepting = false;
        stopThreads();
        failDurableWaiters("the CDR writer halted");
        closeJournal();
    }

    // ---- journal thread

    private void journalLoop() {
        List<CallRecord> batch = new ArrayList<>(limits.maxBatch());
        try {
            while (!halted) {
                batch.clear();
                takeBatch(batch);
                if (!batch.isEmpty()) {
                    inHand = List.copyOf(batch);
                    boolean saved = journalBatch(batch);
                    if (!saved) {
                        synchronized (unjournaled) {
                            unjournaled.addAll(batch);
                        }
                        inHand = List.of();
                        break;
                    }
                    inHand = List.of();
                    completeDurableWaiters(batch);
                    continue;
                }
                if (closing && submitting.get() == 0 && queue.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            // halted
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "CDR journal thread failed; CDRs are no longer journaled", e);
            throw e;
        } finally {
            journalThreadDone = true;
        }
    }

    /** Fills {@code batch} from the queue: waits for a first record, then up to the batch size or wait. */
    private void takeBatch(List<CallRecord> batch) throws InterruptedException {
        CallRecord first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + limits.maxBatchWait().toNanos();
        while (batch.size() < limits.maxBatch()) {
            queue.drainTo(batch, limits.maxBatch() - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= limits.maxBatch() || closing || left <= 0 || !durableWaiters.isEmpty()) {
                return;
            }
            CallRecord next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    /** The batch is on disk: the {@link #submitDurably} callers among its records may go on. */
    private void completeDurableWaiters(List<CallRecord> batch) {
        if (durableWaiters.isEmpty()) {
            return;
        }
        for (CallRecord record : batch) {
            CompletableFuture<Void> waiter = durableWaiters.remove(record.recordId());
            if (waiter != null) {
                waiter.complete(null);
            }
        }
    }

    private void failDurableWaiters(String why) {
        for (String id : List.copyOf(durableWaiters.keySet())) {
            CompletableFuture<Void> waiter = durableWaiters.remove(id);
            if (waiter != null) {
                waiter.completeExceptionally(new CdrNotJournaledException(why));
            }
        }
    }

    /** Appends until it works; false when stopped or out of time at close. */
    private boolean journalBatch(List<CallRecord> batch) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                journal.append(batch);
                appendFailure = null;
                journaled.addAndGet(batch.size());
                if (failures > 1) {
                    LOG.info("CDR journal takes records again");
                }
                return true;
            } catch (IOException | RuntimeException e) {
                if (halted) {
                    return false;
                }
                journalFailures.incrementAndGet();
                appendFailure = "append: " + e;
                long delay = retryDelay(failures);
                LOG.log(failures == 1 ? Level.SEVERE : Level.WARNING, "cannot append " + batch.size()
                        + " CDRs to the journal " + journal.directory() + " (failure " + failures + "); "
                        + queue.size() + " queued; retrying in " + delay / 1_000_000 + " ms",
                        failures == 1 ? e : null);
                if (!pause(delay)) {
                    return false;
                }
            }
        }
    }

    // ---- database thread

    private void databaseLoop() {
        try {
            for (int readFailures = 1; !halted; ) {
                CdrJournal.Batch batch;
                try {
                    batch = journal.readUncommitted(limits.maxBatch());
                } catch (IOException | RuntimeException e) {
                    if (halted) {
                        return;
                    }
                    journalFailures.incrementAndGet();
                    LOG.log(Level.SEVERE, "cannot read the CDR journal " + journal.directory(), e);
                    if (!pause(retryDelay(readFailures++))) {
                        return;
                    }
                    continue;
                }
                readFailures = 1;
                if (!batch.records().isEmpty()) {
                    if (!store(batch) || !commit(batch)) {
                        return;
                    }
                    if (batch.records().size() < limits.maxBatch() && !limits.databaseBatchWait().isZero()
                            && !closing && !pause(limits.databaseBatchWait().toNanos())) {
                        return;
                    }
                } else if (batch.advances()) {
                    if (!commit(batch)) {
                        return;
                    }
                } else if (journalThreadDone && !journal.hasUncommitted()) {
                    return; // closing, and everything is in the database
                } else if (closing && System.nanoTime() - closeDeadline >= 0) {
                    return;
                } else {
                    journal.awaitUncommitted(IDLE_POLL);
                }
            }
        } catch (InterruptedException e) {
            // halted
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "CDR database thread failed; CDRs stay in the journal until the next start", e);
            throw e;
        }
    }

    /** Writes the batch until the sink takes it; false when stopped or out of time at close. */
    private boolean store(CdrJournal.Batch batch) throws InterruptedException {
        List<CallRecord> records = oncePerId(batch.records());
        for (int failures = 1; ; failures++) {
            try {
                sink.write(records);
                written.addAndGet(records.size());
                if (failures > 1) {
                    LOG.info("the database takes CDRs again");
                }
                return true;
            } catch (Exception e) {
                if (halted) {
                    return false;
                }
                retries.incrementAndGet();
                long delay = retryDelay(failures);
                LOG.log(Level.WARNING, "cannot write " + records.size() + " CDRs to the database (failure " + failures
                        + "); they stay in the journal; retrying in " + delay / 1_000_000 + " ms: " + e,
                        failures == 1 ? e : null);
                if (!pause(delay)) {
                    return false;
                }
            }
        }
    }

    private boolean commit(CdrJournal.Batch batch) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            if (halted) {
                return false;
            }
            try {
                journal.commit(batch);
                commitFailure = null;
                if (failures > 1) {
                    LOG.info("CDR journal commits again");
                }
                return true;
            } catch (IOException | RuntimeException e) {
                if (halted) {
                    return false;
                }
                journalFailures.incrementAndGet();
                commitFailure = "commit: " + e;
                long delay = retryDelay(failures);
                // the first failure with its stack; the retries (a full disk: every few seconds) in one line each
                LOG.log(failures == 1 ? Level.SEVERE : Level.WARNING, "cannot commit CDRs in the journal " + journal.directory()
                        + " (failure " + failures + "; they are in the database, and are sent again if this persists);"
                        + " retrying in " + delay / 1_000_000 + " ms" + (failures == 1 ? "" : ": " + e), failures == 1 ? e : null);
                if (!pause(delay)) {
                    return false;
                }
            }
        }
    }

    private static List<CallRecord> oncePerId(List<CallRecord> records) {
        Map<String, CallRecord> byId = new LinkedHashMap<>(records.size() * 2);
        for (CallRecord record : records) {
            byId.putIfAbsent(record.recordId(), record);
        }
        return byId.size() == records.size() ? records : List.copyOf(byId.values());
    }

    // ---- threads and time

    private void startThreads() {
        started = true;
        journalThread = threadFactory.newThread(this::journalLoop);
        databaseThread = threadFactory.newThread(this::databaseLoop);
        name(journalThread, "cdr-journal");
        name(databaseThread, "cdr-database");
        journalThread.start();
        databaseThread.start();
    }

    private static void name(Thread thread, String name) {
        try {
            thread.setName(name);
        } catch (SecurityException e) {
            // a managed thread factory may not allow it; the name is only for thread dumps
        }
    }

    private static Thread daemonThread(Runnable task) {
        Thread thread = new Thread(task);
        thread.setDaemon(true);
        return thread;
    }

    private void stopThreads() {
        halted = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        for (Thread thread : new Thread[] {journalThread, databaseThread}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        for (Thread thread : new Thread[] {journalThread, databaseThread}) {
            if (thread != null) {
                join(thread, STOP_WAIT.toNanos());
            }
        }
    }

    private void joinUntilDeadline(Thread thread) {
        join(thread, closeDeadline - System.nanoTime());
    }

    private static void join(Thread thread, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeJournal() {
        try {
            journal.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the CDR journal", e);
        }
    }

    /** Backoff before retry number {@code failures}: doubling from the minimum, capped. */
    private long retryDelay(int failures) {
        long delay = limits.minRetryDelay().toNanos();
        long max = limits.maxRetryDelay().toNanos();
        for (int i = 1; i < failures && delay < max; i++) {
            delay *= 2;
        }
        return Math.min(delay, max);
    }

    /**
     * Waits {@code nanos} before a retry. Returns false when the writer stops or the close deadline
     * passes (give up); returns early, true, when close begins (try once more right away).
     */
    private boolean pause(long nanos) throws InterruptedException {
        boolean closingBefore = closing;
        long until = System.nanoTime() + nanos;
        synchronized (wake) {
            while (true) {
                if (halted) {
                    return false;
                }
                long now = System.nanoTime();
                if (closing && now - closeDeadline >= 0) {
                    return false;
                }
                if (closing && !closingBefore) {
                    return true;
                }
                long left = until - now;
                if (closing) {
                    left = Math.min(left, closeDeadline - now);
                }
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
        }
    }

    private void reportOverflow(CallRecord record) {
        long now = System.nanoTime();
        long last = lastOverflowLog.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(OVERFLOW_LOG_SECONDS) && lastOverflowLog.compareAndSet(last, now)) {
            String why = accepting ? "the CDR queue is full (" + limits.queueCapacity()
                    + " records): the journal's disk is failing or stalled" : "the CDR writer is closed";
            LOG.severe("CDR lost: " + why + "; " + overflow.sum() + " CDRs lost so far. This one was: "
                    + CallRecordLine.format(record));
        }
    }
}
