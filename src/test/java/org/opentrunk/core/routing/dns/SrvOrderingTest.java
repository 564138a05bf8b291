package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("IC-ROUTE")
class SrvOrderingTest {

    private static final int DRAWS = 10_000;

    private static SrvEntry srv(int priority, int weight, String target) {
        return new SrvEntry(priority, weight, 5060, target);
    }

    private static List<String> targets(List<SrvEntry> records) {
        return records.stream().map(SrvEntry::target).toList();
    }

    /** How often each target comes first over {@link #DRAWS} seeded orderings. */
    private static Map<String, Integer> firstPlaces(List<SrvEntry> records, long seed) {
        Random random = new Random(seed);
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            List<SrvEntry> order = SrvOrdering.order(records, random);
            assertEquals(records.size(), order.size());
            first.merge(order.get(0).target(), 1, Integer::sum);
        }
        return first;
    }

    private static void assertShare(double expected, int count, String what) {
        double share = count / (double) DRAWS;
        assertTrue(Math.abs(share - expected) < 0.02, what + ": expected about " + expected + ", got " + share);
    }

    @Test
    void lowerPriorityAlwaysComesFirstWhateverTheWeights() {
        List<SrvEntry> records = List.of(srv(20, 1000, "c"), srv(10, 1, "a"), srv(30, 5, "d"), srv(10, 1, "b"));
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            List<String> order = targets(SrvOrdering.order(records, random));
            assertEquals(4, order.size());
            assertTrue(order.subList(0, 2).containsAll(List.of("a", "b")), order.toString());
            assertEquals(List.of("c", "d"), order.subList(2, 4));
        }
    }

    @Test
    void firstPlaceWithinAPriorityFollowsTheWeights() {
        List<SrvEntry> records = List.of(srv(10, 60, "a"), srv(10, 30, "b"), srv(10, 10, "c"));
        Map<String, Integer> first = firstPlaces(records, 42);
        assertShare(0.6, first.getOrDefault("a", 0), "weight 60 of 100 first");
        assertShare(0.3, first.getOrDefault("b", 0), "weight 30 of 100 first");
        assertShare(0.1, first.getOrDefault("c", 0), "weight 10 of 100 first");
    }

    @Test
    void secondPlaceIsDrawnAmongTheRest() {
        // With "a" (weight 3) first, "b" and "c" (1 each) share second place evenly, so "b" is
        // second in 3/5 * 1/2 of orders, plus 1/5 * 1/4 when "c" came first: 0.35.
        List<SrvEntry> records = List.of(srv(0, 3, "a"), srv(0, 1, "b"), srv(0, 1, "c"));
        Random random = new Random(3);
        int bSecond = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (SrvOrdering.order(records, random).get(1).target().equals("b")) {
                bSecond++;
            }
        }
        assertShare(0.35, bSecond, "b second");
    }

    @Test
    void weightZeroHasASmallChanceWhileWeightedRecordsRemain() {
        List<SrvEntry> records = List.of(srv(10, 0, "spare"), srv(10, 99, "main"));
        Map<String, Integer> first = firstPlaces(records, 11);
        // The draw runs from 0 to 99: only 0 picks the weight-0 record, listed first per the RFC.
        assertShare(0.01, first.getOrDefault("spare", 0), "weight 0 first");
        assertTrue(first.getOrDefault("spare", 0) > 0, "weight 0 is sometimes first");
    }

    @Test
    void onlyWeightZeroRecordsComeInEvenlyRandomOrder() {
        List<SrvEntry> records = List.of(srv(10, 0, "a"), srv(10, 0, "b"));
        Map<String, Integer> first = firstPlaces(records, 5);
        assertShare(0.5, first.getOrDefault("a", 0), "a first");
    }

    @Test
    void sameSeedSameOrder() {
        List<SrvEntry> records = List.of(srv(10, 5, "a"), srv(10, 5, "b"), srv(10, 5, "c"), srv(20, 0, "d"));
        assertEquals(SrvOrdering.order(records, new Random(9)), SrvOrdering.order(records, new Random(9)));
    }

    @Test
    void dotTargetMeansServiceNotAvailable() {
        assertEquals(List.of(), SrvOrdering.order(List.of(new SrvEntry(0, 0, 0, ".")), new Random(1)));
        assertEquals(List.of("a"), targets(SrvOrdering.order(List.of(srv(0, 0, "."), srv(5, 1, "a")), new Random(1))));
    }

    @Test
    void noRecordsNoTargets() {
        assertEquals(List.of(), SrvOrdering.order(List.of(), new Random(1)));
    }
}
