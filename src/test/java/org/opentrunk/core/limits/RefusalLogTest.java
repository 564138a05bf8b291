package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refused prefixes writes a bounded number of lines, and says what it left out. */
class RefusalLogTest {

    @Test
    void atMostTheLimitPerIntervalThenACountOfTheRest() {
        List<String> lines = new ArrayList<>();
        RefusalLog log = new RefusalLog("Refused tech prefix", lines::add);
        for (int i = 0; i < 10_000; i++) {
            log.refused("miss " + i, i * 1_000L); // 10,000 within 10 ms
        }
        assertEquals(RefusalLog.LINES_PER_INTERVAL, lines.size());
        long next = RefusalLog.INTERVAL.toNanos();
        log.refused("after", next);
        assertEquals(RefusalLog.LINES_PER_INTERVAL + 1, lines.size());
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("Refused tech prefix: after"), last);
        assertTrue(last.contains("(" + (10_000 - RefusalLog.LINES_PER_INTERVAL) + " more refusals not logged"), last);
        log.refused("quiet", next + 1);
        assertTrue(!lines.get(lines.size() - 1).contains("not logged"), "the count starts again");
    }
}
