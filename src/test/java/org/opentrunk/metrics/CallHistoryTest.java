package org.opentrunk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("IC-ADMIN")
class CallHistoryTest {

    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, CallHistory.BUCKET_MS);

    @Test
    void theLastHourMinuteByMinuteOverallAndPerCarrier() {
        CallHistory history = new CallHistory();
        history.live(1, T0 + 1_000);
        history.live(2, T0 + 2_000);
        history.attempt(7L, true, T0 + 3_000);
        history.live(1, T0 + 4_000);
        history.attempt(7L, false, T0 + 5_000);
        history.attempt(null, false, T0 + 6_000);
        history.attempt(8L, true, T0 + 2 * CallHistory.BUCKET_MS + 1);

        List<CallHistory.Point> points = history.overall(T0 + 2 * CallHistory.BUCKET_MS + 10);
        assertEquals(CallHistory.MINUTES, points.size());
        CallHistory.Point first = points.get(CallHistory.MINUTES - 3);
        assertEquals(T0, first.startMs());
        assertEquals(3, first.attempts());
        assertEquals(1, first.answered());
        assertEquals(2, first.peakLive());
        assertEquals(3 / 60.0, first.callsPerSecond(), 1e-9);
        assertEquals(100.0 / 3, first.answerSeizureRatio(), 1e-9);
        CallHistory.Point quiet = points.get(CallHistory.MINUTES - 2);
        assertEquals(0, quiet.attempts());
        assertNull(quiet.answerSeizureRatio(), "no attempts: no ratio");
        assertEquals(1, quiet.peakLive(), "a minute without events keeps the live count it had");
        assertEquals(1, points.get(CallHistory.MINUTES - 1).peakLive());
        assertEquals(0, points.get(0).peakLive(), "before anything happened");

        List<CallHistory.Point> seven = history.carrier(7L, T0 + 2 * CallHistory.BUCKET_MS + 10);
        assertEquals(2, seven.get(CallHistory.MINUTES - 3).attempts());
        assertEquals(50.0, seven.get(CallHistory.MINUTES - 3).answerSeizureRatio(), 1e-9);
        assertEquals(0, history.carrier(99L, T0).get(CallHistory.MINUTES - 1).attempts());
    }

    @Test
    void anHourLaterTheOldMinutesAreGone() {
        CallHistory history = new CallHistory();
        history.live(5, T0);
        history.attempt(7L, true, T0);
        long later = T0 + (CallHistory.MINUTES + 5) * CallHistory.BUCKET_MS;
        List<CallHistory.Point> points = history.overall(later);
        assertEquals(0, points.stream().mapToLong(CallHistory.Point::attempts).sum());
        assertEquals(5, points.get(0).peakLive(), "the live count carries on from before the window");
        history.attempt(7L, false, later);
        assertEquals(1, history.carrier(7L, later).stream().mapToLong(CallHistory.Point::attempts).sum(),
                "the ring's slot of an hour ago is reused, not added to");
    }

    @Test
    void aCarriersLiveCallsAreSampledAndItsMinutesKeepThePeak() {
        CallHistory history = new CallHistory();
        history.carrierLive(java.util.Map.of(7L, 2, 8L, 0), T0 + 5_000);
        history.carrierLive(java.util.Map.of(7L, 3), T0 + 10_000);
        history.carrierLive(java.util.Map.of(7L, 1), T0 + 15_000);
        history.attempt(7L, true, T0 + CallHistory.BUCKET_MS + 1); // a new minute, not sampled yet: starts at 1
        long now = T0 + 2 * CallHistory.BUCKET_MS + 1;
        history.carrierLive(java.util.Map.of(), now); // none live any more
        List<CallHistory.Point> seven = history.carrier(7L, now);
        assertEquals(3, seven.get(CallHistory.MINUTES - 3).peakLive());
        assertEquals(1, seven.get(CallHistory.MINUTES - 2).peakLive(), "the live count carried into the next minute");
        assertEquals(0, seven.get(CallHistory.MINUTES - 1).peakLive());
        assertEquals(0, history.carrier(8L, now).stream().mapToInt(CallHistory.Point::peakLive).sum(),
                "a carrier with none live gets no series of its own");
        assertEquals(0, history.overall(now).stream().mapToInt(CallHistory.Point::peakLive).sum(),
                "the overall count is told, not sampled");
    }

    @Test
    void carriersAreBounded() {
        CallHistory history = new CallHistory();
        for (long id = 0; id <= CallHistory.MAX_CARRIERS; id++) {
            history.attempt(id, true, T0);
        }
        assertEquals(0, history.carrier(0L, T0).get(CallHistory.MINUTES - 1).attempts(), "the least recently used carrier went");
        assertEquals(1, history.carrier(CallHistory.MAX_CARRIERS, T0).get(CallHistory.MINUTES - 1).attempts());
    }
}
