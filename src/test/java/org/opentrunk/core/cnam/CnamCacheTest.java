package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CnamCacheTest {

    private static final long T0 = 5_000_000_000L;
    private static final ProviderAnswer NAME = new ProviderAnswer.Name("JOHN SMITH");

    @Test
    void eachKindOfAnswerExpiresAfterItsOwnTime() {
        CnamCache cache = new CnamCache();
        cache.put("+1", NAME, T0);
        cache.put("+2", new ProviderAnswer.NoName(), T0);
        cache.put("+3", new ProviderAnswer.Failure("HTTP status 500"), T0);

        long justBefore = CnamCache.FAILURE_TTL.toNanos() - 1;
        assertTrue(cache.get("+3", T0 + justBefore).isPresent());
        assertTrue(cache.get("+3", T0 + CnamCache.FAILURE_TTL.toNanos()).isEmpty());
        assertTrue(cache.get("+2", T0 + CnamCache.NO_NAME_TTL.toNanos() - 1).isPresent());
        assertTrue(cache.get("+2", T0 + CnamCache.NO_NAME_TTL.toNanos()).isEmpty());
        assertEquals(Optional.of(NAME), cache.get("+1", T0 + CnamCache.NAME_TTL.toNanos() - 1));
        assertTrue(cache.get("+1", T0 + CnamCache.NAME_TTL.toNanos()).isEmpty());
        assertEquals(0, cache.size(), "expired entries are dropped when found");
    }

    @Test
    void theOldestEntryMakesRoomForANewOne() {
        CnamCache cache = new CnamCache(3);
        cache.put("+1", NAME, T0);
        cache.put("+2", NAME, T0);
        cache.put("+3", NAME, T0);
        cache.put("+1", NAME, T0 + 1); // renewed: now the newest
        cache.put("+4", NAME, T0 + 2);
        assertEquals(3, cache.size());
        assertTrue(cache.get("+2", T0 + 3).isEmpty(), "the oldest went");
        assertTrue(cache.get("+1", T0 + 3).isPresent());
        assertTrue(cache.get("+3", T0 + 3).isPresent());
        assertTrue(cache.get("+4", T0 + 3).isPresent());
    }

    @Test
    void aSprayOfNumbersNeverGrowsTheCacheBeyondItsBound() {
        CnamCache cache = new CnamCache();
        for (int i = 0; i < 3 * CnamCache.MAX_ENTRIES; i++) {
            cache.put("+1206" + i, new ProviderAnswer.NoName(), T0 + i);
        }
        assertEquals(CnamCache.MAX_ENTRIES, cache.size());
    }
}
