package org.opentrunk.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last hour of calls, minute by minute, for the admin pages' charts: attempts, answered ones and
 * the peak of concurrent calls, overall and per carrier. The overall concurrency is exact (told at
 * each change); a carrier's is sampled ({@link #carrierLive}, every {@link #CARRIER_LIVE_SAMPLE}: a
 * live call's carrier changes while it fails over, and counting per carrier at each change would
 * cost a pass over the live calls each time), so a call shorter than that may be missed there. Held in memory, bounded:
 * {@value #MINUTES} buckets per series and at most {@value #MAX_CARRIERS} carriers (the least
 * recently used one is dropped first); a restart starts an empty hour. Prometheus keeps the long
 * history (/metrics); this is what the admin sees without one.
 *
 * <p>Attempts count in the minute their CDR is written (when the attempt ends), so a call that
 * lasted ten minutes counts at its end. Thread-safe (one lock, O(1) per event).
 */
public final class CallHistory {

    /** Buckets kept: one hour. */
    public static final int MINUTES = 60;
    /** A bucket's length. */
    public static final long BUCKET_MS = 60_000;
    /** Carriers with a series of their own. */
    public static final int MAX_CARRIERS = 500;
    /** How often the carriers' live calls are counted for their charts. */
    public static final java.time.Duration CARRIER_LIVE_SAMPLE = java.time.Duration.ofSeconds(5);

    /** One minute: attempts ended in it, how many were answered, and the most calls live at once. */
    public record Point(long startMs, long attempts, long answered, int peakLive) {
        /** Attempts per second over the minute. */
        public double callsPerSecond() {
            return attempts * 1000.0 / BUCKET_MS;
        }

        /** Answered share of the attempts in percent, or null when there were none. */
        public Double answerSeizureRatio() {
            return attempts == 0 ? null : answered * 100.0 / attempts;
        }
    }

    /** A ring of per-minute counts. */
    private static final class Series {
        final long[] minute = new long[MINUTES];
        final long[] attempts = new long[MINUTES];
        final long[] answered = new long[MINUTES];
        final int[] peakLive = new int[MINUTES];
        final int[] endLive = new int[MINUTES];
        /** The live calls last told: what a minute starts with. */
        int lastLive;

        Series() {
            java.util.Arrays.fill(minute, Long.MIN_VALUE);
        }

        /** The slot of {@code m}, emptied first when it held an older minute (its live count from before). */
        int slot(long m) {
            int i = (int) Math.floorMod(m, (long) MINUTES);
            if (minute[i] != m) {
                minute[i] = m;
                attempts[i] = 0;
                answered[i] = 0;
                peakLive[i] = lastLive;
                endLive[i] = lastLive;
            }
            return i;
        }

        /** {@code count} calls live now. */
        void live(long m, int count) {
            lastLive = count;
            int i = slot(m);
            peakLive[i] = Math.max(peakLive[i], count);
            endLive[i] = count;
        }

        List<Point> points(long nowMinute) {
            // The live count before the window: the newest bucket that fell out of it.
            int carry = 0;
            long newestStale = Long.MIN_VALUE;
            for (int i = 0; i < MINUTES; i++) {
                if (minute[i] != Long.MIN_VALUE && minute[i] <= nowMinute - MINUTES && minute[i] > newestStale) {
                    newestStale = minute[i];
                    carry = endLive[i];
                }
            }
            List<Point> points = new ArrayList<>(MINUTES);
            for (long m = nowMinute - MINUTES + 1; m <= nowMinute; m++) {
                int i = (int) Math.floorMod(m, (long) MINUTES);
                if (minute[i] == m) {
                    points.add(new Point(m * BUCKET_MS, attempts[i], answered[i], peakLive[i]));
                    carry = endLive[i];
                } else {
                    points.add(new Point(m * BUCKET_MS, 0, 0, carry));
                }
            }
            return points;
        }
    }

    private final Series total = new Series();
    private final Map<Long, Series> carriers = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Series> eldest) {
            return size() > MAX_CARRIERS;
        }
    };

    /** An attempt ended (its CDR was written) at {@code nowMs}; {@code carrierId} null when no carrier was involved. */
    public synchronized void attempt(Long carrierId, boolean answered, long nowMs) {
        long m = Math.floorDiv(nowMs, BUCKET_MS);
        count(total, m, answered);
        if (carrierId != null) {
            count(carriers.computeIfAbsent(carrierId, id -> new Series()), m, answered);
        }
    }

    private void count(Series series, long m, boolean answered) {
        int i = series.slot(m);
        series.attempts[i]++;
        if (answered) {
            series.answered[i]++;
        }
    }

    /** The number of live calls changed to {@code now} at {@code nowMs}. */
    public synchronized void live(int now, long nowMs) {
        total.live(Math.floorDiv(nowMs, BUCKET_MS), now);
    }

    /**
     * A sample of the live calls per carrier at {@code nowMs}: each carrier's minute keeps its peak.
     * Carriers not named have none live now.
     */
    public synchronized void carrierLive(Map<Long, Integer> liveByCarrier, long nowMs) {
        long m = Math.floorDiv(nowMs, BUCKET_MS);
        for (Map.Entry<Long, Series> known : carriers.entrySet()) {
            if (!liveByCarrier.containsKey(known.getKey())) {
                known.getValue().live(m, 0);
            }
        }
        liveByCarrier.forEach((id, count) -> {
            Series series = count > 0 ? carriers.computeIfAbsent(id, x -> new Series()) : carriers.get(id);
            if (series != null) {
                series.live(m, count);
            }
        });
    }

    /** The last {@value #MINUTES} minutes overall, oldest first, the current (partial) minute last. */
    public synchronized List<Point> overall(long nowMs) {
        return total.points(Math.floorDiv(nowMs, BUCKET_MS));
    }

    /** The same for one carrier (its live calls as sampled); all zero for a carrier without calls. */
    public synchronized List<Point> carrier(long carrierId, long nowMs) {
        Series series = carriers.get(carrierId);
        return (series == null ? new Series() : series).points(Math.floorDiv(nowMs, BUCKET_MS));
    }
}
