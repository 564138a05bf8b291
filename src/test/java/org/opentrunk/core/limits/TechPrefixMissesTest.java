package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.auth.IpAuthResult.PrefixMiss;

/** Which refused tech prefixes count as failed authentications (IC-IPAUTH, IC-SHARED-IP). */
@Tag("IC-IPAUTH")
class TechPrefixMissesTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final String OWN = "192.0.2.10";
    private static final String SHARED = "192.0.2.99";

    private static PrefixMiss own(String prefix) {
        return new PrefixMiss(OWN, 1, Optional.ofNullable(prefix));
    }

    private static PrefixMiss shared(String prefix) {
        return new PrefixMiss(SHARED, 3, Optional.ofNullable(prefix));
    }

    @Test
    void fromOneCustomersAddressEveryMissCountsRepeatsToo() {
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        for (int i = 0; i < 20; i++) {
            assertTrue(misses.counts(own("99999999"), i));
            assertTrue(misses.counts(own(null), i), "a missing prefix counts too");
        }
        assertEquals(0, misses.trackedAddresses(), "nothing remembered for one customer's address");
    }

    @Test
    @Tag("IC-SHARED-IP")
    void fromASharedAddressEachDifferentPrefixCountsOnce() {
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        for (int guess = 0; guess < 30; guess++) {
            assertTrue(misses.counts(shared(String.format("%08d", guess)), guess), "a search tries a new prefix every time");
        }
        assertTrue(misses.counts(shared(null), 100), "no prefix at all is one more miss");
        assertFalse(misses.counts(shared(null), 200), "... once");
    }

    @Test
    @Tag("IC-SHARED-IP")
    void aTenantRepeatingItsMistypedPrefixCountsOncePerWindow() {
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        assertTrue(misses.counts(shared("31000009"), 0));
        for (long t = 1_000; t < WINDOW.toMillis(); t += 1_000) {
            assertFalse(misses.counts(shared("31000009"), t), "every call of the misconfigured PBX at " + t);
        }
        assertTrue(misses.counts(shared("31000009"), WINDOW.toMillis()), "counted again once the window has passed");
        assertTrue(misses.counts(new PrefixMiss("192.0.2.98", 2, Optional.of("31000009")), 1), "per address");
    }

    @Test
    @Tag("IC-SHARED-IP")
    void pastTheRememberedPrefixesEveryMissCounts() {
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        for (int i = 0; i < TechPrefixMisses.MAX_PREFIXES_PER_ADDRESS; i++) {
            misses.counts(shared(String.format("%08d", i)), 0);
        }
        String unremembered = String.format("%08d", TechPrefixMisses.MAX_PREFIXES_PER_ADDRESS);
        assertTrue(misses.counts(shared(unremembered), 1));
        assertTrue(misses.counts(shared(unremembered), 2), "a full memory errs towards counting");
    }

    @Test
    @Tag("IC-SHARED-IP")
    void sharedAddressesRememberedAreBounded() {
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        for (int i = 0; i < TechPrefixMisses.MAX_SHARED_ADDRESSES + 50; i++) {
            misses.counts(new PrefixMiss("10.0." + (i >> 8) + "." + (i & 0xff), 2, Optional.of("12345678")), i);
        }
        assertEquals(TechPrefixMisses.MAX_SHARED_ADDRESSES, misses.trackedAddresses());
    }

    @Test
    void sharedAddressMissesReachTheBlockOnlyWhenTheyDiffer() {
        AuthFailureGuard guard = new AuthFailureGuard(5, WINDOW, Duration.ofMinutes(10));
        TechPrefixMisses misses = new TechPrefixMisses(WINDOW);
        for (int call = 0; call < 50; call++) {
            if (misses.counts(shared("31000009"), call * 100L)) {
                assertFalse(guard.recordFailure(SHARED, call * 100L));
            }
        }
        assertFalse(guard.isBlocked(SHARED, 5_000), "one tenant's mistake does not block the platform");
        boolean blocked = false;
        for (int guess = 0; guess < 4 && !blocked; guess++) {
            PrefixMiss miss = shared(String.format("%08d", guess));
            blocked = misses.counts(miss, 6_000 + guess) && guard.recordFailure(SHARED, 6_000 + guess);
        }
        assertTrue(blocked, "a search is blocked after the limit (the repeated mistake counted once)");
        assertTrue(guard.isBlocked(SHARED, 7_000));
    }
}
