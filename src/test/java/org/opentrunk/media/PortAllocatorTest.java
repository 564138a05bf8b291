package org.opentrunk.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
    void handsOutEvenPortsRoundRobinUntilFullAndTakesThemBack() throws Exception {
        PortAllocator allocator = new PortAllocator(new PortRange(20000, 20007));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ports.add((int) allocator.<Integer>allocate(port -> port));
        }
        assertEquals(List.of(20000, 20002, 20004, 20006), ports);
        assertEquals(4, allocator.inUse());
        NoFreePortsException full = assertThrows(NoFreePortsException.class, () -> allocator.allocate(port -> port));
        assertEquals(503, full.sipStatus());

        allocator.release(20002);
        allocator.release(20002); // twice: no effect
        allocator.release(20003); // not a pair's RTP port: no effect
        allocator.release(40000); // outside: no effect
        assertEquals(3, allocator.inUse());
        assertEquals(20002, (int) allocator.<Integer>allocate(port -> port));
        for (int port : ports) {
            allocator.release(port);
        }
        assertEquals(0, allocator.inUse());
        assertEquals(4, allocator.available());
    }

    @Test
    void aJustReleasedPairIsTheLastToBeReused() throws Exception {
        PortAllocator allocator = new PortAllocator(new PortRange(20000, 20007));
        int first = allocator.allocate(port -> port);
        allocator.release(first);
        assertEquals(20002, (int) allocator.<Integer>allocate(port -> port));
        assertEquals(20004, (int) allocator.<Integer>allocate(port -> port));
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
        assertEquals(20004, (int) port);
        assertEquals(1, allocator.inUse());
        assertThrows(NoFreePortsException.class, () -> allocator.allocate(candidate -> {
            throw new IOException("all taken");
        }));
        assertEquals(1, allocator.inUse(), "failed pairs are not counted as used");
    }
}
