package org.opentrunk.core.routing.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The order in which to try the records of one SRV answer, as RFC 2782 prescribes: lowest
 * priority first; within a priority, a weighted random order, drawn anew on every call so that
 * load spreads over the targets in proportion to their weights.
 *
 * <p>Within a priority the RFC's running-sum selection is repeated until no record is left: the
 * remaining records are listed with the weight-0 ones first, a number is drawn uniformly from 0 to
 * the sum of their weights (inclusive), and the first record whose running sum reaches it is next.
 * A weight-0 record is thus picked only when the draw is 0, a small chance while weighted records
 * remain. Records whose target is {@code "."} (service not available) are left out.
 */
public final class SrvOrdering {

    private SrvOrdering() {
    }

    /**
     * @param records one SRV answer, any order
     * @param random  source of the weighted draws; seed it in tests
     * @return the records to try, first one first; empty when the service is not available
     */
    public static List<SrvEntry> order(List<SrvEntry> records, RandomGenerator random) {
        Map<Integer, List<SrvEntry>> byPriority = new TreeMap<>();
        for (SrvEntry record : records) {
            if (!record.notAvailable()) {
                byPriority.computeIfAbsent(record.priority(), p -> new ArrayList<>()).add(record);
            }
        }
        List<SrvEntry> ordered = new ArrayList<>();
        for (List<SrvEntry> samePriority : byPriority.values()) {
            ordered.addAll(weightedOrder(samePriority, random));
        }
        return ordered;
    }

    private static List<SrvEntry> weightedOrder(List<SrvEntry> samePriority, RandomGenerator random) {
        // The RFC allows "any order" apart from weight 0 first; shuffling first gives records of
        // equal (or zero) weight an equal chance whatever order the server listed them in.
        List<SrvEntry> remaining = new ArrayList<>(samePriority);
        shuffle(remaining, random);
        remaining.sort((a, b) -> Boolean.compare(a.weight() != 0, b.weight() != 0));
        List<SrvEntry> order = new ArrayList<>(remaining.size());
        while (!remaining.isEmpty()) {
            long sum = 0;
            for (SrvEntry record : remaining) {
                sum += record.weight();
            }
            long draw = random.nextLong(sum + 1);
            long runningSum = 0;
            for (int i = 0; i < remaining.size(); i++) {
                runningSum += remaining.get(i).weight();
                if (runningSum >= draw) {
                    order.add(remaining.remove(i));
                    break;
                }
            }
        }
        return order;
    }

    private static void shuffle(List<SrvEntry> list, RandomGenerator random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }
}
