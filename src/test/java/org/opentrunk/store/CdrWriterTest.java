package org.opentrunk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.store.TestRecords.record;
import static org.opentrunk.store.TestRecords.records;
import static org.opentrunk.store.TestRecords.waitUntil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;

/** IC-CDR: every call attempt's CDR reaches the database once, across database outages and crashes. */
@Tag("IC-CDR")
class CdrWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int BATCH = 50;
    private static final CdrWriter.Limits LIMITS = new CdrWriter.Limits(20_000, BATCH, Duration.ofMillis(5),
            Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private final List<CdrWriter> writers = new ArrayList<>();
    private final List<FakeCdrSink> sinks = new ArrayList<>();

    @AfterEach
    void stopAll() {
        sinks.forEach(FakeCdrSink::release);
        writers.forEach(CdrWriter::halt);
    }

    private CdrWriter writer(FakeCdrSink sink) throws IOException {
        return writer(sink, LIMITS);
    }

    private CdrWriter writer(FakeCdrSink sink, CdrWriter.Limits limits) throws IOException {
        CdrWriter writer = new CdrWriter(new CdrJournal(dir, 64 * 1024, 1L << 30), sink, limits, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        writers.add(writer);
        sinks.add(sink);
        return writer;
    }

    private static Set<String> ids(List<CallRecord> records) {
        return records.stream().map(CallRecord::recordId).collect(Collectors.toSet());
    }

    private static void submitAll(CdrWriter writer, List<CallRecord> records) {
        for (CallRecord r : records) {
            assertTrue(writer.submit(r));
        }
    }

    @Test
    void recordsReachTheDatabaseInBatchesAndLeaveTheJournal() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink);
        writer.start();
        List<CallRecord> all = records("batch", 1_234);
        submitAll(writer, all);
        waitUntil(() -> writer.counters().written() == 1_234 && writer.counters().pending() == 0, WAIT,
                "all written");
        assertEquals(all, sink.stored(), "every record, in order");
        assertEquals(Set.of(), sink.deliveredTwice());
        assertTrue(sink.batchSizes().stream().allMatch(n -> n >= 1 && n <= BATCH), sink.batchSizes().toString());
        assertTrue(sink.batchSizes().size() >= 1_234 / BATCH);
        CdrWriter.Counters c = writer.counters();
        assertEquals(new CdrWriter.Counters(1_234, 0, 1_234, 1_234, 0, 0, 0, 0), c);
    }

    /** A trickle of records (as calls end one by one) reaches the database in few transactions. */
    @Test
    void theDatabaseThreadGathersATrickleIntoFewTransactions() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, new CdrWriter.Limits(20_000, BATCH, Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(5), Duration.ofMillis(300)));
        writer.start();
        List<CallRecord> all = records("trickle", 40);
        long start = System.nanoTime();
        for (CallRecord r : all) {
            writer.submitDurably(r).get(5, java.util.concurrent.TimeUnit.SECONDS); // as a BYE waits for its CDR
            Thread.sleep(20); // not synchronisation: paces the trickle
        }
        long sending = System.nanoTime() - start;
        waitUntil(() -> sink.storedCount() == all.size(), WAIT, "all written");
        assertEquals(all, sink.stored());
        // 40 records over ~0.8 s, a transaction at most every 300 ms: a handful, not one per record
        long most = 2 + sending / Duration.ofMillis(300).toNanos();
        assertTrue(sink.batchSizes().size() <= most, "transactions: " + sink.batchSizes());
    }

    @Test
    void aSingleRecordIsWrittenWithoutWaitingForABatch() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, CdrWriter.Limits.DEFAULTS);
        writer.start();
        CallRecord one = record("one", 1);
        long start = System.nanoTime();
        assertTrue(writer.submit(one));
        waitUntil(() -> sink.storedCount() == 1, WAIT, "written");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertEquals(List.of(one), sink.stored());
    }

    @Test
    void aFailingDatabaseIsRetriedUntilEveryRecordIsStoredExactlyOnce() throws Exception {
        FakeCdrSink sink = new FakeCdrSink().failNext(7);
        CdrWriter writer = writer(sink);
        writer.start();
        List<CallRecord> all = records("retry", 300);
        submitAll(writer, all);
        // written counts after the journal's commit, a moment after the sink has the records
        waitUntil(() -> sink.storedCount() == 300 && writer.counters().written() == 300, WAIT, "all stored");
        assertEquals(all, sink.stored());
        assertEquals(Set.of(), sink.deliveredTwice(), "a failed write stored nothing; nothing was sent twice");
        assertEquals(7, writer.counters().retries());
        assertEquals(300, writer.counters().written());
    }

    @Test
    void whileTheDatabaseIsDownRecordsWaitInTheJournalAndCloseIsBounded() throws Exception {
        FakeCdrSink down = new FakeCdrSink().failWhen(() -> true);
        CdrWriter.Limits limits = new CdrWriter.Limits(20_000, BATCH, Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(1));
        CdrWriter writer = writer(down, limits);
        writer.start();
        List<CallRecord> all = records("down", 400);
        submitAll(writer, all);
        waitUntil(() -> writer.counters().journaled() == 400, WAIT, "all journaled");
        waitUntil(() -> writer.counters().retries() >= 3, WAIT, "retries");
        assertEquals(400, writer.counters().pending());
        long start = System.nanoTime();
        writer.close();
        long took = System.nanoTime() - start;
        assertTrue(took < limits.closeTimeout().plus(CdrWriter.STOP_WAIT).plusSeconds(1).toNanos(), took + " ns");
        assertEquals(0, writer.counters().lost());
        assertEquals(0, down.storedCount());

        FakeCdrSink up = new FakeCdrSink();
        CdrWriter next = writer(up);
        assertEquals(400, next.counters().pending(), "the journal kept them");
        next.start();
        waitUntil(() -> up.storedCount() == 400, WAIT, "written after the restart");
        assertEquals(all, up.stored());
    }

    @Test
    void afterACrashANewWriterWritesExactlyTheUncommittedRecords() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter crashing = writer(sink);
        crashing.start();
        List<CallRecord> before = records("before", 120);
        submitAll(crashing, before);
        waitUntil(() -> sink.storedCount() == 120 && crashing.counters().pending() == 0, WAIT, "first wave committed");
        sink.block(); // the database hangs in the middle of a write ...
        List<CallRecord> after = records("after", 180);
        submitAll(crashing, after);
        waitUntil(() -> crashing.counters().journaled() == 300 && sink.blockedCalls() > 0, WAIT, "second wave journaled");
        crashing.halt(); // ... and the server dies: no close, no flush, no commit
        try (Stream<Path> files = Files.list(dir)) {
            Path last = files.filter(f -> f.getFileName().toString().endsWith(CdrJournal.SEGMENT_SUFFIX)).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            String torn = "1234abcd " + CallRecordLine.format(record("torn", 0));
            Files.writeString(last, torn.substring(0, torn.length() / 2), StandardCharsets.US_ASCII,
                    StandardOpenOption.APPEND);
        }

        FakeCdrSink restarted = new FakeCdrSink();
        CdrWriter recovered = writer(restarted);
        recovered.start();
        waitUntil(() -> restarted.storedCount() >= 180 && recovered.counters().pending() == 0, WAIT, "replayed");
        recovered.close();
        assertEquals(after, restarted.stored(), "exactly the uncommitted records, in order");
        assertEquals(Set.of(), restarted.deliveredTwice());
        assertEquals(120, sink.storedCount(), "the hung write stored nothing");
    }

    @Test
    void closeDrainsTheQueueAndTheJournal() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, new CdrWriter.Limits(20_000, BATCH, Duration.ofMillis(50), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(20)));
        writer.start();
        List<CallRecord> all = records("drain", 5_000);
        submitAll(writer, all);
        writer.close();
        assertEquals(all, sink.stored());
        CdrWriter.Counters c = writer.counters();
        assertEquals(5_000, c.written());
        assertEquals(0, c.pending());
        assertEquals(0, c.lost());
        assertFalse(writer.submit(record("late", 1)), "closed");
        assertEquals(1, writer.counters().overflow());
        try (CdrJournal journal = new CdrJournal(dir, 64 * 1024, 1L << 30)) {
            assertEquals(List.of(), journal.replayUncommitted());
        }
    }

    @Test
    void recordsSubmittedBeforeStartAreWrittenByClose() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink);
        List<CallRecord> early = records("early", 10);
        submitAll(writer, early);
        writer.close();
        assertEquals(early, sink.stored());
    }

    @Test
    void submitNeverBlocksEvenWhenTheDatabaseHangs() throws Exception {
        FakeCdrSink hung = new FakeCdrSink().block();
        CdrWriter writer = writer(hung, new CdrWriter.Limits(1_000, BATCH, Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(1)));
        writer.start();
        List<CallRecord> all = records("hung", 20_000);
        int accepted = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            int ok = 0;
            long slowest = 0;
            for (CallRecord r : all) {
                long t = System.nanoTime();
                ok += writer.submit(r) ? 1 : 0;
                slowest = Math.max(slowest, System.nanoTime() - t);
            }
            assertTrue(slowest < Duration.ofMillis(200).toNanos(), "slowest submit took " + slowest + " ns");
            return ok;
        });
        assertEquals(20_000, accepted + writer.counters().overflow());
        waitUntil(() -> writer.counters().journaled() == accepted, WAIT, "accepted records journaled while the database hangs");
        assertTrue(hung.blockedCalls() > 0);
        assertEquals(0, hung.storedCount());
        long start = System.nanoTime();
        writer.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "close is bounded");
        assertEquals(0, writer.counters().lost());
    }

    @Test
    void aFullQueueRefusesRecordsAndCountsThem() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, new CdrWriter.Limits(10, BATCH, Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(5)));
        List<CallRecord> all = records("full", 15); // not started: nothing drains the queue
        int accepted = 0;
        for (CallRecord r : all) {
            accepted += writer.submit(r) ? 1 : 0;
        }
        assertEquals(10, accepted);
        assertEquals(5, writer.counters().overflow());
        assertEquals(10, writer.counters().submitted());
        assertEquals(10, writer.counters().pending());
        writer.close();
        assertEquals(all.subList(0, 10), sink.stored());
    }

    @Test
    void recordsLeftInTheJournalGoFirstAfterAStart() throws Exception {
        List<CallRecord> old = records("old", 30);
        try (CdrJournal journal = new CdrJournal(dir, 64 * 1024, 1L << 30)) {
            journal.append(old);
        }
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink);
        List<CallRecord> fresh = records("new", 20);
        submitAll(writer, fresh);
        writer.start();
        waitUntil(() -> sink.storedCount() == 50, WAIT, "all written");
        List<CallRecord> expected = new ArrayList<>(old);
        expected.addAll(fresh);
        assertEquals(expected, sink.stored());
    }

    @Test
    void aRecordJournaledTwiceIsWrittenOnce() throws Exception {
        List<CallRecord> twice = records("twice", 3);
        try (CdrJournal journal = new CdrJournal(dir, 64 * 1024, 1L << 30)) {
            journal.append(twice);
            journal.append(twice); // as a retried append can leave them
        }
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink);
        writer.start();
        waitUntil(() -> writer.counters().pending() == 0, WAIT, "journal written");
        writer.close();
        assertEquals(twice, sink.stored());
        assertEquals(Set.of(), sink.deliveredTwice());
    }

    @Test
    void manyThreadsSubmittingWhileTheDatabaseFlapsLoseNothing() throws Exception {
        Random random = new Random(42);
        FakeCdrSink flapping = new FakeCdrSink().failWhen(() -> {
            synchronized (random) {
                return random.nextInt(4) == 0;
            }
        });
        CdrWriter writer = writer(flapping);
        writer.start();
        int threads = 8;
        int each = 1_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<CallRecord>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String wave = "thread" + t;
                results.add(pool.submit(() -> {
                    List<CallRecord> mine = records(wave, each);
                    go.await();
                    for (CallRecord r : mine) {
                        assertTrue(writer.submit(r));
                    }
                    return mine;
                }));
            }
            go.countDown();
            Set<String> submitted = new HashSet<>();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (Future<List<CallRecord>> f : results) {
                    submitted.addAll(ids(f.get()));
                }
            });
            assertEquals(threads * each, submitted.size());
            assertTimeoutPreemptively(Duration.ofSeconds(30), writer::close);
            assertEquals(submitted, ids(flapping.stored()));
            assertEquals(threads * each, flapping.storedCount());
            assertEquals(Set.of(), flapping.deliveredTwice());
            CdrWriter.Counters c = writer.counters();
            assertEquals(threads * each, c.submitted());
            assertEquals(threads * each, c.journaled());
            assertEquals(threads * each, c.written());
            assertEquals(0, c.pending());
            assertEquals(0, c.overflow());
            assertTrue(c.retries() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void startsOnce() throws Exception {
        CdrWriter writer = writer(new FakeCdrSink());
        writer.start();
        assertThrows(IllegalStateException.class, writer::start);
        writer.close();
        assertThrows(IllegalStateException.class, writer::start);
        writer.close(); // twice is fine
    }

    // ---- submitDurably: the future completes once the record is forced to disk

    /** A batch wait far longer than any test may take: only a durable request cuts it short. */
    private static final CdrWriter.Limits SLOW_BATCHES = new CdrWriter.Limits(20_000, BATCH, Duration.ofSeconds(30),
            Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5));

    @Test
    void aDurableRecordCompletesOnlyOnceJournaledAndDoesNotWaitForTheBatch() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, SLOW_BATCHES);
        CallRecord plain = record("plain", 1);
        assertTrue(writer.submit(plain));
        CompletableFuture<Void> journaled = writer.submitDurably(record("durable", 1));
        Thread.sleep(200); // not synchronisation: time in which the future must NOT complete
        assertFalse(journaled.isDone(), "not started: nothing is journaled, so the future waits");
        long start = System.nanoTime();
        writer.start();
        journaled.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        long took = System.nanoTime() - start;
        assertTrue(took < Duration.ofSeconds(5).toNanos(), "not the 30 s batch wait: " + took / 1_000_000 + " ms");
        assertEquals(2, writer.counters().journaled(), "on disk when the future completed, with the plain record before it");
        waitUntil(() -> sink.storedCount() == 2, WAIT, "both written");
    }

    @Test
    void aDurableRequestAlsoWakesAJournalThreadWaitingToFillABatch() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, SLOW_BATCHES);
        writer.start();
        assertTrue(writer.submit(record("first", 1))); // the journal thread now waits up to 30 s for more
        Thread.sleep(100); // not synchronisation: time in which nothing may be journaled yet
        assertEquals(0, writer.counters().journaled(), "still filling its batch");
        CompletableFuture<Void> journaled = writer.submitDurably(record("durable", 1));
        journaled.get(5, TimeUnit.SECONDS);
        assertEquals(2, writer.counters().journaled());
    }

    @Test
    void concurrentDurableRequestsAllCompleteWithoutTheBatchWait() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, SLOW_BATCHES);
        writer.start();
        int threads = 16;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> waits = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t;
                waits.add(pool.submit(() -> {
                    go.await();
                    long slowest = 0;
                    for (CallRecord r : records(prefix, perThread)) {
                        long start = System.nanoTime();
                        writer.submitDurably(r).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        slowest = Math.max(slowest, System.nanoTime() - start);
                    }
                    return slowest;
                }));
            }
            long began = System.nanoTime();
            go.countDown();
            long slowest = 0;
            for (Future<Long> wait : waits) {
                slowest = Math.max(slowest, wait.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            long took = System.nanoTime() - began;
            assertEquals(threads * perThread, writer.counters().journaled());
            assertTrue(slowest < Duration.ofSeconds(5).toNanos(), "slowest wait " + slowest / 1_000_000 + " ms");
            System.out.printf("%d durable records from %d threads journaled in %d ms (slowest wait %d ms)%n",
                    threads * perThread, threads, took / 1_000_000, slowest / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
        waitUntil(() -> sink.storedCount() == threads * perThread, WAIT, "all written");
        assertEquals(Set.of(), sink.deliveredTwice());
    }

    @Test
    void aRefusedDurableRecordFailsAtOnce() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, new CdrWriter.Limits(1, BATCH, Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofSeconds(5)));
        CompletableFuture<Void> queued = writer.submitDurably(record("fits", 1)); // not started: stays queued
        CompletableFuture<Void> refused = writer.submitDurably(record("full", 1));
        assertTrue(refused.isCompletedExceptionally(), "queue full");
        ExecutionException why = assertThrows(ExecutionException.class, refused::get);
        assertTrue(why.getCause() instanceof CdrNotJournaledException, why.toString());
        assertEquals(1, writer.counters().overflow());
        writer.close();
        queued.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // close journals what is queued
        CompletableFuture<Void> late = writer.submitDurably(record("late", 1));
        assertTrue(late.isCompletedExceptionally(), "closed");
    }

    @Test
    void haltFailsTheDurableRequestsStillWaiting() throws Exception {
        FakeCdrSink sink = new FakeCdrSink();
        CdrWriter writer = writer(sink, SLOW_BATCHES);
        CompletableFuture<Void> waiting = writer.submitDurably(record("stranded", 1)); // never started
        writer.halt();
        ExecutionException why = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(why.getCause() instanceof CdrNotJournaledException, why.toString());
    }
}
