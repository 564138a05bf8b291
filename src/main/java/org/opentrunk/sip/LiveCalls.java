package org.opentrunk.sip;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.opentrunk.call.Call;
import org.opentrunk.call.CallSummary;

/**
 * The calls in progress, for the API and the admin page. A call enters when its carrier leg is
 * created and leaves when it ends or its application session is destroyed, whichever is first.
 */
public final class LiveCalls {

    /** A live call and the node it is on (issue 20). */
    public record NodeCall(String node, org.opentrunk.call.CallSummary summary) {
    }

    private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();
    private final IntConsumer countChanged;
    /** This node's id, and the other nodes' calls (none on a single node). */
    private volatile String nodeId = "";
    private volatile java.util.function.Supplier<java.util.List<NodeCall>> otherNodes = java.util.List::of;

    /** With several nodes: this node's id and where the others' calls are read (the composition root sets it). */
    public void otherNodes(String nodeId, java.util.function.Supplier<java.util.List<NodeCall>> calls) {
        this.nodeId = nodeId;
        this.otherNodes = calls;
    }

    /** The calls of every node: this one's now, the others' as they last posted them. */
    public java.util.List<NodeCall> everywhere() {
        java.util.List<NodeCall> all = new java.util.ArrayList<>();
        summaries().forEach(s -> all.add(new NodeCall(nodeId, s)));
        all.addAll(otherNodes.get());
        return all;
    }

    /** @param countChanged told the number of live calls after each change (the admin's concurrency chart) */
    LiveCalls(IntConsumer countChanged) {
        this.countChanged = countChanged;
    }

    void add(String id, Call call) {
        calls.put(id, call);
        countChanged.accept(calls.size());
    }

    void remove(String id) {
        if (calls.remove(id) != null) {
            countChanged.accept(calls.size());
        }
    }

    /** Live calls per carrier id (calls without a carrier yet are not counted). */
    public java.util.Map<Long, Integer> byCarrier() {
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        for (Call call : calls.values()) {
            long carrier = call.summary().carrierId();
            if (carrier != 0) {
                counts.merge(carrier, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Live calls per customer id. */
    public java.util.Map<Long, Integer> byCustomer() {
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        for (Call call : calls.values()) {
            counts.merge(call.summary().customerId(), 1, Integer::sum);
        }
        return counts;
    }

    /** What each live call looks like now. */
    public List<CallSummary> summaries() {
        Collection<Call> current = calls.values();
        return current.stream().map(Call::summary).toList();
    }
}
