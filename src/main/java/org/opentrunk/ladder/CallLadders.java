package org.opentrunk.ladder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SIP messages of recent calls, by Call-ID (one per leg), in a ring bounded by a number of
 * Call-IDs and a byte budget ({@link LadderLimits}): when either is passed, the Call-IDs seen
 * first are dropped, whole. A CDR finds its two legs by its customer and carrier Call-IDs.
 *
 * <p>Cheap on the SIP threads: adding takes no lock shared between calls (a concurrent map and
 * queue; a leg's own list is locked only against that leg's other messages), evicts at most what
 * it went over by, and never waits on a reader for longer than a copy of one leg's list.
 */
public final class CallLadders {

    /** One Call-ID's messages. */
    private static final class LegMessages {
        private final List<LadderMessage> messages = new ArrayList<>();
        private long bytes;
        private boolean dropped;
    }

    private final LadderLimits limits;
    private final ConcurrentHashMap<String, LegMessages> byCallId = new ConcurrentHashMap<>();
    /** Call-IDs in the order they were first seen: the eviction order. */
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger callIds = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    public CallLadders(LadderLimits limits) {
        this.limits = limits;
    }

    /** The next message's {@link LadderMessage#sequence()}. */
    public long nextSequence() {
        return sequence.incrementAndGet();
    }

    public LadderLimits limits() {
        return limits;
    }

    /** Keeps {@code message} under {@code callId}, then drops the oldest Call-IDs until the ring is within its limits. */
    public void add(String callId, LadderMessage message) {
        if (!limits.enabled() || callId == null || message == null) {
            return;
        }
        long weight = message.weight();
        if (weight > limits.bytes()) {
            droppedMessages.incrementAndGet(); // larger than the whole budget
            return;
        }
        LegMessages leg = byCallId.computeIfAbsent(callId, id -> {
            order.add(id);
            callIds.incrementAndGet();
            return new LegMessages();
        });
        synchronized (leg) {
            if (leg.dropped || leg.messages.size() >= limits.messagesPerLeg()) {
                droppedMessages.incrementAndGet();
                return;
            }
            leg.messages.add(message);
            leg.bytes += weight;
        }
        bytes.addAndGet(weight);
        evict();
    }

    private void evict() {
        while (callIds.get() > limits.callIds() || bytes.get() > limits.bytes()) {
            String oldest = order.poll();
            if (oldest == null) {
                return;
            }
            LegMessages leg = byCallId.remove(oldest);
            if (leg == null) {
                continue;
            }
            callIds.decrementAndGet();
            long freed;
            synchronized (leg) {
                leg.dropped = true;
                freed = leg.bytes;
                leg.bytes = 0;
                leg.messages.clear();
            }
            bytes.addAndGet(-freed);
        }
    }

    /** The messages kept for {@code callId}, oldest first; empty when none are (never seen, or evicted). */
    public List<LadderMessage> of(String callId) {
        LegMessages leg = callId == null ? null : byCallId.get(callId);
        if (leg == null) {
            return List.of();
        }
        synchronized (leg) {
            return List.copyOf(leg.messages);
        }
    }

    /** Call-IDs kept. */
    public int callIds() {
        return callIds.get();
    }

    /** Bytes the kept messages are counted for. */
    public long bytes() {
        return bytes.get();
    }

    /** Messages not kept: over a leg's limit, larger than the budget, or for a leg dropped meanwhile. */
    public long droppedMessages() {
        return droppedMessages.get();
    }
}
