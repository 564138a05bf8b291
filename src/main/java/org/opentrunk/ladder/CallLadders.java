package org.opentrunk.ladder;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SIP messages of recent calls, by Call-ID (one per leg), in a ring bounded by a number of
 * Call-IDs and a byte budget ({@link LadderLimits}): when either is passed, the Call-IDs seen
 * first are dropped, whole. A CDR finds its two legs by its customer and carrier Call-IDs.
 *
 * <p>The messages' text is kept in a {@link TextArena} (large segments, never copied by the
 * garbage collector), the rest of each message in a small record (issue 23). Cheap on the SIP
 * threads: the text is encoded before the lock is taken; under it, a copy into the arena and a
 * few map and list operations, for adding and for reading alike.
 */
public final class CallLadders {

    /** One kept message but its text, which is in the arena. */
    private record Kept(long sequence, long timeMs, boolean outgoing, String peer, TextArena.Span span, long weight) {
    }

    /** One Call-ID's messages, and the arena segments they were written into. */
    private static final class LegMessages {
        private final List<Kept> messages = new ArrayList<>(8);
        private final List<TextArena.Segment> segments = new ArrayList<>(2);
        private long bytes;
    }

    private final LadderLimits limits;
    private final TextArena arena;
    /** The arena's size limit: the byte budget, a quarter more for segments a kept Call-ID pins, and two segments. */
    private final long arenaLimit;
    /** Call-IDs in the order they were first seen (the eviction order). Guarded by {@code this}. */
    private final LinkedHashMap<String, LegMessages> byCallId = new LinkedHashMap<>();
    private volatile int callIds;
    private volatile long bytes;
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    public CallLadders(LadderLimits limits) {
        this.limits = limits;
        this.arena = new TextArena(limits.bytes());
        this.arenaLimit = limits.bytes() + limits.bytes() / 4 + 2L * arena.segmentBytes();
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
        byte[] text = TextArena.encode(message.text());
        synchronized (this) {
            LegMessages leg = byCallId.get(callId);
            if (leg != null && leg.messages.size() >= limits.messagesPerLeg()) {
                droppedMessages.incrementAndGet();
                return;
            }
            TextArena.Span span = arena.append(text);
            if (span == null) {
                droppedMessages.incrementAndGet(); // larger than a segment
                return;
            }
            if (leg == null) {
                leg = new LegMessages();
                byCallId.put(callId, leg);
            }
            if (!leg.segments.contains(span.segment())) {
                leg.segments.add(span.segment());
                span.segment().liveItems++;
            }
            leg.messages.add(new Kept(message.sequence(), message.timeMs(), message.outgoing(), message.peer(), span, weight));
            leg.bytes += weight;
            bytes += weight;
            evict();
            callIds = byCallId.size();
        }
    }

    /** Drops the oldest Call-IDs while over a limit. Under the lock. */
    private void evict() {
        Iterator<LegMessages> oldestFirst = byCallId.values().iterator();
        while ((byCallId.size() > limits.callIds() || bytes > limits.bytes() || arena.bytesAllocated() > arenaLimit)
                && oldestFirst.hasNext()) {
            LegMessages leg = oldestFirst.next();
            oldestFirst.remove();
            bytes -= leg.bytes;
            for (TextArena.Segment segment : leg.segments) {
                arena.release(segment);
            }
        }
    }

    /** The messages kept for {@code callId}, oldest first; empty when none are (never seen, or evicted). */
    public List<LadderMessage> of(String callId) {
        if (callId == null) {
            return List.of();
        }
        synchronized (this) {
            LegMessages leg = byCallId.get(callId);
            if (leg == null) {
                return List.of();
            }
            List<LadderMessage> messages = new ArrayList<>(leg.messages.size());
            for (Kept k : leg.messages) {
                messages.add(new LadderMessage(k.sequence(), k.timeMs(), k.outgoing(), k.peer(), k.span().text()));
            }
            return List.copyOf(messages);
        }
    }

    /** Call-IDs kept. */
    public int callIds() {
        return callIds;
    }

    /** Bytes the kept messages are counted for. */
    public long bytes() {
        return bytes;
    }

    /** Messages not kept: over a leg's limit, larger than the budget or than an arena segment. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    /** Bytes of the arena's segments in use (the heap the text takes, fragmentation included). */
    public long arenaBytes() {
        synchronized (this) {
            return arena.bytesAllocated();
        }
    }

    /** Bytes of all the arena's segments, those kept for reuse included. */
    public long arenaBytesHeld() {
        synchronized (this) {
            return arena.bytesHeld();
        }
    }
}
