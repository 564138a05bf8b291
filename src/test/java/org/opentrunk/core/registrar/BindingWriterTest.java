package org.opentrunk.core.registrar;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Registrations while the database is down or hangs (issue 25): nobody waits, one write per customer after. */
class BindingWriterTest {

    /** A database that answers, fails, or hangs until released. */
    private static final class FakeDatabase implements BindingPersistence {
        enum Mode { UP, DOWN, HUNG }
        final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);
        final CountDownLatch release = new CountDownLatch(1);
        final ConcurrentHashMap<Long, Integer> writes = new ConcurrentHashMap<>();
        final AtomicInteger deletes = new AtomicInteger();

        private void answer() throws Exception {
            switch (mode.get()) {
                case DOWN -> throw new java.sql.SQLException("connection refused");
                case HUNG -> release.await();
                default -> { }
            }
        }

        @Override
        public void replace(long customerId, List<Binding> current) throws Exception {
            answer();
            writes.merge(customerId, 1, Integer::sum);
        }

        @Override
        public List<Binding> loadUnexpired(long nowMs) {
            return List.of();
        }

        @Override
        public List<Binding> loadCustomer(long customerId, long nowMs) {
            return List.of();
        }

        @Override
        public int deleteExpired(long nowMs) throws Exception {
            answer();
            deletes.incrementAndGet();
            return 0;
        }
    }

    @Test
    void writesWhileTheDatabaseAnswers() throws Exception {
        FakeDatabase db = new FakeDatabase();
        try (BindingWriter writer = new BindingWriter(db, id -> List.of())) {
            assertTrue(writer.write(7).get(5, TimeUnit.SECONDS));
            writer.deleteExpired(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> db.deletes.get() == 1);
            assertEquals(BindingWriter.State.WRITING, writer.state());
        }
    }

    /** Issue 20: each customer written is told (the other nodes read it), a pass that only deleted expired ones is not. */
    @Test
    void eachStoredCustomerIsToldAndAnExpiryPassIsNot() throws Exception {
        FakeDatabase db = new FakeDatabase();
        java.util.List<Long> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BindingWriter writer = new BindingWriter(db, id -> List.of(), told::add)) {
            writer.deleteExpired(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> db.deletes.get() == 1);
            assertTrue(writer.write(7).get(5, TimeUnit.SECONDS));
            assertTrue(writer.write(8).get(5, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
            assertEquals(List.of(7L, 8L), told);
        }
    }

    @Test
    void aDatabaseThatRefusesMakesWritesAnswerAtOnceAndTheyAreMadeWhenItIsBack() throws Exception {
        FakeDatabase db = new FakeDatabase();
        db.mode.set(FakeDatabase.Mode.DOWN);
        try (BindingWriter writer = new BindingWriter(db, id -> List.of())) {
            assertFalse(writer.write(1).get(5, TimeUnit.SECONDS), "the first write fails");
            assertEquals(BindingWriter.State.DATABASE_DOWN, writer.state());
            long started = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                CompletableFuture<Boolean> next = writer.write(1 + i % 3);
                assertTrue(next.isDone() && !next.join(), "known down: answered at once");
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
            writer.deleteExpired(5);
            assertEquals(3, writer.pendingCustomers(), "one pending write per customer, however many REGISTERs");

            db.mode.set(FakeDatabase.Mode.UP);
            await().atMost(BindingWriter.RETRY_EVERY.plusSeconds(5)).until(() -> writer.pendingCustomers() == 0
                    && db.deletes.get() == 1);
            assertEquals(3, db.writes.size());
            db.writes.values().forEach(n -> assertEquals(1, n, "coalesced: " + db.writes));
            assertEquals(BindingWriter.State.WRITING, writer.state());
            assertTrue(writer.write(9).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aDatabaseThatHangsIsTakenAsDownAfterTheBound() throws Exception {
        FakeDatabase db = new FakeDatabase();
        db.mode.set(FakeDatabase.Mode.HUNG);
        try (BindingWriter writer = new BindingWriter(db, id -> List.of())) {
            CompletableFuture<Boolean> first = writer.write(1);
            assertFalse(first.isDone(), "the write hangs");
            await().atMost(BindingWriter.STUCK_AFTER.plusSeconds(2)).until(() -> writer.state() == BindingWriter.State.DATABASE_DOWN);
            CompletableFuture<Boolean> later = writer.write(2);
            assertTrue(later.isDone() && !later.join(), "no one waits behind a hung write");
            db.mode.set(FakeDatabase.Mode.UP);
            db.release.countDown();
            assertTrue(first.get(5, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> db.writes.containsKey(2L) && writer.pendingCustomers() == 0);
            assertEquals(BindingWriter.State.WRITING, writer.state());
        }
    }
}
