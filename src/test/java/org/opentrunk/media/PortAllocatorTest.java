package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OT_RTP_PORTS: even RTP, odd RTCP, bounded, every pair comes back. */
class PortAllocatorTest {

    @Test
    void aRangeHoldsEvenOddPairs() {
        assertEquals(5000, PortRange.DEFAULT.pairs());
        assertEquals(20000, PortRange.DEFAULT.firstRtpPort());
        PortRange odd = new PortRange(20001, 20006);
        assertEquals(20002, odd.firstRtpPort());
        assertEquals(2, odd.pairs()); // 20002/20003, 20004/20005; 20006 has no partner
        assertEquals(new PortRange(20000, 29999), PortRange.parse(" 20000 - 29999 "));
        assertThrows(IllegalArgumentException.class, () -> PortRange.parse("20000"));
        assertThrows(IllegalArgumentException.class, () -> PortRange.parse("20000-x"));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(20001, 20002));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(80, 20000));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(30000, 20000));
    }

    @Test
    void handsOutEveryEvenPortUntilFullAndTakesThemBack() throws Exception {
        PortAllocator allocator = new PortAllocator(new PortRange(20000, 20007));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ports.add((int) allocator.<Integer>allocate(port -> port));
        }
        assertEquals(Set.of(20000, 20002, 20004, 20006), ports);
        assertEquals(4, allocator.inUse());
        NoFreePortsException full = assertThrows(NoFreePortsException.class, () -> allocator.allocate(port -> port));
        assertEquals(503, full.sipStatus());

        allocator.release(20002);
        allocator.release(20002); // twice: no effect
        allocator.release(20003); // not a pair's RTP port: no effect
        allocator.release(40000); // outside: no effect
        assertEquals(3, allocator.inUse());
        assertEquals(20002, (int) allocator.<Integer>allocate(port -> port), "the only one left, quarantined or not");
        for (int port : ports) {
            allocator.release(port);
        }
        assertEquals(0, allocator.inUse());
        assertEquals(4, allocator.available());
    }

    @Test
    @Tag("IC-DIRECT")
    void choosesPairsAtRandomSoThatTheNextCallsPortCannotBeGuessed() throws Exception {
        // issue 25, RTP bleed: in order, one call's port gave away the next one's
        PortRange range = new PortRange(20000, 21999); // 1000 pairs
        PortAllocator allocator = new PortAllocator(range);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ports.add((int) allocator.<Integer>allocate(port -> port));
        }
        int consecutive = 0;
        for (int i = 1; i < ports.size(); i++) {
            if (ports.get(i) == ports.get(i - 1) + 2) {
                consecutive++;
            }
        }
        // a uniform choice makes a neighbour about 1 in 1000 per step; in order it is every step
        assertTrue(consecutive < 10, "next port is the previous one + 2 in " + consecutive + " of 199 steps");
        assertEquals(200, new HashSet<>(ports).size(), "never one pair twice");
        int lowHalf = (int) ports.stream().filter(p -> p < 21000).count();
        assertTrue(lowHalf > 60 && lowHalf < 140, "spread over the range: " + lowHalf + " of 200 in the lower half");
    }

    @Test
    void aJustReleasedPairIsNotReusedWhileOthersAreFree() throws Exception {
        PortAllocator allocator = new PortAllocator(new PortRange(20000, 20079)); // 40 pairs, 10 quarantined
        for (int round = 0; round < 50; round++) {
            int first = allocator.allocate(port -> port);
            allocator.release(first);
            Set<Integer> next = new HashSet<>();
            for (int i = 0; i < 29; i++) {
                next.add(allocator.<Integer>allocate(port -> port));
            }
            assertFalse(next.contains(first), "a released pair waits while 29 others are free");
            next.forEach(allocator::release);
        }
    }

    @Test
    void aPairThatFailsToBindIsSkippedAndStaysFree() throws Exception {
        PortAllocator allocator = new PortAllocator(new PortRange(20000, 20007));
        int port = allocator.<Integer>allocate(candidate -> {
            if (candidate < 20004) {
                throw new IOException("taken by another process");
            }
            return candidate;
        });
        assertTrue(port >= 20004, "a pair that failed to bind is not handed out: " + port);
        assertEquals(1, allocator.inUse());
        assertThrows(NoFreePortsException.class, () -> allocator.allocate(candidate -> {
            throw new IOException("all taken");
        }));
        assertEquals(1, allocator.inUse(), "failed pairs are not counted as used");
    }
}
