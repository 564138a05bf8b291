package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionGuardTest {

    private static final long T0 = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void aFullTrunkRefusesWithOverloadedAndItsRetryAfter() {
        AdmissionGuard guard = new AdmissionGuard(2, 0, 0);
        Admission first = guard.tryAdmit("192.0.2.1", T0);
        Admission second = guard.tryAdmit("192.0.2.2", T0);
        assertInstanceOf(Admission.Admitted.class, first);
        assertInstanceOf(Admission.Admitted.class, second);
        assertEquals(new Admission.Refused(Admission.Reason.OVERLOADED, AdmissionGuard.OVERLOADED_RETRY_AFTER_SECONDS),
                guard.tryAdmit("192.0.2.3", T0));
        assertEquals(2, guard.inProgress());

        assertTrue(((Admission.Admitted) first).release());
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmit("192.0.2.3", T0));
    }

    @Test
    void releaseIsIdempotent() {
        AdmissionGuard guard = new AdmissionGuard(1, 0, 0);
        Admission.Admitted admitted = (Admission.Admitted) guard.tryAdmit("192.0.2.1", T0);
        assertTrue(admitted.release());
        assertFalse(admitted.release());
        assertFalse(admitted.release());
        assertTrue(admitted.isReleased());
        assertEquals(0, guard.inProgress(), "never below zero, never a place given back twice");
    }

    @Test
    void aFastSourceIsRefusedWhileOthersGoOn() {
        AdmissionGuard guard = new AdmissionGuard(10_000, 10, 20);
        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            Admission a = guard.tryAdmit("203.0.113.9", T0);
            if (a instanceof Admission.Admitted) {
                admitted++;
            } else {
                assertEquals(new Admission.Refused(Admission.Reason.SOURCE_RATE,
                        AdmissionGuard.SOURCE_RATE_RETRY_AFTER_SECONDS), a);
            }
        }
        assertEquals(20, admitted, "the burst");
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmit("192.0.2.1", T0), "another source is unaffected");
        assertInstanceOf(Admission.Refused.class, guard.tryAdmit("203.0.113.9", T0 + 50 * MS), "half a token");
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmit("203.0.113.9", T0 + 150 * MS), "1.5 tokens");

        int sustained = 0;
        for (long ms = 200; ms < 10_200; ms += 5) {
            sustained += guard.tryAdmit("203.0.113.9", T0 + ms * MS) instanceof Admission.Admitted ? 1 : 0;
        }
        assertTrue(sustained >= 99 && sustained <= 101, "about 10 per second over 10 s: " + sustained);
    }

    @Test
    void anExemptSourceMeetsOnlyTheCapacity() {
        AdmissionGuard guard = new AdmissionGuard(3, 1, 1);
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmit("198.51.100.7", T0));
        assertInstanceOf(Admission.Refused.class, guard.tryAdmit("198.51.100.7", T0));
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmitExemptSource());
        assertInstanceOf(Admission.Admitted.class, guard.tryAdmitExemptSource());
        assertEquals(Admission.Reason.OVERLOADED, ((Admission.Refused) guard.tryAdmitExemptSource()).reason());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdmissionGuard(0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionGuard(10, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionGuard(10, 10, 0));
    }

    @Test
    void aSprayOfAddressesKeepsTheBucketsBounded() {
        AdmissionGuard guard = new AdmissionGuard(Integer.MAX_VALUE, 5, 5);
        for (int i = 0; i < 4 * AdmissionGuard.MAX_TRACKED_SOURCES; i++) {
            Admission a = guard.tryAdmit("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), T0 + i);
            assertInstanceOf(Admission.Admitted.class, a);
        }
        assertEquals(AdmissionGuard.MAX_TRACKED_SOURCES, guard.trackedSources());
    }

    @Test
    void simultaneousInvitesNeverOverAdmitAndEveryPlaceComesBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                AdmissionGuard guard = new AdmissionGuard(30, 7, 7);
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<Admission> results = new ConcurrentLinkedQueue<>();
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String source = "192.0.2." + (i % 10);
                    tasks.add(pool.submit(() -> {
                        go.await();
                        results.add(guard.tryAdmit(source, T0));
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> task : tasks) {
                    task.get(10, TimeUnit.SECONDS);
                }
                List<Admission.Admitted> admitted = results.stream()
                        .filter(Admission.Admitted.class::isInstance).map(Admission.Admitted.class::cast).toList();
                assertEquals(30, admitted.size(), "ten sources of seven each would be 70; the capacity is 30");
                assertEquals(30, guard.inProgress());

                // Each admitted INVITE released twice, from two threads: the count still ends at zero.
                CountDownLatch release = new CountDownLatch(1);
                List<Future<?>> releases = new ArrayList<>();
                for (Admission.Admitted a : admitted) {
                    for (int twice = 0; twice < 2; twice++) {
                        releases.add(pool.submit(() -> {
                            release.await();
                            a.release();
                            return null;
                        }));
                    }
                }
                release.countDown();
                for (Future<?> task : releases) {
                    task.get(10, TimeUnit.SECONDS);
                }
                assertEquals(0, guard.inProgress());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void perSourceRateHoldsUnderConcurrency() throws Exception {
        AdmissionGuard guard = new AdmissionGuard(10_000, 5, 12);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<Admission> results = new ConcurrentLinkedQueue<>();
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(pool.submit(() -> {
                    go.await();
                    results.add(guard.tryAdmit("203.0.113.9", T0));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS);
            }
            assertEquals(12, results.stream().filter(Admission.Admitted.class::isInstance).count());
        } finally {
            pool.shutdownNow();
        }
    }
}
