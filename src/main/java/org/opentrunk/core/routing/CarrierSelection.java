package org.opentrunk.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.opentrunk.core.config.Carrier;

/**
 * The order in which an outbound call tries carriers: enabled carriers that are not marked down,
 * lowest priority value first; among carriers of equal priority a weighted random order (as
 * RFC 2782 orders SRV targets), so that weight 3 against weight 1 takes about three calls in four
 * first. A weight of 0 is tried after the weighted ones of its priority.
 */
public final class CarrierSelection {

    private CarrierSelection() {
    }

    /**
     * @param carriers all carriers, any order
     * @param down     ids of carriers the OPTIONS probe currently marks down
     */
    public static List<Carrier> order(List<Carrier> carriers, Set<Long> down, RandomGenerator random) {
        Map<Integer, List<Carrier>> byPriority = new TreeMap<>();
        for (Carrier c : carriers) {
            if (c.enabled() && !down.contains(c.id())) {
                byPriority.computeIfAbsent(c.priority(), p -> new ArrayList<>()).add(c);
            }
        }
        List<Carrier> ordered = new ArrayList<>();
        for (List<Carrier> group : byPriority.values()) {
            ordered.addAll(weightedOrder(group, random));
        }
        return ordered;
    }

    /**
     * The order for calls that must not fail for want of a carrier (IC-EMERGENCY): {@link #order}'s
     * carriers first, then the enabled ones the probe marks down, in the same kind of order. A
     * carrier that does not answer OPTIONS may still take calls, so it is tried last, never left out.
     */
    public static List<Carrier> orderDownLast(List<Carrier> carriers, Set<Long> down, RandomGenerator random) {
        List<Carrier> ordered = order(carriers, down, random);
        List<Carrier> downOnes = carriers.stream().filter(c -> down.contains(c.id())).toList();
        ordered.addAll(order(downOnes, Set.of(), random));
        return ordered;
    }

    private static List<Carrier> weightedOrder(List<Carrier> group, RandomGenerator random) {
        List<Carrier> weighted = new ArrayList<>();
        List<Carrier> zero = new ArrayList<>();
        for (Carrier c : group) {
            (c.weight() > 0 ? weighted : zero).add(c);
        }
        List<Carrier> order = new ArrayList<>(group.size());
        while (!weighted.isEmpty()) {
            int total = weighted.stream().mapToInt(Carrier::weight).sum();
            int pick = random.nextInt(total);
            for (int i = 0; i < weighted.size(); i++) {
                pick -= weighted.get(i).weight();
                if (pick < 0) {
                    order.add(weighted.remove(i));
                    break;
                }
            }
        }
        order.addAll(zero);
        return order;
    }
}
