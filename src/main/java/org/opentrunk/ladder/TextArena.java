package org.opentrunk.ladder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Where the ladder keeps its messages' text (issue 23): UTF-8 bytes appended to large segments
 * instead of a String per message. The ring holds its calls for seconds to minutes, far longer than
 * a young collection's interval, so text kept as Strings was copied by every young pause until
 * promoted (60-70 MB of them at 500 calls/s). A segment of about a G1 region
 * ({@link #SEGMENT_BYTES}) is allocated in the old generation at once (a "humongous" object) and
 * never copied; a segment whose messages are all gone is reused or let go.
 *
 * <p>Segments are used in order. The owner tells the arena which of its items (a Call-ID's
 * messages) wrote into which segment ({@link Span#segment}) and when an item is gone
 * ({@link #release}); the oldest segments are freed once none of their items is kept. Not
 * thread-safe: {@link CallLadders} calls it under its lock.
 */
final class TextArena {

    /**
     * A segment's size: one G1 region less the array's header and some slack, so that a segment
     * fills a region of its own (a humongous object: at least half a region) instead of spilling a
     * few bytes into a second one, which would double its heap. 1 MiB regions when the region size
     * cannot be read (another collector; G1 picks 1 MiB for heaps up to 4 GiB).
     */
    static final int SEGMENT_BYTES = regionBytes() - 64;
    /** The smallest segment, for small budgets (tests, a tiny OT_LADDER_MB). */
    static final int MIN_SEGMENT_BYTES = 4 * 1024;
    private static final int DEFAULT_REGION_BYTES = 1 << 20;
    private static final int MAX_REGION_BYTES = 32 << 20;

    /** One segment: its bytes, how far they are written, and how many kept items wrote into it. */
    static final class Segment {
        final byte[] bytes;
        int used;
        int liveItems;

        Segment(int size) {
            this.bytes = new byte[size];
        }
    }

    /** Where one message's text is: its segment, offset and length. */
    record Span(Segment segment, int offset, int length) {
        String text() {
            return new String(segment.bytes, offset, length, StandardCharsets.UTF_8);
        }
    }

    /** Freed segments kept for reuse: a ring that turns over allocates nothing (and G1 starts no cycle for it). */
    static final int SPARE_SEGMENTS = 4;

    /** G1's region size, from the running JVM; {@value #DEFAULT_REGION_BYTES} when it cannot be read. */
    private static int regionBytes() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm =
                    java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long bytes = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            return bytes >= DEFAULT_REGION_BYTES && bytes <= MAX_REGION_BYTES ? (int) bytes : DEFAULT_REGION_BYTES;
        } catch (RuntimeException | LinkageError e) {
            return DEFAULT_REGION_BYTES;
        }
    }

    private final int segmentBytes;
    /** Segments in the order they were written, oldest first; the last is the one being written. */
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final ArrayDeque<Segment> spares = new ArrayDeque<>();

    /** An arena for about {@code budgetBytes} of text. */
    TextArena(long budgetBytes) {
        this.segmentBytes = (int) Math.max(MIN_SEGMENT_BYTES, Math.min(SEGMENT_BYTES, budgetBytes / 16));
    }

    int segmentBytes() {
        return segmentBytes;
    }

    /** The text's bytes as stored. */
    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code bytes} (from {@link #encode}); the caller counts the returned span's segment
     * for its item ({@link Segment#liveItems}) if the item had not written into it before. Null when
     * the text is larger than a segment.
     */
    Span append(byte[] bytes) {
        if (bytes.length > segmentBytes) {
            return null;
        }
        Segment current = segments.peekLast();
        if (current == null || segmentBytes - current.used < bytes.length) {
            current = spares.isEmpty() ? new Segment(segmentBytes) : spares.pollFirst();
            current.used = 0;
            current.liveItems = 0;
            segments.addLast(current);
        }
        int offset = current.used;
        System.arraycopy(bytes, 0, current.bytes, offset, bytes.length);
        current.used += bytes.length;
        return new Span(current, offset, bytes.length);
    }

    /** An item that wrote into {@code segment} is gone; frees the oldest segments no kept item uses. */
    void release(Segment segment) {
        segment.liveItems--;
        while (segments.size() > 1 && segments.peekFirst().liveItems <= 0) {
            Segment free = segments.pollFirst();
            if (spares.size() < SPARE_SEGMENTS) {
                spares.addLast(free);
            }
        }
    }

    /** Bytes held in segments in use, written or not (what the ring's limit counts). */
    long bytesAllocated() {
        return (long) segments.size() * segmentBytes;
    }

    /** Bytes of all segments held, the spares kept for reuse included. */
    long bytesHeld() {
        return (long) (segments.size() + spares.size()) * segmentBytes;
    }
}
