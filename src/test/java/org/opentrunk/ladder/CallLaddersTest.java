package org.opentrunk.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.settings.InvalidSettingException;

@Tag("IC-CDR")
class CallLaddersTest {

    private static LadderMessage message(CallLadders ring, String text) {
        return new LadderMessage(ring.nextSequence(), System.currentTimeMillis(), false, "127.0.0.1:5060", text);
    }

    @Test
    void keepsEachCallIdsMessagesInOrder() {
        CallLadders ring = new CallLadders(LadderLimits.DEFAULTS);
        ring.add("a", message(ring, "INVITE"));
        ring.add("b", message(ring, "INVITE b"));
        ring.add("a", message(ring, "SIP/2.0 200 OK"));
        assertEquals(List.of("INVITE", "SIP/2.0 200 OK"), ring.of("a").stream().map(LadderMessage::text).toList());
        assertEquals(1, ring.of("b").size());
        assertTrue(ring.of("nope").isEmpty());
        assertTrue(ring.of(null).isEmpty());
        assertEquals(2, ring.callIds());
        assertTrue(ring.of("a").get(0).sequence() < ring.of("a").get(1).sequence());
    }

    @Test
    void evictsTheOldestCallsPastTheCallLimit() {
        CallLadders ring = new CallLadders(new LadderLimits(2, 1 << 20, 10)); // 2 calls = 4 Call-IDs
        for (int i = 0; i < 6; i++) {
            ring.add("c" + i, message(ring, "INVITE " + i));
        }
        assertEquals(4, ring.callIds());
        assertTrue(ring.of("c0").isEmpty());
        assertTrue(ring.of("c1").isEmpty());
        assertEquals(1, ring.of("c2").size());
        assertEquals(1, ring.of("c5").size());
        // a message for a Call-ID kept does not reorder it: c2 is still the oldest
        ring.add("c2", message(ring, "BYE"));
        ring.add("c6", message(ring, "INVITE 6"));
        assertTrue(ring.of("c2").isEmpty());
        assertEquals(1, ring.of("c3").size());
    }

    @Test
    void evictsTheOldestCallsPastTheByteBudget() {
        String text = "x".repeat(1000);
        long weight = LadderMessage.OVERHEAD_BYTES + 1000 + "127.0.0.1:5060".length();
        CallLadders ring = new CallLadders(new LadderLimits(1000, weight * 3, 10));
        ring.add("a", message(ring, text));
        ring.add("a", message(ring, text));
        ring.add("b", message(ring, text));
        assertEquals(weight * 3, ring.bytes());
        ring.add("c", message(ring, text)); // over by one message: all of "a" (the oldest) goes
        assertTrue(ring.of("a").isEmpty());
        assertEquals(weight * 2, ring.bytes());
        assertEquals(2, ring.callIds());
        assertTrue(ring.bytes() <= ring.limits().bytes());
    }

    @Test
    void aMessageLargerThanTheBudgetOrPastALegsLimitIsDropped() {
        CallLadders ring = new CallLadders(new LadderLimits(10, 500, 2));
        ring.add("a", message(ring, "y".repeat(600)));
        assertTrue(ring.of("a").isEmpty());
        ring.add("a", message(ring, "1"));
        ring.add("a", message(ring, "2"));
        ring.add("a", message(ring, "3"));
        assertEquals(2, ring.of("a").size());
        assertEquals(2, ring.droppedMessages());
    }

    @Test
    void offKeepsNothing() {
        CallLadders ring = new CallLadders(new LadderLimits(0, 1 << 20, 10));
        ring.add("a", message(ring, "INVITE"));
        assertTrue(ring.of("a").isEmpty());
        assertFalse(ring.limits().enabled());
    }

