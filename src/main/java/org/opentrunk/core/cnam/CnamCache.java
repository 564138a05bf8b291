package org.opentrunk.core.cnam;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The provider's recent answers, so a caller who rings again does not cost another HTTP request,
 * and the requests in flight, so callers ringing at the same time with the same number share one.
 * Each answer expires after a time that depends on its kind; at most {@value #MAX_ENTRIES}
 * numbers are held.
 *
 * <p>A Caffeine {@link AsyncCache} does this for us: it holds each number's answer as a future
 * from the moment the request starts (a second caller gets the same future), gives each completed
 * answer its own lifetime ({@link Expiry}, from the moment it came in), and keeps the size bound.
 * Which number makes room when the cache is full is Caffeine's choice (W-TinyLFU: numbers asked
 * about often are kept over one-off callers), no longer strictly the one stored longest ago. A
 * request in flight never expires; it always ends, after {@link CnamLookup#PROVIDER_DEADLINE} at
 * the latest. Caffeine's upkeep runs on the calling threads (no pool of its own, none borrowed
 * from the container).
 */
public final class CnamCache {

    /** Names change rarely; an hour keeps provider costs down without showing a stale name for long. */
    public static final Duration NAME_TTL = Duration.ofHours(1);

    /** A number without a name may get one; five minutes still absorbs a caller redialling. */
    public static final Duration NO_NAME_TTL = Duration.ofMinutes(5);

    /**
     * After a failure the same number is not asked again for a short while: a failing provider is
     * not hammered by one redialling caller, and recovers quickly for everyone.
     */
    public static final Duration FAILURE_TTL = Duration.ofSeconds(30);

    /** About a megabyte at most; enough for the callers of a busy trunk over an hour. */
    public static final int MAX_ENTRIES = 10_000;

    /** Each kind of answer lives its own time from when it came in; reading it does not extend it. */
    private static final Expiry<String, ProviderAnswer> BY_KIND = new Expiry<>() {
        @Override
        public long expireAfterCreate(String e164, ProviderAnswer answer, long currentTime) {
            return ttl(answer).toNanos();
        }

        @Override
        public long expireAfterUpdate(String e164, ProviderAnswer answer, long currentTime, long currentDuration) {
            return ttl(answer).toNanos();
        }

        @Override
        public long expireAfterRead(String e164, ProviderAnswer answer, long currentTime, long currentDuration) {
            return currentDuration;
        }
    };

    private final AsyncCache<String, ProviderAnswer> answers;

    CnamCache() {
        this(Ticker.systemTicker(), MAX_ENTRIES);
    }

    /** @param ticker the time source, {@link Ticker#systemTicker()} but in tests */
    CnamCache(Ticker ticker, int maxEntries) {
        Objects.requireNonNull(ticker, "ticker");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.answers = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .maximumSize(maxEntries)
                .expireAfter(BY_KIND)
                .buildAsync();
    }

    /**
     * The unexpired answer for {@code e164}, or the request in flight for it, or a new request
     * made by {@code ask} (called at most once at a time per number). {@code ask}'s future must
     * always complete, and normally; its answer is then kept for {@link #ttl}.
     */
    CompletableFuture<ProviderAnswer> answer(String e164, Function<String, CompletableFuture<ProviderAnswer>> ask) {
        return answers.get(e164, (number, executor) -> ask.apply(number));
    }

    /** The unexpired answer for {@code e164}, if one has come in. */
    Optional<ProviderAnswer> get(String e164) {
        CompletableFuture<ProviderAnswer> held = answers.getIfPresent(e164);
        return held != null && held.isDone() && !held.isCompletedExceptionally()
                ? Optional.ofNullable(held.getNow(null)) : Optional.empty();
    }

    void put(String e164, ProviderAnswer answer) {
        answers.put(e164, CompletableFuture.completedFuture(answer));
    }

    /** Numbers held now, expired ones and those beyond the bound dropped first. */
    int size() {
        answers.synchronous().cleanUp();
        return (int) answers.synchronous().estimatedSize();
    }

    static Duration ttl(ProviderAnswer answer) {
        if (answer instanceof ProviderAnswer.Name) {
            return NAME_TTL;
        }
        return answer instanceof ProviderAnswer.NoName ? NO_NAME_TTL : FAILURE_TTL;
    }
}
