package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.opentrunk.core.registrar.TestRegister.NOW;
import static org.opentrunk.core.registrar.TestRegister.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registrar's memory: decide-and-apply per customer, expiry, capacity, startup load. */
class BindingTableTest {

    private static final RegistrarLimits LIMITS = RegistrarLimits.DEFAULTS;

    private static List<Binding> updated(RegisterOutcome outcome) {
        return assertInstanceOf(RegisterOutcome.Updated.class, outcome, outcome::toString).current();
    }

    @Test
    void aRegisterIsDecidedAgainstAndKeptInTheTable() {
        BindingTable table = new BindingTable();
        List<Binding> first = updated(table.register(register("<sip:100@192.168.1.5>").headers(), LIMITS));
        assertEquals(first, table.current(TestRegister.CUSTOMER, NOW));
        List<Binding> second = updated(table.register(register("<sip:101@192.168.1.6>").cseq(2).after(1).headers(), LIMITS));
        assertEquals(2, second.size());
        assertEquals(second, table.current(TestRegister.CUSTOMER, NOW + 1000));
        assertEquals(2, table.size());
        assertEquals(List.of(), table.current(8, NOW), "other customers have nothing");
    }

    @Test
    void refusalsAndFetchesLeaveTheTableAlone() {
        BindingTable table = new BindingTable();
        table.register(register("<sip:100@192.168.1.5>").cseq(5).headers(), LIMITS);
        List<Binding> before = table.all();
        assertEquals(RegisterProblem.CSEQ_OUT_OF_ORDER, ((RegisterOutcome.Rejected) table.register(
                register("<sip:100@192.168.1.5>;expires=0").cseq(4).headers(), LIMITS)).problem());
        assertEquals(new RegisterOutcome.IntervalTooBrief(60), table.register(
                register("<sip:100@192.168.1.5>;expires=1").cseq(6).headers(), LIMITS));
        assertEquals(RegisterProblem.MALFORMED_CONTACT, ((RegisterOutcome.Rejected) table.register(
                register("<sip:100@").cseq(6).headers(), LIMITS)).problem());
        assertEquals(new RegisterOutcome.Fetch(TestRegister.CUSTOMER, before), table.register(register().cseq(6).headers(), LIMITS));
        assertEquals(before, table.all());
    }

    @Test
    void removingTheLastBindingForgetsTheCustomer() {
        BindingTable table = new BindingTable();
        table.register(register("<sip:100@192.168.1.5>").headers(), LIMITS);
        assertEquals(List.of(), updated(table.register(register("*").expires("0").cseq(2).headers(), LIMITS)));
        assertEquals(0, table.size());
        assertEquals(List.of(), table.all());
    }

    @Test
    void expiredBindingsAreHiddenAtOnceAndRemovedBySweeping() {
        BindingTable table = new BindingTable();
        table.register(register("<sip:100@192.168.1.5>;expires=60", "<sip:101@192.168.1.6>").headers(), LIMITS);
        table.register(register("<sip:200@10.0.0.1>;expires=60").customer(8).headers(), LIMITS);
        long later = NOW + 60_000;
        assertEquals(List.of("sip:101@192.168.1.6"),
                table.current(TestRegister.CUSTOMER, later).stream().map(Binding::contactUri).toList());
        assertEquals(3, table.size(), "hidden, not yet removed");
        List<Binding> removed = table.removeExpired(later);
        assertEquals(Set.of("sip:100@192.168.1.5", "sip:200@10.0.0.1"),
                Set.copyOf(removed.stream().map(Binding::contactUri).toList()));
        assertEquals(1, table.size());
        assertEquals(List.of(), table.removeExpired(later), "nothing twice");
    }

