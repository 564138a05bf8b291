package org.opentrunk.ladder;

import java.util.function.Function;
import org.opentrunk.core.settings.InvalidSettingException;

/**
 * How much of the recent calls' SIP the ring keeps: at most {@code calls} calls (each call is two
 * Call-IDs, one per leg) and {@code bytes} of message text; the oldest calls go first.
 *
 * @param calls          calls kept ({@code OT_LADDER_CALLS}; 0 turns capture off)
 * @param bytes          byte budget of the messages ({@code OT_LADDER_MB}, megabytes)
 * @param messagesPerLeg messages kept per Call-ID: a long call's re-INVITEs and OPTIONS stop being
 *                       kept past this, so one call cannot push the others out
 */
public record LadderLimits(int calls, long bytes, int messagesPerLeg) {

    public static final int DEFAULT_CALLS = 10_000;
    public static final int DEFAULT_MEGABYTES = 256;
    public static final int MAX_CALLS = 1_000_000;
    public static final int MAX_MEGABYTES = 16_384;
    public static final int MESSAGES_PER_LEG = 200;
    /** Legs per call: the customer's and the carrier's (failover targets add more, counted alike). */
    static final int LEGS_PER_CALL = 2;

    public static final LadderLimits DEFAULTS = new LadderLimits(DEFAULT_CALLS, DEFAULT_MEGABYTES * 1024L * 1024L, MESSAGES_PER_LEG);

    public LadderLimits {
        if (calls < 0 || bytes < 0 || messagesPerLeg < 1) {
            throw new IllegalArgumentException("calls " + calls + ", bytes " + bytes + ", messagesPerLeg " + messagesPerLeg);
        }
    }

    /** Capture is on. */
    public boolean enabled() {
        return calls > 0 && bytes > 0;
    }

    /** Call-IDs kept: one per leg. */
    int callIds() {
        return (int) Math.min(Integer.MAX_VALUE, (long) calls * LEGS_PER_CALL);
    }

    /** From {@code OT_LADDER_CALLS} and {@code OT_LADDER_MB}; a bad value stops the start with its name. */
    public static LadderLimits from(Function<String, String> environment) {
        int calls = number(environment, "OT_LADDER_CALLS", DEFAULT_CALLS, MAX_CALLS);
        int megabytes = number(environment, "OT_LADDER_MB", DEFAULT_MEGABYTES, MAX_MEGABYTES);
        return new LadderLimits(calls, megabytes * 1024L * 1024L, MESSAGES_PER_LEG);
    }

    private static int number(Function<String, String> environment, String name, int fallback, int max) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidSettingException(name, value, "a whole number from 0 to " + max);
    }

    @Override
    public String toString() {
        return enabled() ? calls + " calls, " + bytes / (1024 * 1024) + " MB" : "off";
    }
}
