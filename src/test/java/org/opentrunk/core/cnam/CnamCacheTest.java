package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CnamCacheTest {

    private static final ProviderAnswer NAME = new ProviderAnswer.Name("JOHN SMITH");

    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void eachKindOfAnswerExpiresAfterItsOwnTime() {
        CnamCache cache = new CnamCache(now::get, CnamCache.MAX_ENTRIES);
        cache.put("+1", NAME);
        cache.put("+2", new ProviderAnswer.NoName());
        cache.put("+3", new ProviderAnswer.Failure("HTTP status 500"));

        advance(CnamCache.FAILURE_TTL.minusNanos(1));
        assertTrue(cache.get("+3").isPresent());
        advance(Duration.ofNanos(1));
        assertTrue(cache.get("+3").isEmpty());
        advance(CnamCache.NO_NAME_TTL.minus(CnamCache.FAILURE_TTL).minusNanos(1));
        assertTrue(cache.get("+2").isPresent());
        advance(Duration.ofNanos(1));
        assertTrue(cache.get("+2").isEmpty());
        advance(CnamCache.NAME_TTL.minus(CnamCache.NO_NAME_TTL).minusNanos(1));
        assertEquals(Optional.of(NAME), cache.get("+1"));
        advance(Duration.ofNanos(1));
        assertTrue(cache.get("+1").isEmpty());
        assertEquals(0, cache.size(), "expired entries are dropped");
    }

    @Test
    void anAnswerLivesFromWhenItCameInNotFromWhenItWasAskedFor() {
        CnamCache cache = new CnamCache(now::get, CnamCache.MAX_ENTRIES);
        CompletableFuture<ProviderAnswer> request = new CompletableFuture<>();
        cache.answer("+1", number -> request);
        advance(Duration.ofHours(2));
        assertTrue(cache.get("+1").isEmpty(), "a request in flight is no answer yet, and does not expire");
        request.complete(new ProviderAnswer.NoName());
        advance(CnamCache.NO_NAME_TTL.minusNanos(1));
        assertTrue(cache.get("+1").isPresent());
        advance(Duration.ofNanos(1));
        assertTrue(cache.get("+1").isEmpty());
    }

    @Test
    void oneRequestPerNumberAtATime() {
        CnamCache cache = new CnamCache(now::get, CnamCache.MAX_ENTRIES);
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<ProviderAnswer> request = new CompletableFuture<>();
        CompletableFuture<ProviderAnswer> first = cache.answer("+1", number -> {
            asked.incrementAndGet();
            return request;
        });
        CompletableFuture<ProviderAnswer> second = cache.answer("+1", number -> {
            asked.incrementAndGet();
            return new CompletableFuture<>();
        });
        assertSame(first, second);
        request.complete(NAME);
        assertEquals(NAME, cache.answer("+1", number -> {
            asked.incrementAndGet();
            return new CompletableFuture<>();
        }).join());
        assertEquals(1, asked.get());
    }

    @Test
    void aSprayOfNumbersNeverGrowsTheCacheBeyondItsBound() {
        CnamCache cache = new CnamCache(now::get, CnamCache.MAX_ENTRIES);
        for (int i = 0; i < 3 * CnamCache.MAX_ENTRIES; i++) {
            cache.put("+1206" + i, new ProviderAnswer.NoName());
            now.incrementAndGet();
        }
        assertEquals(CnamCache.MAX_ENTRIES, cache.size());
    }

    @Test
    void aSmallCacheKeepsItsBoundToo() {
        CnamCache cache = new CnamCache(now::get, 3);
        for (int i = 1; i <= 4; i++) {
            cache.put("+" + i, NAME);
        }
        assertEquals(3, cache.size());
    }
}
