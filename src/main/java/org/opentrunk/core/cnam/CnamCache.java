package org.opentrunk.core.cnam;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's recent answers, so a caller who rings again does not cost another HTTP request.
 * Each answer expires after a time that depends on its kind; at most {@value #MAX_ENTRIES}
 * numbers are held, and a new one pushes out the one stored longest ago. One lock around a small
 * map: it is touched once per inbound call with CNAM lookup, far from a hot path.
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

    private record Entry(ProviderAnswer answer, long expiresAtNanos) {
    }

    private final int maxEntries;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    CnamCache() {
        this(MAX_ENTRIES);
    }

    CnamCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The unexpired answer for {@code e164}, if any. */
    synchronized Optional<ProviderAnswer> get(String e164, long nowNanos) {
        Entry entry = entries.get(e164);
        if (entry == null) {
            return Optional.empty();
        }
        if (nowNanos - entry.expiresAtNanos >= 0) {
            entries.remove(e164);
            return Optional.empty();
        }
        return Optional.of(entry.answer);
    }

    synchronized void put(String e164, ProviderAnswer answer, long nowNanos) {
        entries.remove(e164); // re-inserted at the end: the newest
        entries.put(e164, new Entry(answer, nowNanos + ttl(answer).toNanos()));
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (entries.size() > maxEntries) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    static Duration ttl(ProviderAnswer answer) {
        if (answer instanceof ProviderAnswer.Name) {
            return NAME_TTL;
        }
        return answer instanceof ProviderAnswer.NoName ? NO_NAME_TTL : FAILURE_TTL;
    }
}
