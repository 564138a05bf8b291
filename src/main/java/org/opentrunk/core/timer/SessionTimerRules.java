package org.opentrunk.core.timer;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * RFC 4028 session timers (IC-TIMER), per leg of the B2BUA, as plain decisions over header values.
 * OpenTrunk is the UAS on the customer's leg and the UAC on the carrier's leg. Whoever refreshes
 * does so with a re-INVITE at half the interval; the other side tears the call down when no
 * refresh came by {@link #expiryDelaySeconds} (RFC 4028 §10).
 */
public final class SessionTimerRules {

    /** The RFC 4028 minimum of Min-SE; a smaller configured value is only for tests. */
    public static final int RFC_MIN_SE = 90;

    private SessionTimerRules() {
    }

    /** One leg's agreed timer: the interval and whether OpenTrunk sends the refreshes. */
    public record LegTimer(int intervalSeconds, boolean openTrunkRefreshes, boolean peerSupportsTimer) {

        public long refreshDelaySeconds() {
            return Math.max(1, intervalSeconds / 2);
        }

        public long expiryDelaySeconds() {
            return SessionTimerRules.expiryDelaySeconds(intervalSeconds);
        }
    }

    /** What the customer's INVITE asked for, as OpenTrunk answers it (UAS side). */
    public sealed interface UasDecision {
        /** 422 Session Interval Too Small, with OpenTrunk's Min-SE. */
        record TooSmall(int minSe) implements UasDecision {
        }

        /**
         * @param sessionExpiresHeader value for the 2xx, or null when the customer does not support timers
         */
        record Agreed(LegTimer timer, String sessionExpiresHeader) implements UasDecision {
        }
    }

    /**
     * @param sessionExpires the request's Session-Expires value, or null
     * @param supportsTimer  the request lists "timer" in Supported (or Require)
     * @param localMinSe     OpenTrunk's smallest acceptable interval
     * @param defaultSeconds the interval OpenTrunk uses when the request names none
     */
    public static UasDecision asUas(String sessionExpires, boolean supportsTimer, int localMinSe, int defaultSeconds) {
        OptionalInt requested = interval(sessionExpires);
        if (requested.isPresent() && requested.getAsInt() < localMinSe) {
            return new UasDecision.TooSmall(localMinSe);
        }
        int interval = requested.orElse(defaultSeconds);
        if (!supportsTimer) {
            // RFC 4028 §9: the peer cannot refresh, so OpenTrunk does, without Require: timer.
            return new UasDecision.Agreed(new LegTimer(interval, true, false), null);
        }
        String refresher = refresher(sessionExpires);
        boolean uasRefreshes = "uas".equals(refresher);
        return new UasDecision.Agreed(new LegTimer(interval, uasRefreshes, true),
                interval + ";refresher=" + (uasRefreshes ? "uas" : "uac"));
    }

    /** The carrier's 2xx to OpenTrunk's INVITE (UAC side): who refreshes, at what interval. */
    public static LegTimer asUac(String sessionExpiresInAnswer, int requestedSeconds) {
        OptionalInt agreed = interval(sessionExpiresInAnswer);
        if (agreed.isEmpty()) {
            return new LegTimer(requestedSeconds, true, false); // the carrier ignored timers: OpenTrunk refreshes
        }
        return new LegTimer(agreed.getAsInt(), !"uas".equals(refresher(sessionExpiresInAnswer)), true);
    }

    /** RFC 4028 §10: expiry minus the smaller of 32 s and a third of the interval. */
    public static long expiryDelaySeconds(int intervalSeconds) {
        return Math.max(1, intervalSeconds - Math.min(32, intervalSeconds / 3));
    }

    /** The delta-seconds of a Session-Expires or Min-SE value ({@code 1800;refresher=uac}). */
    public static OptionalInt interval(String headerValue) {
        if (headerValue == null) {
            return OptionalInt.empty();
        }
        String number = headerValue.split(";", 2)[0].trim();
        try {
            int seconds = Integer.parseInt(number);
            return seconds > 0 ? OptionalInt.of(seconds) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String refresher(String sessionExpires) {
        if (sessionExpires == null) {
            return null;
        }
        for (String param : sessionExpires.toLowerCase(Locale.ROOT).split(";")) {
            String p = param.trim();
            if (p.startsWith("refresher=")) {
                return p.substring("refresher=".length()).trim();
            }
        }
        return null;
    }
}
