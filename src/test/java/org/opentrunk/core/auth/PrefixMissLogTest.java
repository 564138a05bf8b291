package org.opentrunk.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flood of refused prefixes writes a bounded number of lines, and says what it left out. */
class PrefixMissLogTest {

    @Test
    void atMostTheLimitPerIntervalThenACountOfTheRest() {
        List<String> lines = new ArrayList<>();
        PrefixMissLog log = new PrefixMissLog(lines::add);
        for (int i = 0; i < 10_000; i++) {
            log.refused("miss " + i, i * 1_000L); // 10,000 within 10 ms
        }
        assertEquals(PrefixMissLog.LINES_PER_INTERVAL, lines.size());
        long next = PrefixMissLog.INTERVAL.toNanos();
        log.refused("after", next);
        assertEquals(PrefixMissLog.LINES_PER_INTERVAL + 1, lines.size());
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("Refused tech prefix: after"), last);
        assertTrue(last.contains("(" + (10_000 - PrefixMissLog.LINES_PER_INTERVAL) + " more refusals not logged"), last);
        log.refused("quiet", next + 1);
        assertTrue(!lines.get(lines.size() - 1).contains("not logged"), "the count starts again");
    }
}