    @Test
    void staysWithinItsBoundsUnderConcurrentCalls() throws Exception {
        LadderLimits limits = new LadderLimits(50, 64 * 1024, 20);
        CallLadders ring = new CallLadders(limits);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < 5000; i++) {
                    String callId = thread + "-" + i / 3;
                    ring.add(callId, message(ring, "MESSAGE " + "z".repeat(i % 300)));
                }
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(ring.callIds() <= 100, "Call-IDs: " + ring.callIds());
        assertTrue(ring.bytes() <= limits.bytes(), "bytes: " + ring.bytes());
        assertTrue(ring.bytes() >= 0);
    }

    @Test
    void limitsFromTheEnvironment() {
        assertEquals(LadderLimits.DEFAULTS, LadderLimits.from(name -> null));
        LadderLimits set = LadderLimits.from(Map.of("OT_LADDER_CALLS", "500", "OT_LADDER_MB", "8")::get);
        assertEquals(500, set.calls());
        assertEquals(8L * 1024 * 1024, set.bytes());
        assertFalse(LadderLimits.from(Map.of("OT_LADDER_CALLS", "0")::get).enabled());
        InvalidSettingException bad = assertThrows(InvalidSettingException.class,
                () -> LadderLimits.from(Map.of("OT_LADDER_MB", "lots")::get));
        assertTrue(bad.getMessage().contains("OT_LADDER_MB"));
    }

    @Test
    void textComesBackAsItWentInWhateverItsCharacters() {
        CallLadders ring = new CallLadders(LadderLimits.DEFAULTS);
        String text = "INVITE sip:+4930123@x SIP/2.0\r\nFrom: \"Jürgen Müller 東京\" <sip:a@b>;tag=1\r\n\r\n";
        ring.add("u", message(ring, text));
        assertEquals(text, ring.of("u").get(0).text());
        assertEquals("127.0.0.1:5060", ring.of("u").get(0).peer());
    }

    @Test
    void theArenaLetsGoOfSegmentsWhoseCallsAreGoneAndStaysBounded() {
        // 64 KiB budget: 4 KiB segments; 20 calls kept at most
        LadderLimits limits = new LadderLimits(10, 64 * 1024, 50);
        CallLadders ring = new CallLadders(limits);
        String text = "m".repeat(500);
        long arenaLimit = limits.bytes() + limits.bytes() / 4 + 2L * TextArena.MIN_SEGMENT_BYTES;
        for (int i = 0; i < 5_000; i++) {
            ring.add("call-" + i / 4, message(ring, text));
            assertTrue(ring.arenaBytes() <= arenaLimit, "arena " + ring.arenaBytes() + " at " + i);
        }
        assertEquals(20, ring.callIds());
        // the 20 Call-IDs kept hold 80 messages of 500 bytes: about ten 4 KiB segments in use
        assertTrue(ring.arenaBytes() <= 12 * TextArena.MIN_SEGMENT_BYTES, "arena " + ring.arenaBytes());
        assertEquals(4, ring.of("call-1249").size());
        assertTrue(ring.of("call-0").isEmpty());
    }

    @Test
    void aLongCallThatPinsTheOldestSegmentIsDroppedOnceTheArenaIsFull() {
        LadderLimits limits = new LadderLimits(1_000, 64 * 1024, 1_000);
        CallLadders ring = new CallLadders(limits);
        String text = "k".repeat(400);
        ring.add("long", message(ring, text)); // first seen, then a message now and then
        for (int i = 0; i < 2_000; i++) {
            ring.add("short-" + i, message(ring, text));
            if (i % 100 == 0) {
                ring.add("long", message(ring, text));
            }
        }
        long arenaLimit = limits.bytes() + limits.bytes() / 4 + 2L * TextArena.MIN_SEGMENT_BYTES;
        assertTrue(ring.arenaBytes() <= arenaLimit, "arena " + ring.arenaBytes());
        assertTrue(ring.of("long").isEmpty()); // first seen: the oldest, dropped by the budget
        assertEquals(1, ring.of("short-1999").size());
    }
}
