package org.opentrunk.core.limits;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.opentrunk.core.auth.IpAuthResult.PrefixMiss;

/**
 * Decides which wrong or missing tech prefixes from a customer's address count as failed
 * authentications in the {@link AuthFailureGuard} (IC-IPAUTH): a blind search of the 10^8
 * prefixes from a known or shared address must meet the same block as a password guesser.
 *
 * <ul>
 *   <li>From an address of one customer, every miss counts, as every wrong password does.</li>
 *   <li>From an address several customers share (IC-SHARED-IP), a miss counts unless the same
 *       prefix (or the same absence of one) was counted from that address within the window.
 *       A tenant whose PBX has a mistyped prefix sends it again with every call; counted each
 *       time, one tenant's mistake would block the platform's address, and so every other
 *       tenant, within minutes. A search needs a different prefix for every guess, so repeats
 *       are worthless to it and not counting them costs nothing against it.</li>
 * </ul>
 *
 * <p>Memory is bounded: at most {@value #MAX_SHARED_ADDRESSES} shared addresses remembered (the
 * least recently missed makes room) and at most {@value #MAX_PREFIXES_PER_ADDRESS} prefixes per
 * address (past that, every miss counts: only a search tries so many in one window, and the
 * address is blocked long before). Thread-safe, one short lock.
 */
public final class TechPrefixMisses {

    /** Shared addresses whose recent misses are remembered; there are only as many as customers list. */
    public static final int MAX_SHARED_ADDRESSES = 10_000;

    /** Different prefixes remembered per address within the window. */
    public static final int MAX_PREFIXES_PER_ADDRESS = 64;

    /** Stands for "no prefix at all" among the remembered prefixes. */
    private static final String NO_PREFIX = "";

    private final long windowMs;
    /** Address → prefix → when it was last counted; least recently missed address first. Guarded by itself. */
    private final LinkedHashMap<String, Map<String, Long>> counted = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> eldest) {
            return size() > MAX_SHARED_ADDRESSES;
        }
    };

    /** @param window the guard's failure window (OT_AUTH_FAILURE_WINDOW): a repeat counts again after it */
    public TechPrefixMisses(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.windowMs = window.toMillis();
    }

    /** True when {@code miss} is to be recorded as a failed authentication of its address. */
    public boolean counts(PrefixMiss miss, long nowMs) {
        Objects.requireNonNull(miss, "miss");
        if (!miss.sharedAddress()) {
            return true;
        }
        String prefix = miss.techPrefix().orElse(NO_PREFIX);
        synchronized (counted) {
            Map<String, Long> recent = counted.computeIfAbsent(miss.address(), a -> new HashMap<>());
            recent.values().removeIf(at -> nowMs - at >= windowMs);
            Long last = recent.get(prefix);
            if (last != null) {
                return false; // the same prefix again within the window: a misconfigured tenant retrying
            }
            if (recent.size() < MAX_PREFIXES_PER_ADDRESS) {
                recent.put(prefix, nowMs);
            }
            return true;
        }
    }

    /** Shared addresses with misses remembered (for tests). */
    public int trackedAddresses() {
        synchronized (counted) {
            return counted.size();
        }
    }
}