    @Test
    void aFullTableRefusesGrowthWith503ButStillRefreshesAndRemoves() {
        BindingTable table = new BindingTable(2);
        table.register(register("<sip:100@192.168.1.5>", "<sip:101@192.168.1.6>").headers(), LIMITS);
        RegisterOutcome full = table.register(register("<sip:300@10.0.0.3>").customer(9).headers(), LIMITS);
        assertEquals(RegisterProblem.REGISTRATIONS_FULL, ((RegisterOutcome.Rejected) full).problem());
        assertEquals(503, full.status());
        assertEquals(List.of(), table.current(9, NOW));
        assertEquals(2, updated(table.register(register("<sip:100@192.168.1.5>").cseq(2).headers(), LIMITS)).size());
        assertEquals(1, updated(table.register(register("<sip:101@192.168.1.6>;expires=0").cseq(3).headers(), LIMITS)).size());
        assertEquals(1, updated(table.register(register("<sip:300@10.0.0.3>").customer(9).headers(), LIMITS)).size(),
                "room again");
        assertEquals(2, table.size());
    }

    @Test
    void loadFillsTheTableAtStartupWithinItsCapacity() {
        List<Binding> seven = register("<sip:100@192.168.1.5>", "<sip:101@192.168.1.6>").apply(List.of());
        List<Binding> eight = register("<sip:200@10.0.0.1>").customer(8).apply(List.of());
        List<Binding> all = new ArrayList<>(seven);
        all.addAll(eight);
        BindingTable table = new BindingTable(2);
        assertEquals(1, table.load(all), "one left out: the capacity is two");
        assertEquals(seven, table.current(TestRegister.CUSTOMER, NOW));
        BindingTable roomy = new BindingTable();
        assertEquals(0, roomy.load(all));
        assertEquals(0, roomy.load(seven), "loading the same contacts again replaces them");
        assertEquals(3, roomy.size());
        assertEquals(RegisterProblem.CSEQ_OUT_OF_ORDER, ((RegisterOutcome.Rejected) roomy.register(
                register("<sip:100@192.168.1.5>").headers(), LIMITS)).problem(), "loaded bindings keep their CSeq");
    }

    @Test
    void removingACustomerDropsItsBindings() {
        BindingTable table = new BindingTable();
        table.register(register("<sip:100@192.168.1.5>").headers(), LIMITS);
        table.register(register("<sip:200@10.0.0.1>").customer(8).headers(), LIMITS);
        assertEquals(1, table.remove(TestRegister.CUSTOMER).size());
        assertEquals(List.of(), table.remove(TestRegister.CUSTOMER));
        assertEquals(1, table.size());
        assertEquals(8, table.all().get(0).customerId());
    }

    @Test
    void concurrentRegistersOfOneCustomerLoseNoUpdate() throws Exception {
        BindingTable table = new BindingTable();
        RegistrarLimits roomy = new RegistrarLimits(60, 3600, 3600, 100);
        int threads = 4;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // Phones of one PBX registering at once: a read-decide-write race would drop some.
                        updated(table.register(register("<sip:" + (thread * 1000 + i) + "@192.168.1.5>")
                                .callId("phone-" + thread + "-" + i).headers(), roomy));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, table.current(TestRegister.CUSTOMER, NOW).size());
            assertEquals(threads * perThread, table.size(), "the count matches the contents");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCustomersNeverExceedTheCapacity() throws Exception {
        int capacity = 50;
        BindingTable table = new BindingTable(capacity);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int customer = 0; customer < 40; customer++) {
                        table.register(register("<sip:1@10.0.0.1>", "<sip:2@10.0.0.2>")
                                .customer(thread * 100L + customer).headers(), LIMITS);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(capacity, table.size());
            assertEquals(capacity, table.all().size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Issue 20: another node stored the customer's bindings; this node's table takes exactly those. */
    @Test
    void aCustomersBindingsAreReplacedByWhatAnotherNodeStored() {
        BindingTable here = new BindingTable();
        here.register(register("<sip:100@192.168.1.5>").headers(), LIMITS);
        BindingTable there = new BindingTable();
        List<Binding> stored = updated(there.register(register("<sip:101@192.168.1.6>").headers(), LIMITS));
        assertEquals(0, here.replace(TestRegister.CUSTOMER, stored));
        assertEquals(stored, here.current(TestRegister.CUSTOMER, NOW));
        assertEquals(1, here.size());
        here.replace(TestRegister.CUSTOMER, List.of());
        assertEquals(0, here.size(), "none stored: none here");
    }
}
